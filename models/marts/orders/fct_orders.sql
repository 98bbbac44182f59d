with

orders as (

    select * from {{ ref('stg_orders') }}

),

first_paid_orders as (

    select * from {{ ref('int_orders_first_paid_by_customer') }}

),

order_totals as (

    select * from {{ ref('int_order_items_aggregated_to_orders') }}

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
        orders.updated_at
    from orders
    left join first_paid_orders
        on orders.order_id = first_paid_orders.first_paid_order_id
    left join order_totals
        on orders.order_id = order_totals.order_id

)

select * from final
