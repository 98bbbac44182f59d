with

refunds as (

    select * from {{ ref('stg_refunds') }}

),

payments as (

    select * from {{ ref('stg_payments') }}

),

final as (

    select
        refunds.refund_id,
        refunds.payment_id,
        payments.order_id,
        refunds.amount,
        refunds.reason,
        refunds.status,
        refunds.requested_at,
        {{ local_date('refunds.requested_at') }} as requested_date,
        refunds.completed_at,
        {{ local_date('refunds.completed_at') }} as completed_date,
        refunds.updated_at
    from refunds
    left join payments
        on refunds.payment_id = payments.payment_id

)

select * from final
