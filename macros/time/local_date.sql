{#- Reporting time zone (metrics rule 1): the local calendar date of a UTC instant.

    `utc_timestamp` is a naive timestamp holding UTC (every `_at` column from staging on).
    `at time zone 'UTC'` makes it an instant; `at time zone <zone>` turns that into the zone's
    wall-clock time. Both steps mean the same on DuckDB and PostgreSQL, whatever the session
    time zone. 2026-03-01 15:30 UTC is 2026-03-02 in Asia/Seoul. -#}
{% macro local_timestamp(utc_timestamp, time_zone=none) -%}
    {{ return(adapter.dispatch('local_timestamp', 'marketmetrics')(utc_timestamp, time_zone or var('reporting_time_zone'))) }}
{%- endmacro %}

{% macro default__local_timestamp(utc_timestamp, time_zone) -%}
    (({{ utc_timestamp }} at time zone 'UTC') at time zone '{{ time_zone }}')
{%- endmacro %}

{#- Spark's timestamp is an instant shown in the session time zone, which the profile pins
    to UTC, so the naive UTC timestamps of staging are these instants; from_utc_timestamp
    gives the zone's wall-clock time. -#}
{% macro spark__local_timestamp(utc_timestamp, time_zone) -%}
    from_utc_timestamp({{ utc_timestamp }}, '{{ time_zone }}')
{%- endmacro %}


{% macro local_date(utc_timestamp, time_zone=none) -%}
    cast({{ local_timestamp(utc_timestamp, time_zone) }} as date)
{%- endmacro %}


{#- Elapsed seconds between two instants, fractions included, as a double. dbt.datediff
    counts whole boundaries (1.6 s -> 1) and differs by engine in how it does so, so each
    engine measures the interval exactly in its own words. -#}
{% macro seconds_between(start_at, end_at) -%}
    {{ return(adapter.dispatch('seconds_between', 'marketmetrics')(start_at, end_at)) }}
{%- endmacro %}

{% macro default__seconds_between(start_at, end_at) -%}
    cast(extract(epoch from ({{ end_at }} - {{ start_at }})) as {{ type_double() }})
{%- endmacro %}

{% macro duckdb__seconds_between(start_at, end_at) -%}
    (epoch_us({{ end_at }}) - epoch_us({{ start_at }})) / 1000000.0
{%- endmacro %}


{% macro spark__seconds_between(start_at, end_at) -%}
    ((unix_micros({{ end_at }}) - unix_micros({{ start_at }})) / 1000000.0)
{%- endmacro %}

{% macro hours_between(start_at, end_at) -%}
    ({{ seconds_between(start_at, end_at) }} / 3600.0)
{%- endmacro %}
