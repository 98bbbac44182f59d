{#- Elapsed seconds between two instants, fractions included, as a double. dbt.datediff
    counts whole boundaries (1.6 s -> 1) and differs by engine in how it does so, so each
    engine measures the interval exactly in its own words.

    Example: {{ seconds_between('requested_at', 'completed_at') }}
      renders  (epoch_us(completed_at) - epoch_us(requested_at)) / 1000000.0   (DuckDB)
    (from 10:00:00 to 10:00:01.6: 1.6; negative when end_at is earlier; null if either is) -#}
{% macro seconds_between(start_at, end_at) -%}
    {{ return(adapter.dispatch('seconds_between', 'marketmetrics')(start_at, end_at)) }}
{%- endmacro %}

{#- PostgreSQL: the epoch of the interval between the two timestamps, cast to double. -#}
{% macro default__seconds_between(start_at, end_at) -%}
    cast(extract(epoch from ({{ end_at }} - {{ start_at }})) as {{ type_double() }})
{%- endmacro %}

{#- DuckDB: the difference of the two microsecond epochs (epoch_us), a double. -#}
{% macro duckdb__seconds_between(start_at, end_at) -%}
    (epoch_us({{ end_at }}) - epoch_us({{ start_at }})) / 1000000.0
{%- endmacro %}

{#- Spark: the difference of the two microsecond epochs (unix_micros). -#}
{% macro spark__seconds_between(start_at, end_at) -%}
    ((unix_micros({{ end_at }}) - unix_micros({{ start_at }})) / 1000000.0)
{%- endmacro %}


{#- Elapsed hours between two instants, fractions included: seconds_between() / 3600.

    Example: {{ hours_between('paid_at', 'delivered_at') }}
      renders  ((epoch_us(delivered_at) - epoch_us(paid_at)) / 1000000.0 / 3600.0)   (DuckDB)
    (from 10:00 to 11:30 the same day: 1.5) -#}
{% macro hours_between(start_at, end_at) -%}
    ({{ seconds_between(start_at, end_at) }} / 3600.0)
{%- endmacro %}
