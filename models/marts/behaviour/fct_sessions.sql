{#- A session is placed by its first event (earliest occurred_at, ties: smallest event_id), which
    also gives its channel and device; its customer is the first non-null customer_id in the same
    order (a visitor who logs in mid-session is attributed). -#}
with

web_events as (

    select * from {{ ref('stg_web_events') }}

),

orders as (

    select * from {{ ref('fct_orders') }}

),

ranked_events as (

    select
        session_id,
        customer_id,
        event_type,
        channel,
        device,
        occurred_at,
        row_number() over (
            partition by session_id
            order by occurred_at asc, event_id asc
        ) as event_rank,
        row_number() over (
            partition by session_id
            order by case when customer_id is null then 1 else 0 end asc, occurred_at asc, event_id asc
        ) as customer_rank
    from web_events

),

session_totals as (

    select
        session_id,
        count(*) as event_count,
        count(case when event_type = 'add_to_cart' then 1 end) > 0 as has_cart,
        count(case when event_type = 'checkout_start' then 1 end) > 0 as has_checkout
    from ranked_events
    group by session_id

),

first_events as (

    select
        session_id,
        channel,
        device,
        occurred_at
    from ranked_events
    where event_rank = 1

),

first_customers as (

    select
        session_id,
        customer_id
    from ranked_events
    where
        customer_rank = 1
        and customer_id is not null

),

ordering_sessions as (

    select distinct session_id
    from orders
    where session_id is not null

),

final as (

    select
        first_events.session_id,
        first_customers.customer_id,
        first_events.occurred_at as started_at,
        {{ local_date('first_events.occurred_at') }} as started_date,
        first_events.channel,
        first_events.device,
        session_totals.event_count,
        session_totals.has_cart,
        session_totals.has_checkout,
        ordering_sessions.session_id is not null as has_order
    from first_events
    inner join session_totals
        on first_events.session_id = session_totals.session_id
    left join first_customers
        on first_events.session_id = first_customers.session_id
    left join ordering_sessions
        on first_events.session_id = ordering_sessions.session_id

)

select * from final
