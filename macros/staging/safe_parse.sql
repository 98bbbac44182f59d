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

    The checks of a row are `parse_checks()`, derived from the contract's column types (and
    length bounds) and the raw column types; replication_columns() turns them into
    `_parse_failure`, the first reason classify's checks name. Every macro here is a pure
    function of its arguments. -#}

{#- A raw column as the contract's numeric type (bigint, int, double), safely.

    Example: {{ typed('order_id', 'bigint', raw_types) }} as order_id
      renders  cast(order_id as bigint) as order_id                  (raw column declared bigint)
               case when order_id between -9.2e18 and 9.2e18 and order_id = floor(order_id)
                   then cast(order_id as bigint) end as order_id      (declared double)
    (declared as text: the same over a safe parse of the trimmed text; '42' gives 42, '4.5',
    'N/A' and '' give null) -#}
{% macro typed(column_name, type_name, column_types) -%}
    {%- set plan = typed_plan(column_name, type_name, column_types) -%}
    {%- if plan.cast_only -%}
        {{ return('cast(' ~ column_name ~ ' as ' ~ plan.target ~ ')') }}
    {%- endif -%}
    {{ return('case when ' ~ plan.valid ~ ' then cast(' ~ plan.number ~ ' as ' ~ plan.target ~ ') end') }}
{%- endmacro %}


{#- The [reason, condition] pairs a typed() column can fail (none when it is only cast).

    Example: typed_checks('order_id', 'bigint', {'order_id': 'double'})
      returns  [['non_integral_order_id', 'order_id is not null and not (order_id between -9.2e18
                 and 9.2e18 and order_id = floor(order_id))']]
    (declared as text, an 'unparsable_order_id' check comes first; declared bigint: []) -#}
{% macro typed_checks(column_name, type_name, column_types) -%}
    {%- set plan = typed_plan(column_name, type_name, column_types) -%}
    {%- set checks = [] -%}
    {%- if plan.cast_only -%}{{ return(checks) }}{%- endif -%}
    {%- if plan.text -%}
        {%- do checks.append(['unparsable_' ~ column_name,
            plan.text ~ ' is not null and ' ~ plan.number ~ ' is null']) -%}
    {%- endif -%}
    {%- do checks.append([('non_integral_' if plan.is_integer else 'unparsable_') ~ column_name,
        plan.number ~ ' is not null and not (' ~ plan.valid ~ ')']) -%}
    {{ return(checks) }}
{%- endmacro %}


{#- How typed() reads a column: the SQL pieces both it and typed_checks() use.

    Example: typed_plan('order_id', 'bigint', {'order_id': 'double'})
      returns  {'target': 'bigint', 'is_integer': true, 'text': none, 'cast_only': false,
                'number': 'order_id',
                'valid': 'order_id between -9.2e18 and 9.2e18 and order_id = floor(order_id)'}
    (declared bigint: {'target': 'bigint', 'is_integer': true, 'text': none, 'cast_only': true}) -#}
{% macro typed_plan(column_name, type_name, column_types) -%}
    {%- set target_types = {
        'bigint': dbt.type_bigint(), 'int': dbt.type_int(), 'double': type_double()} -%}
    {%- set limits = {'bigint': '9.2e18', 'int': '2147483647', 'double': '1e300'} -%}
    {%- set declared = (column_types.get(column_name | lower) or '') | lower -%}
    {%- set is_integer = type_name in ('bigint', 'int') -%}
    {%- set plan = {'target': target_types[type_name], 'is_integer': is_integer, 'text': none,
        'cast_only': false} -%}
    {%- if is_text_type(declared) -%}
        {%- set text = "nullif(trim(" ~ column_name ~ "), '')" -%}
        {#- Only a plain decimal number: each engine's cast accepts its own extras (`inf`,
            `0x10`, `NaN`), which must not make the engines disagree. -#}
        {%- do plan.update({'text': text, 'number': '(case when '
            ~ matches_regex(text, '^[+-]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][+-]?[0-9]{1,3})?$')
            ~ ' then ' ~ try_cast_double(text) ~ ' end)'}) -%}
    {%- elif is_integer and is_fractional_type(declared) -%}
        {%- do plan.update({'number': column_name}) -%}
    {%- else -%}
        {%- do plan.update({'cast_only': true}) -%}
        {{ return(plan) }}
    {%- endif -%}
    {%- do plan.update({'valid': plan.number ~ ' between -' ~ limits[type_name] ~ ' and ' ~ limits[type_name]
        ~ ((' and ' ~ plan.number ~ ' = floor(' ~ plan.number ~ ')') if is_integer else '')}) -%}
    {{ return(plan) }}
{%- endmacro %}


{#- A text instant: with an explicit offset (`...10:00:00+09:00`, `...Z`) it is that instant,
    converted to naive UTC; without one it is UTC wall-clock time (raw contract). Never the
    session time zone.

    Example: {{ parse_text_instant('paid_at') }}
      renders  (case when regexp_matches(nullif(trim(paid_at), ''), '^<ISO 8601> ?(Z|z|[+-]..)$')
                   then (try_cast(nullif(trim(paid_at), '') as timestamptz) at time zone 'UTC')
                   when regexp_matches(nullif(trim(paid_at), ''), '^<ISO 8601>$')
                   then try_cast(nullif(trim(paid_at), '') as timestamp) end)   (DuckDB)
    (for '2026-03-01T10:00:00+09:00': 2026-03-01 01:00:00; for '2026-03-01 10:00':
    2026-03-01 10:00:00; for 'yesterday': null) -#}
{% macro parse_text_instant(column_name) -%}
    {%- set text = "nullif(trim(" ~ column_name ~ "), '')" -%}
    {#- ISO 8601 only: PostgreSQL would also read `yesterday` or `March 1`, DuckDB would not. -#}
    {%- set iso = '^[0-9]{4}-[0-9]{2}-[0-9]{2}([ T][0-9]{2}:[0-9]{2}(:[0-9]{2}([.][0-9]+)?)?)?' -%}
    {%- set offset = ' ?(Z|z|[+-][0-9]{2}(:?[0-9]{2})?)$' -%}
    {{ return('(case when ' ~ matches_regex(text, iso ~ offset)
        ~ ' then ' ~ instant_as_utc(try_cast_instant(text, with_offset=true))
        ~ ' when ' ~ matches_regex(text, iso ~ '$')
        ~ ' then ' ~ try_cast_instant(text, with_offset=false) ~ ' end)') }}
{%- endmacro %}


{#- Every [reason, condition] a raw row of `table_name` can fail in parsing, in the contract's
    column order, then `_synced_at`: unparsable or non-integral numbers and instants (for raw
    columns declared as text or as fractions), and text past its contract length bound.

    Example: {{ parse_checks('orders', {'order_id': 'double'}) }}
      returns  [['non_integral_order_id', 'order_id is not null and not (...)'],
                ['too_long_session_id', "length(<contract_text('orders', 'session_id')>) > 128"]]
    (with the contract's raw types only the too_long_session_id check) -#}
{% macro parse_checks(table_name, column_types) -%}
    {%- set table = raw_contract()['tables'].get(table_name) or {'columns': {}} -%}
    {%- set numbers = {'bigint': 'bigint', 'int': 'int', 'numeric': 'double'} -%}
    {%- set checks = [] -%}
    {%- for column, spec in table['columns'].items() -%}
        {%- if spec['type'] in numbers -%}
            {%- do checks.extend(typed_checks(column, numbers[spec['type']], column_types)) -%}
        {%- elif spec['type'] == 'timestamptz' -%}
            {%- do checks.extend(instant_checks(column, column_types)) -%}
        {%- elif spec['type'] == 'text' and spec.get('max_length') -%}
            {%- do checks.append(['too_long_' ~ column,
                'length(' ~ contract_text(table_name, column) ~ ') > ' ~ spec['max_length']]) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- do checks.extend(instant_checks('_synced_at', column_types)) -%}
    {{ return(checks) }}
{%- endmacro %}


{#- The [reason, condition] of a raw instant declared as text: text that is not ISO 8601.

    Example: instant_checks('paid_at', {'paid_at': 'text'})
      returns  [['unparsable_paid_at',
                 "nullif(trim(paid_at), '') is not null and <parse_text_instant('paid_at')> is null"]]
    (declared as timestamp with time zone: []) -#}
{% macro instant_checks(column_name, column_types) -%}
    {%- if is_text_type((column_types.get(column_name | lower) or '') | lower) -%}
        {%- set text = "nullif(trim(" ~ column_name ~ "), '')" -%}
        {{ return([['unparsable_' ~ column_name,
            text ~ ' is not null and ' ~ parse_text_instant(column_name) ~ ' is null']]) }}
    {%- endif -%}
    {{ return([]) }}
{%- endmacro %}


{#- The first failed parse of the row, or null: an expression, emitted by replication_columns()
    as `_parse_failure`.

    Example: {{ parse_failure('orders', {'order_id': 'double'}) }}
      renders  case
                   when order_id is not null and not (order_id between -9.2e18 and 9.2e18
                       and order_id = floor(order_id)) then 'non_integral_order_id'
                   when length(<contract_text('orders', 'session_id')>) > 128
                       then 'too_long_session_id'
               end
    (a table without checks: cast(null as TEXT)) -#}
{% macro parse_failure(table_name, column_types) -%}
    {%- set checks = parse_checks(table_name, column_types) -%}
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
