{#- One row per customer and status interval, from the history of all snapshotted entities
    (int_entity_status_intervals, where the intervals are made). -#}

with

intervals as (

    select * from {{ ref('int_entity_status_intervals') }}

),

final as (

    select
        entity_key,
        status,
        valid_from_at,
        valid_to_at,
        history_start_at
    from intervals
    where entity = 'customer'

)

select * from final
