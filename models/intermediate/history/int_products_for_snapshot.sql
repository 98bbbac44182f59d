{{ config(tags=['snapshot_source']) }}

with

products as (

    select * from {{ ref('stg_products') }}

),

replicated as (

    select * from {{ ref('base_products') }}

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
        products.product_id,
        products.seller_id,
        products.category_id,
        products.product_name,
        products.list_price,
        products.status,
        products.registered_at,
        products.updated_at,
        products._synced_at,
        observed.observed_through_at
    from products
    cross join observed

)

select * from final
