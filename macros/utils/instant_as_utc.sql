{#- An instant (timestamp with time zone) as the naive UTC timestamp staging keeps. On Spark
    a timestamp already is that, shown in the session's UTC.

    Example: {{ instant_as_utc('ordered_at') }}
      renders  (ordered_at at time zone 'UTC')   (DuckDB, PostgreSQL; `ordered_at` on Spark)
    (for the instant 2026-03-01 10:00:00+09:00: the timestamp 2026-03-01 01:00:00) -#}
{% macro instant_as_utc(expression) -%}
    {{ return(adapter.dispatch('instant_as_utc', 'marketmetrics')(expression)) }}
{%- endmacro %}

{#- DuckDB and PostgreSQL: `at time zone 'UTC'` turns a timestamptz into UTC wall-clock time. -#}
{% macro default__instant_as_utc(expression) -%}
    ({{ expression }} at time zone 'UTC')
{%- endmacro %}

{#- Spark: unchanged, its timestamp is already the instant in the session's UTC. -#}
{% macro spark__instant_as_utc(expression) -%}
    {{ expression }}
{%- endmacro %}
