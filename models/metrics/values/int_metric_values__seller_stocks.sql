{#- End-of-period stocks from int_seller_status_intervals (their definitions: the stock_metrics meta of that
    model, models/intermediate/history/_history__models.yml), as running sums of +1/-1 state
    changes; the scheme is explained in macros/metrics/metric_values.sql (metric_stocks). -#}
{{ config(materialized='table') }}
{% set stocks = metric_stocks('int_seller_status_intervals') %}

with

intervals as (

    select * from {{ ref('int_seller_status_intervals') }}

),

periods as (

    select * from {{ ref('int_metric_periods') }}

),

dimension_values as (

    select * from {{ ref('int_metric_dimension_values') }}
    where metric_name in ({{ sql_string_list(stocks.metrics | map(attribute='name') | list) }})

),

history_start as (

    select {{ local_date('min(history_start_at)') }} as first_day
    from intervals

),

interval_days as (

    {#- Each interval's first and last local day, converted once. #}
    select
        *,
        {{ local_date('valid_from_at') }} as from_day,
        {{ local_date('valid_to_at') }} as to_day
    from intervals

),

deltas as (
    {{ metric_stock_deltas(stocks) }}

),

period_ends as (

    select
        periods.grain,
        periods.period_start,
        periods.period_last_day
    from periods
    cross join history_start
    where periods.period_last_day >= history_start.first_day

),

period_last_days as (

    select distinct period_last_day
    from period_ends

),

known_values as (

    select
        metric_name,
        dimension_name,
        dimension_value
    from dimension_values
    union
    select
        metric_name,
        dimension_name,
        dimension_value
    from deltas

),

series as (

    {#- Every (metric, dimension value) on every day with a change or a period end. #}
    select
        metric_name,
        dimension_name,
        dimension_value,
        delta_date as point_date,
        delta
    from deltas
    union all
    select
        known_values.metric_name,
        known_values.dimension_name,
        known_values.dimension_value,
        ends.period_last_day as point_date,
        0 as delta
    from known_values
    cross join period_last_days as ends

),

daily as (

    select
        metric_name,
        dimension_name,
        dimension_value,
        point_date,
        sum(delta) as delta
    from series
    group by metric_name, dimension_name, dimension_value, point_date

),

running as (

    select
        metric_name,
        dimension_name,
        dimension_value,
        point_date,
        sum(delta) over (
            partition by metric_name, dimension_name, dimension_value
            order by point_date
            rows between unbounded preceding and current row
        ) as stock
    from daily

),

final as (

    select
        running.metric_name,
        period_ends.grain,
        period_ends.period_start,
        running.dimension_name,
        running.dimension_value,
        cast(running.stock as {{ metric_value_type() }}) as metric_value
    from running
    inner join period_ends
        on running.point_date = period_ends.period_last_day

)

select * from final
