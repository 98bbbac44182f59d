with

order_items as (

    select * from {{ ref('stg_order_items') }}

),

final as (

    select
        order_id,
        count(*) as item_count,
        sum(quantity) as items_quantity,
        sum(quantity * unit_price - discount_amount) as items_amount
    from order_items
    group by order_id

)

select * from final
