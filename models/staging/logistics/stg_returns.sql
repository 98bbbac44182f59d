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
        {#- Held by a check across tables (audit_held_rows): counted there, not staged. #}
        and not exists (
            select 1
            from {{ ref('audit_held_rows') }} as held
            where
                held.source_table = 'returns'
                and held.record_id = returns.return_id
        )

)

select * from final
