with

shipment_events as (

    select * from {{ ref('stg_shipment_events') }}

),

final as (

    select
        shipment_id,
        min(case when status = 'outbound' then occurred_at end) as first_outbound_at,
        min(case when status = 'delivered' then occurred_at end) as first_delivered_at,
        min(case when status = 'returned' then occurred_at end) as first_returned_at,
        count(*) as event_count
    from shipment_events
    group by shipment_id

)

select * from final
