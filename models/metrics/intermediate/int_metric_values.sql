{#- Every base metric value, at every grain: the union of the values models, one per fact model
    (its semantic model's meta `values_model`) and one per interval model of the stocks. Rows exist
    where data does; the metric tables fill every other (period, dimension value) with 0, or null
    for percentiles and stocks. A new fact's values model is one more select here (a compile
    error names it when it is missing). -#}
{{ config(materialized='view') }}
{%- set catalog = metric_catalog() -%}
{{ require_refs(catalog['facts'].values() | map(attribute='metrics') | list) }}

with

values_union as (

    select
        metric_name,
        grain,
        period_start,
        dimension_name,
        dimension_value,
        metric_value
    from {{ ref('int_metric_values__api_requests') }}
    union all
    select
        metric_name,
        grain,
        period_start,
        dimension_name,
        dimension_value,
        metric_value
    from {{ ref('int_metric_values__auth_events') }}
    union all
    select
        metric_name,
        grain,
        period_start,
        dimension_name,
        dimension_value,
        metric_value
    from {{ ref('int_metric_values__customer_stocks') }}
    union all
    select
        metric_name,
        grain,
        period_start,
        dimension_name,
        dimension_value,
        metric_value
    from {{ ref('int_metric_values__customers') }}
    union all
    select
        metric_name,
        grain,
        period_start,
        dimension_name,
        dimension_value,
        metric_value
    from {{ ref('int_metric_values__host_samples') }}
    union all
    select
        metric_name,
        grain,
        period_start,
        dimension_name,
        dimension_value,
        metric_value
    from {{ ref('int_metric_values__nps_responses') }}
    union all
    select
        metric_name,
        grain,
        period_start,
        dimension_name,
        dimension_value,
        metric_value
    from {{ ref('int_metric_values__order_items') }}
    union all
    select
        metric_name,
        grain,
        period_start,
        dimension_name,
        dimension_value,
        metric_value
    from {{ ref('int_metric_values__orders') }}
    union all
    select
        metric_name,
        grain,
        period_start,
        dimension_name,
        dimension_value,
        metric_value
    from {{ ref('int_metric_values__payments') }}
    union all
    select
        metric_name,
        grain,
        period_start,
        dimension_name,
        dimension_value,
        metric_value
    from {{ ref('int_metric_values__product_first_displays') }}
    union all
    select
        metric_name,
        grain,
        period_start,
        dimension_name,
        dimension_value,
        metric_value
    from {{ ref('int_metric_values__product_stocks') }}
    union all
    select
        metric_name,
        grain,
        period_start,
        dimension_name,
        dimension_value,
        metric_value
    from {{ ref('int_metric_values__products') }}
    union all
    select
        metric_name,
        grain,
        period_start,
        dimension_name,
        dimension_value,
        metric_value
    from {{ ref('int_metric_values__refunds') }}
    union all
    select
        metric_name,
        grain,
        period_start,
        dimension_name,
        dimension_value,
        metric_value
    from {{ ref('int_metric_values__returns') }}
    union all
    select
        metric_name,
        grain,
        period_start,
        dimension_name,
        dimension_value,
        metric_value
    from {{ ref('int_metric_values__searches') }}
    union all
    select
        metric_name,
        grain,
        period_start,
        dimension_name,
        dimension_value,
        metric_value
    from {{ ref('int_metric_values__seller_stocks') }}
    union all
    select
        metric_name,
        grain,
        period_start,
        dimension_name,
        dimension_value,
        metric_value
    from {{ ref('int_metric_values__sellers') }}
    union all
    select
        metric_name,
        grain,
        period_start,
        dimension_name,
        dimension_value,
        metric_value
    from {{ ref('int_metric_values__sessions') }}
    union all
    select
        metric_name,
        grain,
        period_start,
        dimension_name,
        dimension_value,
        metric_value
    from {{ ref('int_metric_values__shipment_stocks') }}
    union all
    select
        metric_name,
        grain,
        period_start,
        dimension_name,
        dimension_value,
        metric_value
    from {{ ref('int_metric_values__shipments') }}
    union all
    select
        metric_name,
        grain,
        period_start,
        dimension_name,
        dimension_value,
        metric_value
    from {{ ref('int_metric_values__state_transitions') }}
    union all
    select
        metric_name,
        grain,
        period_start,
        dimension_name,
        dimension_value,
        metric_value
    from {{ ref('int_metric_values__suspicious_ip_days') }}
    union all
    select
        metric_name,
        grain,
        period_start,
        dimension_name,
        dimension_value,
        metric_value
    from {{ ref('int_metric_values__web_events') }}

)

select * from values_union
