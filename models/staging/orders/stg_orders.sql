{{ audit_gate() }}

with

orders as (

    select * from {{ ref('base_orders') }}

),

final as (

    select
        order_id,
        customer_id,
        session_id,
        status,
        ordered_at,
        paid_at,
        cancelled_at,
        confirmed_at,
        updated_at,
        _synced_at
    from orders
    where _row_status = 'current'

)

select * from final
