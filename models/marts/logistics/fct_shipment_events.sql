with

shipment_events as (

    select * from {{ ref('stg_shipment_events') }}

),

final as (

    select
        event_id,
        shipment_id,
        status,
        occurred_at,
        {{ local_date('occurred_at') }} as occurred_date
    from shipment_events

)

select * from final
