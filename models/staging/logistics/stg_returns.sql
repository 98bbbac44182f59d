{{ audit_gate() }}

with

returns as (

    select * from {{ ref('base_returns') }}

),

final as (

    select
        return_id,
        order_item_id,
        quantity,
        reason,
        status,
        requested_at,
        completed_at,
        updated_at,
        _synced_at
    from returns
    where
        _row_status = 'current'
        and {{ not_held('returns', 'returns.return_id') }}

)

select * from final
