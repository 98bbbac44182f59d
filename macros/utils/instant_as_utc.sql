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


{#- The inverse of instant_as_utc: a naive UTC timestamp as the engine's instant type, so that a
    bound computed once can be compared with a raw timestamptz column as it is stored (the
    engine then prunes by the column's min/max instead of converting every row).

    Example: _synced_at > {{ utc_as_instant('(select max(_synced_at) from base_orders)') }}
      renders  _synced_at > ((select max(_synced_at) from base_orders) at time zone 'UTC')
      (Spark: the expression unchanged) -#}
{% macro utc_as_instant(expression) -%}
    {{ return(adapter.dispatch('utc_as_instant', 'marketmetrics')(expression)) }}
{%- endmacro %}

{#- DuckDB and PostgreSQL: `at time zone 'UTC'` reads a naive timestamp as UTC wall-clock time. -#}
{% macro default__utc_as_instant(expression) -%}
    ({{ expression }} at time zone 'UTC')
{%- endmacro %}

{#- Spark: unchanged, as in spark__instant_as_utc. -#}
{% macro spark__utc_as_instant(expression) -%}
    {{ expression }}
{%- endmacro %}
