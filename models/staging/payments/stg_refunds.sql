{{ audit_gate() }}

with

refunds as (

    select * from {{ ref('base_refunds') }}

),

final as (

    select
        refund_id,
        payment_id,
        amount,
        reason,
        status,
        requested_at,
        completed_at,
        updated_at,
        _synced_at
    from refunds
    where
        _row_status = 'current'
        and {{ not_held('refunds', 'refunds.refund_id') }}

)

select * from final
