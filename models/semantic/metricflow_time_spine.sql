{#- MetricFlow's time spine: one row per calendar day from `time_spine_start`, for
    `time_spine_days` days (default 2010-01-01 for 40 years). Offset metrics join through it. -#}
with

days as (

    select
        cast(
            {{ dbt.dateadd('day', 'series.n', "cast('" ~ var('time_spine_start', '2010-01-01') ~ "' as date)") }}
            as date
        ) as date_day
    from ({{ integer_series(5) }}) as series
    where series.n < {{ var('time_spine_days', 14610) }}

)

select date_day from days
