{#- Incremental like fct_web_events: an event's current row is its first valid delivery and
    never changes afterwards, so re-reading the staging rows synced within the lookback is exact. -#}
{{
    config(
        materialized='incremental',
        unique_key='event_id',
        incremental_strategy='delete+insert',
        on_schema_change='fail',
    )
}}

with

shipment_events as (

    select * from {{ ref('stg_shipment_events') }}
    where {{ synced_since_lookback() }}

),

final as (

    select
        event_id,
        shipment_id,
        status,
        occurred_at,
        {{ local_date('occurred_at') }} as occurred_date,
        _synced_at,
        {{ build_clock() }} as _built_at
    from shipment_events

)

select * from final
