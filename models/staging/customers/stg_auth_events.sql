{{ audit_gate() }}

with

auth_events as (

    select * from {{ ref('base_auth_events') }}

),

final as (

    select
        event_id,
        customer_id,
        event_type,
        ip_hash,
        occurred_at,
        _synced_at
    from auth_events
    where _row_status = 'current'

)

select * from final
