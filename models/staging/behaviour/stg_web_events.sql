{{ audit_gate() }}

with

web_events as (

    select * from {{ ref('base_web_events') }}

),

final as (

    select
        event_id,
        session_id,
        customer_id,
        product_id,
        event_type,
        channel,
        device,
        occurred_at,
        _synced_at
    from web_events
    where _row_status = 'current'

)

select * from final
