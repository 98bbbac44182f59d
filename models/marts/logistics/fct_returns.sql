with

returns as (

    select * from {{ ref('stg_returns') }}

),

order_items as (

    select * from {{ ref('stg_order_items') }}

),

final as (

    select
        returns.return_id,
        returns.order_item_id,
        order_items.order_id,
        returns.quantity,
        returns.reason,
        returns.status,
        returns.requested_at,
        {{ local_date('returns.requested_at') }} as requested_date,
        returns.completed_at,
        {{ local_date('returns.completed_at') }} as completed_date,
        returns.updated_at
    from returns
    left join order_items
        on returns.order_item_id = order_items.order_item_id

)

select * from final
