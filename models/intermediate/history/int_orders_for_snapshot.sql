{{ config(tags=['snapshot_source']) }}

with

orders as (

    select * from {{ ref('stg_orders') }}

),

replicated as (

    select * from {{ ref('base_orders') }}

),

-- The replication instant this build of staging saw: the newest non-quarantined row. A
-- function of the data, not of the clock, so a replay gives the same snapshot.
observed as (

    select max(_synced_at) as observed_through_at
    from replicated
    where _row_status != 'quarantined'

),

final as (

    select
        orders.order_id,
        orders.customer_id,
        orders.session_id,
        orders.status,
        orders.ordered_at,
        orders.paid_at,
        orders.cancelled_at,
        orders.confirmed_at,
        orders.updated_at,
        orders._synced_at,
        observed.observed_through_at
    from orders
    cross join observed

)

select * from final
