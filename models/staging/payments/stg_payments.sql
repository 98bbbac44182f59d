{{ audit_gate() }}

with

payments as (

    select * from {{ ref('base_payments') }}

),

final as (

    select
        payment_id,
        order_id,
        payment_method,
        pg_provider,
        failure_code,
        amount,
        status,
        requested_at,
        completed_at,
        updated_at,
        _synced_at
    from payments
    where _row_status = 'current'

)

select * from final
