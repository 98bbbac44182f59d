{{ audit_gate() }}

with

shipments as (

    select * from {{ ref('base_shipments') }}

),

final as (

    select
        shipment_id,
        order_id,
        carrier,
        status,
        created_at,
        updated_at,
        _synced_at
    from shipments
    where _row_status = 'current'

)

select * from final
