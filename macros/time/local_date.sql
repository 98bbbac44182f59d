{#- Reporting time zone (metrics rule 1): the local calendar date of a UTC instant.

    `utc_timestamp` is a naive timestamp holding UTC (every `_at` column from staging on).
    `at time zone 'UTC'` makes it an instant; `at time zone <zone>` turns that into the zone's
    wall-clock time. Both steps mean the same on DuckDB and PostgreSQL, whatever the session
    time zone. 2026-03-01 15:30 UTC is 2026-03-02 in Asia/Seoul.

    Example: {{ local_timestamp('ordered_at') }}
      renders  ((ordered_at at time zone 'UTC') at time zone 'Asia/Seoul')   (DuckDB, PostgreSQL;
               from_utc_timestamp(ordered_at, 'Asia/Seoul') on Spark)
    (for 2026-03-01 15:30: 2026-03-02 00:30) -#}
{% macro local_timestamp(utc_timestamp, time_zone=none) -%}
    {{ return(adapter.dispatch('local_timestamp', 'marketmetrics')(utc_timestamp, time_zone or var('reporting_time_zone'))) }}
{%- endmacro %}

{#- DuckDB and PostgreSQL: two `at time zone` steps, UTC to an instant, the instant to the zone. -#}
{% macro default__local_timestamp(utc_timestamp, time_zone) -%}
    (({{ utc_timestamp }} at time zone 'UTC') at time zone '{{ time_zone }}')
{%- endmacro %}

{#- Spark's timestamp is an instant shown in the session time zone, which the profile pins
    to UTC, so the naive UTC timestamps of staging are these instants; from_utc_timestamp
    gives the zone's wall-clock time. -#}
{% macro spark__local_timestamp(utc_timestamp, time_zone) -%}
    from_utc_timestamp({{ utc_timestamp }}, '{{ time_zone }}')
{%- endmacro %}


{#- The local calendar date of a naive UTC timestamp in the reporting time zone (var
    reporting_time_zone) or `time_zone`: local_timestamp() as a date.

    Example: {{ local_date('ordered_at') }} as ordered_date
      renders  cast(((ordered_at at time zone 'UTC') at time zone 'Asia/Seoul') as date) as ordered_date
    (for 2026-03-01 15:30: 2026-03-02) -#}
{% macro local_date(utc_timestamp, time_zone=none) -%}
    cast({{ local_timestamp(utc_timestamp, time_zone) }} as date)
{%- endmacro %}
