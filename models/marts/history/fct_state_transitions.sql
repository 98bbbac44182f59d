with

intervals as (

    select * from {{ ref('int_entity_status_intervals') }}

),

sequenced as (

    select
        entity,
        entity_key,
        status,
        valid_from_at,
        lag(status) over by_key as previous_status,
        lag(valid_to_at) over by_key as previous_valid_to_at
    from intervals
    window by_key as (partition by entity, entity_key order by valid_from_at)

),

-- An interval that starts where the previous one ended is a change of state; the first
-- observed interval (and the first after a deletion) has no known previous state.
transitions as (

    select
        entity,
        entity_key,
        status as to_status,
        valid_from_at as transitioned_at,
        case when previous_valid_to_at = valid_from_at then previous_status end as from_status
    from sequenced

),

final as (

    select
        entity,
        entity_key,
        from_status,
        to_status,
        transitioned_at,
        {{ local_date('transitioned_at') }} as transitioned_date,
        row_number() over (
            partition by entity, entity_key, to_status
            order by transitioned_at
        ) = 1 as is_first_time_in_state
    from transitions

)

select * from final
