{{ audit_gate() }}

with

shipment_events as (

    select * from {{ ref('base_shipment_events') }}

),

final as (

    select
        event_id,
        shipment_id,
        status,
        occurred_at,
        _synced_at
    from shipment_events
    where _row_status = 'current'

)

select * from final
