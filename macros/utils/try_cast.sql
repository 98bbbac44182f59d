{#- Casts that return null where a plain cast would raise: text from a replicator that may not
    parse (macros/staging/safe_parse.sql decides what counts as a number or an instant first).
    PostgreSQL has no try_cast, so there they call the project's functions in the private
    schema, which create_safe_casts() (on-run-start) creates. -#}


{#- The text `expression` as a double, or null where it does not parse.

    Example: {{ try_cast_double("nullif(trim(amount), '')") }}
      renders  try_cast(nullif(trim(amount), '') as double)   (DuckDB, Spark;
               private.try_cast_double(...) on PostgreSQL)
    (for ' 1.5e3 ': 1500.0; for 'N/A': null) -#}
{% macro try_cast_double(expression) -%}
    {{ return(adapter.dispatch('try_cast_double', 'marketmetrics')(expression)) }}
{%- endmacro %}

{#- PostgreSQL: the project's private.try_cast_double() (create_safe_casts). -#}
{% macro default__try_cast_double(expression) -%}
    {{ var('private_schema', 'private') }}.try_cast_double({{ expression }})
{%- endmacro %}

{#- DuckDB: its own try_cast. -#}
{% macro duckdb__try_cast_double(expression) -%}
    try_cast({{ expression }} as double)
{%- endmacro %}

{#- Spark: its own try_cast. -#}
{% macro spark__try_cast_double(expression) -%}
    try_cast({{ expression }} as double)
{%- endmacro %}


{#- The text `expression` as an instant (`with_offset`: timestamp with time zone, honouring the
    text's offset) or as a naive timestamp, or null where it does not parse.

    Example: {{ try_cast_instant('paid_at', with_offset=true) }}
      renders  try_cast(paid_at as timestamptz)   (DuckDB; `as timestamp` without the offset;
               private.try_cast_timestamptz(paid_at) on PostgreSQL)
    (for '2026-03-01 10:00:00+09:00': the instant 2026-03-01 01:00 UTC; for 'yesterday': null) -#}
{% macro try_cast_instant(expression, with_offset) -%}
    {{ return(adapter.dispatch('try_cast_instant', 'marketmetrics')(expression, with_offset)) }}
{%- endmacro %}

{#- PostgreSQL: the project's private.try_cast_timestamptz() or try_cast_timestamp(). -#}
{% macro default__try_cast_instant(expression, with_offset) -%}
    {{ var('private_schema', 'private') }}.try_cast_{{ 'timestamptz' if with_offset else 'timestamp' }}({{ expression }})
{%- endmacro %}

{#- DuckDB: its own try_cast, to timestamptz or timestamp. -#}
{% macro duckdb__try_cast_instant(expression, with_offset) -%}
    try_cast({{ expression }} as {{ 'timestamptz' if with_offset else 'timestamp' }})
{%- endmacro %}

{#- Spark reads an offset when the text has one and the session time zone (UTC) otherwise. -#}
{% macro spark__try_cast_instant(expression, with_offset) -%}
    try_cast({{ expression }} as timestamp)
{%- endmacro %}


{#- on-run-start: PostgreSQL has no try_cast, so the project keeps three small functions that
    return null where a cast would raise. DuckDB needs none. Renders nothing; it runs its
    statements itself.

    Example: on-run-start: "{{ create_safe_casts() }}"   (dbt_project.yml)
      on PostgreSQL runs  create schema if not exists private; then, for double, timestamp and
                          timestamptz,
                          create or replace function private.try_cast_double(value text)
                          returns double precision language plpgsql stable as
                          $$ begin return value::double precision; exception when others
                          then return null; end $$;
                          then commit
      on DuckDB and Spark runs nothing -#}
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
