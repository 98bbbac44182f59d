{{ config(tags=['snapshot_source']) }}

with

customers as (

    select * from {{ ref('stg_customers') }}

),

replicated as (

    select * from {{ ref('base_customers') }}

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
        customers.customer_id,
        customers.email_hash,
        customers.status,
        customers.signed_up_at,
        customers.updated_at,
        customers._synced_at,
        observed.observed_through_at
    from customers
    cross join observed

)

select * from final
