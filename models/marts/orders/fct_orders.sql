{#- Incremental by touched keys (macros/marts/touched_keys.sql): an order is recomputed when a
    version of it or of one of its items was re-classified, and so is every order of a customer
    one of whose orders changed (which order was the customer's first paid one can move). -#}
{{ config(
    materialized='incremental',
    incremental_strategy='replace_keys',
    unique_key='order_id',
    on_schema_change='fail',
) }}
{#- The models only the incremental branch reads (it finds the touched keys there). -#}
-- depends_on: {{ ref('base_orders') }}
-- depends_on: {{ ref('base_order_items') }}

with

{% if is_incremental() -%}
touched_customers as (

    {{ reclassified_keys('base_orders', 'customer_id') }}

),

touched as (

    {{ reclassified_keys('base_orders', 'order_id') }}
    union
    {{ reclassified_keys('base_order_items', 'order_id') }}
    union
    select order_id
    from {{ ref('stg_orders') }}
    where customer_id in (select customer_id from touched_customers)

),

{% endif -%}
orders as (

    select * from {{ ref('stg_orders') }}
    {%- if is_incremental() %}
    where order_id in (select order_id from touched)
    {%- endif %}

),

first_paid_orders as (

    select * from {{ ref('int_orders_first_paid_by_customer') }}
    {%- if is_incremental() %}
    where customer_id in (select customer_id from orders)
    {%- endif %}

),

order_totals as (

    select * from {{ ref('int_order_items_aggregated_to_orders') }}
    {%- if is_incremental() %}
    where order_id in (select order_id from orders)
    {%- endif %}

),

final as (

    select
        orders.order_id,
        orders.customer_id,
        orders.session_id,
        orders.status,
        orders.ordered_at,
        {{ local_date('orders.ordered_at') }} as ordered_date,
        orders.paid_at,
        {{ local_date('orders.paid_at') }} as paid_date,
        orders.cancelled_at,
        {{ local_date('orders.cancelled_at') }} as cancelled_date,
        orders.confirmed_at,
        {{ local_date('orders.confirmed_at') }} as confirmed_date,
        orders.paid_at is not null as is_paid,
        orders.status = 'cancelled' as is_cancelled,
        first_paid_orders.first_paid_order_id is not null as is_first_paid_order,
        coalesce(order_totals.item_count, 0) as item_count,
        coalesce(order_totals.items_quantity, 0) as items_quantity,
        coalesce(order_totals.items_amount, 0) as items_amount,
        orders.updated_at,
        {{ build_clock() }} as _built_at
    from orders
    left join first_paid_orders
        on orders.order_id = first_paid_orders.first_paid_order_id
    left join order_totals
        on orders.order_id = order_totals.order_id

),

key_sentinels as (
    {{ key_sentinels('final', 'touched', 'order_id') }}

)

select * from final
union all
select * from key_sentinels
