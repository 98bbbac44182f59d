{#- Items of orders that are not current (deleted, quarantined or not yet replicated) have no
    order time to be counted at, so they are left out; staging's relationship test and the
    audit layer report them.

    Incremental by touched keys (macros/marts/touched_keys.sql): an item is recomputed when a
    version of it was re-classified, or its order or its product changed (a cancellation, a
    product moved to another top category) or vanished. -#}
{{ config(
    materialized='incremental',
    incremental_strategy='replace_keys',
    unique_key='order_item_id',
    on_schema_change='fail',
) }}
{#- The models only the incremental branch reads (it finds the touched keys there). -#}
-- depends_on: {{ ref('base_orders') }}
-- depends_on: {{ ref('base_products') }}
-- depends_on: {{ ref('base_order_items') }}

with

{% if is_incremental() -%}
touched_orders as (

    {{ reclassified_keys('base_orders', 'order_id') }}
    union
    {{ rebuilt_keys('fct_orders', 'order_id') }}

),

touched_products as (

    {{ reclassified_keys('base_products', 'product_id') }}
    union
    {{ rebuilt_keys('dim_products', 'product_id') }}

),

touched as (

    {{ reclassified_keys('base_order_items', 'order_item_id') }}
    union
    select order_item_id
    from {{ ref('stg_order_items') }}
    where order_id in (select order_id from touched_orders)
    union
    select order_item_id
    from {{ ref('stg_order_items') }}
    where product_id in (select product_id from touched_products)

),

{% endif -%}
order_items as (

    select * from {{ ref('stg_order_items') }}
    {%- if is_incremental() %}
    where order_item_id in (select order_item_id from touched)
    {%- endif %}

),

orders as (

    select * from {{ ref('fct_orders') }}
    {%- if is_incremental() %}
    where order_id in (select order_id from order_items)
    {%- endif %}

),

products as (

    select * from {{ ref('dim_products') }}
    {%- if is_incremental() %}
    where product_id in (select product_id from order_items)
    {%- endif %}

),

commission_rates as (

    select * from {{ ref('category_commission_rates') }}

),

default_commission_rate as (

    select commission_rate
    from commission_rates
    where top_category_name = '__default__'

),

items as (

    select
        order_items.order_item_id,
        order_items.order_id,
        orders.customer_id,
        order_items.product_id,
        order_items.seller_id,
        order_items.quantity,
        order_items.unit_price,
        order_items.discount_amount,
        orders.ordered_at,
        orders.ordered_date,
        orders.is_paid as is_paid_order,
        orders.confirmed_at as order_confirmed_at,
        orders.confirmed_date as order_confirmed_date,
        coalesce(products.top_category_name, 'unknown') as top_category_name,
        order_items.quantity * order_items.unit_price - order_items.discount_amount as item_amount
    from order_items
    inner join orders
        on order_items.order_id = orders.order_id
    left join products
        on order_items.product_id = products.product_id

),

rated_items as (

    select
        items.*,
        cast(
            coalesce(
                commission_rates.commission_rate,
                (select default_commission_rate.commission_rate from default_commission_rate)
            ) as {{ type_double() }}
        ) as commission_rate
    from items
    left join commission_rates
        on items.top_category_name = commission_rates.top_category_name

),

final as (

    select
        order_item_id,
        order_id,
        customer_id,
        product_id,
        seller_id,
        top_category_name,
        quantity,
        unit_price,
        discount_amount,
        item_amount,
        ordered_at,
        ordered_date,
        is_paid_order,
        order_confirmed_at,
        order_confirmed_date,
        commission_rate,
        cast(item_amount as {{ type_double() }}) * commission_rate as commission_amount,
        cast(item_amount as {{ type_double() }})
        - cast(item_amount as {{ type_double() }}) * commission_rate as settlement_amount,
        {{ build_clock() }} as _built_at
    from rated_items

),

key_sentinels as (
    {{ key_sentinels('final', 'touched', 'order_item_id') }}

)

select * from final
union all
select * from key_sentinels
