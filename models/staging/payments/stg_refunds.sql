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
        {#- Held by a check across tables (audit_held_rows): counted there, not staged. #}
        and not exists (
            select 1
            from {{ ref('audit_held_rows') }} as held
            where
                held.source_table = 'refunds'
                and held.record_id = refunds.refund_id
        )

)

select * from final
