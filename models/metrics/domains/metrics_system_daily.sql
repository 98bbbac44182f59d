{#- The system metrics, one column each (named as the metric), one row per local day: the overall
    values of metrics_daily, pivoted, so its numbers are that table's. -#}
{%- set metric_names = domain_metric_names('system') %}

with

metrics_daily as (

    select * from {{ ref('metrics_daily') }}

),

overall_values as (

    select
        period_start,
        metric_name,
        metric_value,
        is_complete_period
    from metrics_daily
    where
        dimension_name = 'all'
        and metric_name in ({{ sql_string_list(metric_names) }})

),

final as (

    select
        period_start,
        {{ pivot_metric_columns(metric_names) }},
        {#- bool_and is not portable; a period is complete for every metric alike -#}
        min(case when is_complete_period then 1 else 0 end) = 1 as is_complete_period
    from overall_values
    group by period_start

)

select * from final
