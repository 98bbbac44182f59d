with

products as (

    select * from {{ ref('stg_products') }}

),

categories as (

    select * from {{ ref('dim_categories') }}

),

final as (

    select
        products.product_id,
        products.seller_id,
        products.category_id,
        coalesce(categories.top_category_name, 'unknown') as top_category_name,
        products.product_name,
        products.list_price,
        products.status,
        products.registered_at,
        {{ local_date('products.registered_at') }} as registered_date,
        products.updated_at
    from products
    left join categories
        on products.category_id = categories.category_id

)

select * from final
