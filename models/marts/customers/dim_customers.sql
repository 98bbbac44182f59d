with

customers as (

    select * from {{ ref('stg_customers') }}

),

first_paid_orders as (

    select * from {{ ref('int_orders_first_paid_by_customer') }}

),

final as (

    select
        customers.customer_id,
        customers.email_hash,
        customers.status,
        customers.signed_up_at,
        {{ local_date('customers.signed_up_at') }} as signed_up_date,
        first_paid_orders.first_paid_order_id,
        first_paid_orders.first_paid_ordered_at,
        {{ local_date('first_paid_orders.first_paid_ordered_at') }} as first_paid_ordered_date,
        customers.updated_at
    from customers
    left join first_paid_orders
        on customers.customer_id = first_paid_orders.customer_id

)

select * from final
