{#- Items of orders that are not current (deleted, quarantined or not yet replicated) have no
    order time to be counted at, so they are left out; staging's relationship test and the
    audit layer report them. -#}
with

order_items as (

    select * from {{ ref('stg_order_items') }}

),

orders as (

    select * from {{ ref('fct_orders') }}

),

products as (

    select * from {{ ref('dim_products') }}

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
        - cast(item_amount as {{ type_double() }}) * commission_rate as settlement_amount
    from rated_items

)

select * from final
