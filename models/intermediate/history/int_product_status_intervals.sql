with

intervals as (

    select * from {{ ref('int_entity_status_intervals') }}

),

products as (

    select * from {{ ref('dim_products') }}

),

snapshotted_products as (

    select * from {{ ref('snap_products') }}

),

categories as (

    select * from {{ ref('dim_categories') }}

),

-- A deleted product is not in dim_products: its category is the one of its last version.
last_versions as (

    select
        product_id,
        category_id
    from (
        select
            product_id,
            category_id,
            row_number() over (partition by product_id order by dbt_valid_from desc) as version_rank
        from snapshotted_products
    ) as ranked
    where version_rank = 1

),

product_categories as (

    select
        last_versions.product_id,
        coalesce(
            products.top_category_name,
            categories.top_category_name,
            'unknown'
        ) as top_category_name
    from last_versions
    left join products
        on last_versions.product_id = products.product_id
    left join categories
        on last_versions.category_id = categories.category_id

),

final as (

    select
        intervals.entity_key,
        intervals.status,
        product_categories.top_category_name,
        intervals.valid_from_at,
        intervals.valid_to_at,
        intervals.history_start_at
    from intervals
    left join product_categories
        on intervals.entity_key = product_categories.product_id
    where intervals.entity = 'product'

)

select * from final
