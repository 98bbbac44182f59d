{{
    config(
        materialized='incremental',
        unique_key='event_id',
        incremental_strategy='delete+insert',
        on_schema_change='append_new_columns',
    )
}}

with

web_events as (

    select * from {{ ref('stg_web_events') }}
    where {{ synced_since_lookback() }}

),

final as (

    select
        event_id,
        session_id,
        customer_id,
        event_type,
        product_id,
        channel,
        device,
        occurred_at,
        {{ local_date('occurred_at') }} as occurred_date,
        _synced_at,
        {{ build_clock() }} as _built_at
    from web_events

)

select * from final
