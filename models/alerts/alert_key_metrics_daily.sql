{#- The key service metrics side by side, one row per complete day, overall values: the
    relation their warn-severity guardrail tests run on (_alerts__models.yml). -#}
{{ config(
    materialized='view',
) }}

with

metrics_daily as (

    select * from {{ ref('metrics_daily') }}

),

final as (

    select
        period_start,
        max(case when metric_name = 'payment_success_rate' then metric_value end) as payment_success_rate,
        max(case when metric_name = 'availability' then metric_value end) as availability,
        max(case when metric_name = 'external_api_error_rate' then metric_value end) as external_api_error_rate,
        max(case when metric_name = 'order_conversion_rate' then metric_value end) as order_conversion_rate,
        max(case when metric_name = 'orders' then metric_value end) as orders
    from metrics_daily
    where
        dimension_name = 'all'
        and is_complete_period
    group by period_start

)

select * from final
