{#- Raw instants arrive as `timestamp with time zone` or, from some replicators, as naive
    timestamps holding UTC wall-clock time (raw contract). Staging turns both into naive UTC
    timestamps, so `_at` columns mean the same on every engine whatever the session time zone.

    `column_types` is the mapping from `raw_column_types(table_name)`. The conversion is chosen
    at compile time from the raw column's declared type: `AT TIME ZONE 'UTC'` turns a
    timestamptz into UTC wall-clock on both DuckDB and PostgreSQL, whereas on a naive
    timestamp it would do the opposite, so a naive column is only cast. A text column is
    parsed (macros/staging/safe_parse.sql; its failure is one of parse_checks()).

    Example: {{ utc_instant('ordered_at', raw_types) }} as ordered_at
      renders  (ordered_at at time zone 'UTC') as ordered_at      (declared timestamptz)
               cast(ordered_at as timestamp) as ordered_at        (declared naive timestamp)
               <parse_text_instant('ordered_at')> as ordered_at   (declared text)   (DuckDB) -#}
{% macro utc_instant(column_name, column_types) -%}
    {%- set data_type = (column_types.get(column_name | lower) or '') | lower -%}
    {%- if 'with time zone' in data_type or data_type == 'timestamptz' -%}
        {{ instant_as_utc(column_name) }}
    {%- elif is_text_type(data_type) -%}
        {#- Text from a replicator: parsed safely, its offset honoured (macros/staging/safe_parse.sql). -#}
        {{ parse_text_instant(column_name) }}
    {%- else -%}
        cast({{ column_name }} as {{ dbt.type_timestamp() }})
    {%- endif -%}
{%- endmacro %}


{#- Lower-case column name -> declared data type of a raw table, read from the warehouse.
    The relation is built from the same vars as the sources (raw_database, raw_schema) rather
    than from `source()`, because inside a dbt unit test `source()` names the fixture CTE,
    and the conversion must still follow the real raw column's type.
    Empty at parse time (nothing runs then).

    Example: {% set raw_types = raw_column_types('orders') %}
      returns  {'order_id': 'BIGINT', 'customer_id': 'BIGINT', 'session_id': 'character varying(256)',
                ..., 'ordered_at': 'TIMESTAMP WITH TIME ZONE', ..., '_is_deleted': 'BOOLEAN',
                '_synced_at': 'TIMESTAMP WITH TIME ZONE', '__relation__': 'raw.orders'}   (DuckDB)
    (a missing raw table or contract column stops a run or build with one error) -#}
{% macro raw_column_types(table_name) -%}
    {%- set types = {} -%}
    {%- if execute -%}
        {%- set relation = adapter.get_relation(
            database=var('raw_database') or target.get('database'),
            schema=var('raw_schema'),
            identifier=table_name) -%}
        {#- A missing raw table compiles (lint and docs need no data); a run or build stops with
            one error naming the table and the contract. -#}
        {%- if relation is none -%}
            {%- if flags.WHICH in ['run', 'build'] -%}
                {{ exceptions.raise_compiler_error(
                    'raw table ' ~ var('raw_schema') ~ '.' ~ table_name ~ ' does not exist: the raw'
                    ~ ' contract (docs/raw_contract.md) requires it; check the var'
                    ~ ' raw_schema (now ' ~ var('raw_schema') ~ ') and that the replicator has landed it') }}
            {%- endif -%}
            {{ return(types) }}
        {%- endif -%}
        {%- for column in adapter.get_columns_in_relation(relation) -%}
            {%- do types.update({column.name | lower: column.data_type}) -%}
        {%- endfor -%}
        {%- do types.update({'__relation__': var('raw_schema') ~ '.' ~ table_name}) -%}
        {#- Every contract column present: one error naming the missing ones, not the engine's
            "column not found" deep in a compiled model. -#}
        {%- set spec = raw_contract()['tables'].get(table_name) -%}
        {%- if spec -%}
            {%- set expected = (spec['columns'].keys() | list)
                + (['_is_deleted'] if spec['kind'] == 'entity' else []) + ['_synced_at'] -%}
            {%- set missing = expected | reject('in', types.keys() | list) | list -%}
            {%- if missing -%}
                {{ exceptions.raise_compiler_error(
                    'raw table ' ~ types['__relation__'] ~ ' has no column ' ~ missing | join(', ')
                    ~ ', which the raw contract (docs/raw_contract.md) requires; columns found: '
                    ~ (types.keys() | reject('equalto', '__relation__') | sort | join(', '))) }}
            {%- endif -%}
        {%- endif -%}
    {%- endif -%}
    {{ return(types) }}
{%- endmacro %}
