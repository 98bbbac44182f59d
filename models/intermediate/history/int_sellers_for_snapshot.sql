{{ config(tags=['snapshot_source']) }}

with

sellers as (

    select * from {{ ref('stg_sellers') }}

),

replicated as (

    select * from {{ ref('base_sellers') }}

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
        sellers.seller_id,
        sellers.business_name,
        sellers.email_hash,
        sellers.status,
        sellers.requested_at,
        sellers.joined_at,
        sellers.updated_at,
        sellers._synced_at,
        observed.observed_through_at
    from sellers
    cross join observed

)

select * from final
