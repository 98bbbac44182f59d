{#- Lead time runs from the order's payment to the shipment's first delivered event; a shipment
    is on time when that takes at most `on_time_delivery_days` days (null when it is not
    delivered or its order has no paid_at). -#}
{%- set on_time_hours = var('on_time_delivery_days', 3) * 24 -%}

{#- Incremental by touched keys (macros/marts/touched_keys.sql): a shipment is recomputed when a
    version of it or of its order was re-classified, or one of its events arrived. -#}
{{ config(
    materialized='incremental',
    incremental_strategy='replace_keys',
    unique_key='shipment_id',
    on_schema_change='fail',
) }}
{#- The models only the incremental branch reads (it finds the touched keys there). -#}
-- depends_on: {{ ref('base_shipments') }}
-- depends_on: {{ ref('base_shipment_events') }}
-- depends_on: {{ ref('base_orders') }}

with

{% if is_incremental() -%}
touched as (

    {{ reclassified_keys('base_shipments', 'shipment_id') }}
    union
    {{ reclassified_keys('base_shipment_events', 'shipment_id') }}
    union
    select shipment_id
    from {{ ref('stg_shipments') }}
    where order_id in (
        {{ reclassified_keys('base_orders', 'order_id') }}
    )

),

{% endif -%}
shipments as (

    select * from {{ ref('stg_shipments') }}
    {%- if is_incremental() %}
    where shipment_id in (select shipment_id from touched)
    {%- endif %}

),

orders as (

    select * from {{ ref('stg_orders') }}
    {%- if is_incremental() %}
    where order_id in (select order_id from shipments)
    {%- endif %}

),

shipment_event_firsts as (

    select * from {{ ref('int_shipment_events_firsts_by_shipment') }}
    {%- if is_incremental() %}
    where shipment_id in (select shipment_id from shipments)
    {%- endif %}

),

joined as (

    select
        shipments.shipment_id,
        shipments.order_id,
        shipments.carrier,
        shipments.status,
        shipments.created_at,
        orders.paid_at as order_paid_at,
        shipment_event_firsts.first_outbound_at,
        shipment_event_firsts.first_delivered_at,
        shipment_event_firsts.first_returned_at,
        coalesce(shipment_event_firsts.event_count, 0) as event_count,
        {{ hours_between('orders.paid_at', 'shipment_event_firsts.first_delivered_at') }}
            as delivery_lead_time_hours,
        shipments.updated_at
    from shipments
    left join orders
        on shipments.order_id = orders.order_id
    left join shipment_event_firsts
        on shipments.shipment_id = shipment_event_firsts.shipment_id

),

final as (

    select
        shipment_id,
        order_id,
        carrier,
        status,
        created_at,
        {{ local_date('created_at') }} as created_date,
        order_paid_at,
        first_outbound_at,
        {{ local_date('first_outbound_at') }} as first_outbound_date,
        first_delivered_at,
        {{ local_date('first_delivered_at') }} as first_delivered_date,
        first_returned_at,
        {{ local_date('first_returned_at') }} as first_returned_date,
        event_count,
        delivery_lead_time_hours,
        delivery_lead_time_hours <= {{ on_time_hours }} as is_delivered_on_time,
        updated_at,
        {{ build_clock() }} as _built_at
    from joined

),

key_sentinels as (
    {{ key_sentinels('final', 'touched', 'shipment_id') }}

)

select * from final
union all
select * from key_sentinels
