{{ audit_gate() }}

with

products as (

    select * from {{ ref('base_products') }}

),

final as (

    select
        product_id,
        seller_id,
        category_id,
        product_name,
        list_price,
        status,
        registered_at,
        updated_at,
        _synced_at
    from products
    where _row_status = 'current'

)

select * from final
