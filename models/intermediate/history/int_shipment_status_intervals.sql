{#- Incremental by touched keys (macros/marts/touched_keys.sql): a run recomputes, from all of
    their events, the shipments with an event that fct_shipment_events rewrote since this
    model's last build, and replaces their intervals. An event never leaves fct_shipment_events
    and never changes shipment, so every other shipment's intervals are unchanged; except
    `history_start_at`, the first event of all, which a late event can move earlier: then
    every shipment is recomputed. -#}
{{ config(
    materialized='incremental',
    incremental_strategy='replace_keys',
    unique_key='entity_key',
    on_schema_change='fail',
) }}

with

shipment_events as (

    select * from {{ ref('fct_shipment_events') }}

),

history_start as (

    select min(occurred_at) as history_start_at
    from shipment_events

),

{% if is_incremental() -%}
touched as (

    select shipment_id as entity_key
    from shipment_events
    where _built_at > {{ last_built_at() }}
    union
    select shipment_events.shipment_id as entity_key
    from shipment_events
    cross join history_start
    where history_start.history_start_at != (select min(history_start_at) from {{ this }})

),

{% endif -%}
scoped_events as (

    select * from shipment_events
    {%- if is_incremental() %}
    where shipment_id in (select touched.entity_key from touched)
    {%- endif %}

),

ordered as (

    select
        shipment_id,
        status,
        occurred_at,
        lead(occurred_at) over (
            partition by shipment_id
            order by occurred_at, event_id
        ) as next_occurred_at
    from scoped_events

),

-- Of several events of one shipment at the same instant, the greatest event_id is the
-- latest: the others lasted no time.
lasting as (

    select *
    from ordered
    where next_occurred_at is null or next_occurred_at > occurred_at

),

-- A repeated status (two in_delivery scans) continues the interval it is in.
flagged as (

    select
        *,
        case
            when lag(status) over (partition by shipment_id order by occurred_at) = status then 0
            else 1
        end as starts_interval
    from lasting

),

numbered as (

    select
        *,
        sum(starts_interval) over (
            partition by shipment_id
            order by occurred_at
            rows between unbounded preceding and current row
        ) as interval_number
    from flagged

),

collapsed as (

    select
        shipment_id,
        interval_number,
        min(status) as status,
        min(occurred_at) as valid_from_at,
        case when count(next_occurred_at) = count(*) then max(next_occurred_at) end as valid_to_at
    from numbered
    group by
        shipment_id,
        interval_number

),

final as (

    select
        collapsed.shipment_id as entity_key,
        collapsed.status,
        collapsed.valid_from_at,
        collapsed.valid_to_at,
        history_start.history_start_at,
        {{ build_clock() }} as _built_at
    from collapsed
    cross join history_start

),

key_sentinels as (
    {{ key_sentinels('final', 'touched', 'entity_key') }}

)

select * from final
union all
select * from key_sentinels
