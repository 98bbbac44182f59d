with

auth_events as (

    select * from {{ ref('stg_auth_events') }}

),

final as (

    select
        event_id,
        customer_id,
        event_type,
        ip_hash,
        occurred_at,
        {{ local_date('occurred_at') }} as occurred_date,
        _synced_at
    from auth_events

)

select * from final
