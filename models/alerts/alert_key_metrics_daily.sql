{#- The key service metrics side by side, one row per complete day, overall values, and for each
    of those an alert rule watches, whether the day breaches that rule's threshold (the seed
    alert_rules, so the threshold lives only there): the relation their warn-severity
    guardrail tests run on (_alerts__models.yml). A rule evaluated per dimension value is
    checked on the overall value here, the weaker check: a breach overall means at least one
    value breaches. -#}
{{ config(
    materialized='view',
) }}

with

metrics_daily as (

    select * from {{ ref('metrics_daily') }}

),

rules as (

    select * from {{ ref('alert_rules') }}
    where rule_type = 'threshold'

),

thresholds as (
    {{ rule_thresholds(['payment_success_rate_low', 'availability_low', 'external_api_error_rate_high']) }}

),

key_metrics as (

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

),

final as (

    select
        key_metrics.period_start,
        key_metrics.payment_success_rate,
        key_metrics.availability,
        key_metrics.external_api_error_rate,
        key_metrics.order_conversion_rate,
        key_metrics.orders,
        {{ breaches_rule('payment_success_rate_low', 'key_metrics.payment_success_rate') }}
            as breaches_payment_success_rate_low,
        {{ breaches_rule('availability_low', 'key_metrics.availability') }}
            as breaches_availability_low,
        {{ breaches_rule('external_api_error_rate_high', 'key_metrics.external_api_error_rate') }}
            as breaches_external_api_error_rate_high
    from key_metrics
    cross join thresholds

)

select * from final
