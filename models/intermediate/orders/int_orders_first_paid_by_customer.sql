{#- A customer's first paid order ever: the earliest by ordered_at among the orders that were
    paid (paid_at set, whatever their later status), ties broken by the smaller order_id. -#}
with

orders as (

    select * from {{ ref('stg_orders') }}

),

paid_orders_ranked as (

    select
        customer_id,
        order_id,
        ordered_at,
        row_number() over (
            partition by customer_id
            order by ordered_at asc, order_id asc
        ) as paid_order_rank
    from orders
    where paid_at is not null

),

final as (

    select
        customer_id,
        order_id as first_paid_order_id,
        ordered_at as first_paid_ordered_at
    from paid_orders_ranked
    where paid_order_rank = 1

)

select * from final
