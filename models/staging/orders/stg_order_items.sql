{{ audit_gate() }}

with

order_items as (

    select * from {{ ref('base_order_items') }}

),

final as (

    select
        order_item_id,
        order_id,
        product_id,
        seller_id,
        quantity,
        unit_price,
        discount_amount,
        updated_at,
        _synced_at
    from order_items
    where
        _row_status = 'current'
        and {{ not_held('order_items', 'order_items.order_item_id') }}

)

select * from final
