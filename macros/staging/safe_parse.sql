{#- Bad input never stops a build (docs/decisions.md, "Bad input"). A replicator may land a
    column as text where the contract says number or instant (CSV and JSON replicators do), or
    a key as a float. A plain cast of `'N/A'` would fail the model and everything after it, and
    a cast of `1.5` to bigint would silently round it. So staging types each column with
    `typed()` and `utc_instant()`, which choose at compile time from the raw column's declared
    type (raw_column_types):

    - declared as the contract type: a plain cast, as before;
    - declared as text: a safe parse (DuckDB's try_cast; on PostgreSQL the project's
      `try_cast_*` functions in the private schema, which return null instead of raising);
      text that is non-empty yet does not parse is quarantined as `unparsable_<column>`;
      empty text is null;
    - a fractional type (or text) where the contract says integer: a value with a fraction,
      or beyond the integer's range, is quarantined as `non_integral_<column>`, never rounded.
      Integers are read through double precision: exact up to 2^53, far beyond any key here.

    Each check is recorded in the model's `column_types` mapping (under `__parse_checks__`);
    replication_columns(), the last columns of every base model's `renamed` CTE, turns them
    into `_parse_failure`, the first reason classify_raw_rows checks. -#}

{% macro typed(column_name, type_name, column_types, record=true) -%}
    {%- set target_types = {
        'bigint': dbt.type_bigint(), 'int': dbt.type_int(), 'double': type_double()} -%}
    {%- set limits = {'bigint': '9.2e18', 'int': '2147483647', 'double': '1e300'} -%}
    {%- set declared = (column_types.get(column_name | lower) or '') | lower -%}
    {%- set is_integer = type_name in ('bigint', 'int') -%}
    {%- if is_text_type(declared) -%}
        {%- set text = "nullif(trim(" ~ column_name ~ "), '')" -%}
        {#- Only a plain decimal number: each engine's cast accepts its own extras (`inf`,
            `0x10`, `NaN`), which must not make the engines disagree. -#}
        {%- set number = '(case when ' ~ matches_regex(text, '^[+-]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][+-]?[0-9]{1,3})?$')
            ~ ' then ' ~ try_cast_double(text) ~ ' end)' -%}
        {%- if record -%}
            {%- do record_parse_check(column_types, 'unparsable_' ~ column_name,
                text ~ ' is not null and ' ~ number ~ ' is null') -%}
        {%- endif -%}
    {%- elif is_integer and is_fractional_type(declared) -%}
        {%- set number = column_name -%}
    {%- else -%}
        {{ return('cast(' ~ column_name ~ ' as ' ~ target_types[type_name] ~ ')') }}
    {%- endif -%}
    {%- set valid = number ~ ' between -' ~ limits[type_name] ~ ' and ' ~ limits[type_name]
        ~ ((' and ' ~ number ~ ' = floor(' ~ number ~ ')') if is_integer else '') -%}
    {%- if record -%}
        {%- do record_parse_check(column_types,
            ('non_integral_' if is_integer else 'unparsable_') ~ column_name,
            number ~ ' is not null and not (' ~ valid ~ ')') -%}
    {%- endif -%}
    {{ return('case when ' ~ valid ~ ' then cast(' ~ number ~ ' as ' ~ target_types[type_name] ~ ') end') }}
{%- endmacro %}


{#- A text instant: with an explicit offset (`...10:00:00+09:00`, `...Z`) it is that instant,
    converted to naive UTC; without one it is UTC wall-clock time (raw contract). Never the
    session time zone. -#}
{% macro parse_text_instant(column_name, column_types, record=true) -%}
    {%- set text = "nullif(trim(" ~ column_name ~ "), '')" -%}
    {#- ISO 8601 only: PostgreSQL would also read `yesterday` or `March 1`, DuckDB would not. -#}
    {%- set iso = '^[0-9]{4}-[0-9]{2}-[0-9]{2}([ T][0-9]{2}:[0-9]{2}(:[0-9]{2}([.][0-9]+)?)?)?' -%}
    {%- set offset = ' ?(Z|z|[+-][0-9]{2}(:?[0-9]{2})?)$' -%}
    {%- set parsed = '(case when ' ~ matches_regex(text, iso ~ offset)
        ~ ' then ' ~ instant_as_utc(try_cast_instant(text, with_offset=true))
        ~ ' when ' ~ matches_regex(text, iso ~ '$')
        ~ ' then ' ~ try_cast_instant(text, with_offset=false) ~ ' end)' -%}
    {%- if record -%}
        {%- do record_parse_check(column_types, 'unparsable_' ~ column_name,
            text ~ ' is not null and ' ~ parsed ~ ' is null') -%}
    {%- endif -%}
    {{ return(parsed) }}
{%- endmacro %}


{% macro record_parse_check(column_types, reason, condition) -%}
    {%- do column_types.setdefault('__parse_checks__', []).append([reason, condition]) -%}
{%- endmacro %}


{#- The first failed parse of the row, or null: emitted by replication_columns(). -#}
{% macro parse_failure(column_types) -%}
    {%- set checks = column_types.get('__parse_checks__', []) -%}
    {%- if checks | length == 0 -%}
        cast(null as {{ dbt.type_string() }})
    {%- else -%}
        case
            {%- for reason, condition in checks %}
            when {{ condition }} then '{{ reason }}'
            {%- endfor %}
        end
    {%- endif -%}
{%- endmacro %}


{% macro is_text_type(declared) -%}
    {{ return('char' in declared or 'text' in declared or declared == 'string') }}
{%- endmacro %}

{% macro is_fractional_type(declared) -%}
    {%- for name in ['double', 'float', 'real', 'numeric', 'decimal'] -%}
        {%- if name in declared -%}{{ return(true) }}{%- endif -%}
    {%- endfor -%}
    {{ return(false) }}
{%- endmacro %}


{% macro matches_regex(expression, pattern) -%}
    {{ return(adapter.dispatch('matches_regex', 'marketmetrics')(expression, pattern)) }}
{%- endmacro %}

{% macro default__matches_regex(expression, pattern) -%}
    ({{ expression }} ~ '{{ pattern }}')
{%- endmacro %}

{% macro duckdb__matches_regex(expression, pattern) -%}
    regexp_matches({{ expression }}, '{{ pattern }}')
{%- endmacro %}

{% macro spark__matches_regex(expression, pattern) -%}
    ({{ expression }} rlike '{{ pattern }}')
{%- endmacro %}


{% macro try_cast_double(expression) -%}
    {{ return(adapter.dispatch('try_cast_double', 'marketmetrics')(expression)) }}
{%- endmacro %}

{% macro default__try_cast_double(expression) -%}
    {{ var('private_schema', 'private') }}.try_cast_double({{ expression }})
{%- endmacro %}

{% macro duckdb__try_cast_double(expression) -%}
    try_cast({{ expression }} as double)
{%- endmacro %}

{% macro spark__try_cast_double(expression) -%}
    try_cast({{ expression }} as double)
{%- endmacro %}


{% macro try_cast_instant(expression, with_offset) -%}
    {{ return(adapter.dispatch('try_cast_instant', 'marketmetrics')(expression, with_offset)) }}
{%- endmacro %}

{% macro default__try_cast_instant(expression, with_offset) -%}
    {{ var('private_schema', 'private') }}.try_cast_{{ 'timestamptz' if with_offset else 'timestamp' }}({{ expression }})
{%- endmacro %}

{% macro duckdb__try_cast_instant(expression, with_offset) -%}
    try_cast({{ expression }} as {{ 'timestamptz' if with_offset else 'timestamp' }})
{%- endmacro %}

{#- Spark reads an offset when the text has one and the session time zone (UTC) otherwise. -#}
{% macro spark__try_cast_instant(expression, with_offset) -%}
    try_cast({{ expression }} as timestamp)
{%- endmacro %}


{#- An instant (timestamp with time zone) as the naive UTC timestamp staging keeps. On Spark
    a timestamp already is that, shown in the session's UTC. -#}
{% macro instant_as_utc(expression) -%}
    {{ return(adapter.dispatch('instant_as_utc', 'marketmetrics')(expression)) }}
{%- endmacro %}

{% macro default__instant_as_utc(expression) -%}
    ({{ expression }} at time zone 'UTC')
{%- endmacro %}

{% macro spark__instant_as_utc(expression) -%}
    {{ expression }}
{%- endmacro %}


{#- on-run-start: PostgreSQL has no try_cast, so the project keeps three small functions that
    return null where a cast would raise. DuckDB needs none. -#}
{% macro create_safe_casts() -%}
    {%- if execute and target.type == 'postgres' -%}
        {%- set schema = var('private_schema', 'private') -%}
        {%- do run_query('create schema if not exists ' ~ schema) -%}
        {%- for name, sql_type in [
            ['double', 'double precision'],
            ['timestamp', 'timestamp'],
            ['timestamptz', 'timestamptz']] -%}
            {%- do run_query(
                'create or replace function ' ~ schema ~ '.try_cast_' ~ name ~ '(value text) returns '
                ~ sql_type ~ ' language plpgsql stable as $$ begin return value::' ~ sql_type
                ~ '; exception when others then return null; end $$') -%}
        {%- endfor -%}
        {%- do run_query('commit') -%}
    {%- endif -%}
{%- endmacro %}
