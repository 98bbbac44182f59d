with

order_items as (

    select * from {{ ref('stg_order_items') }}

),

final as (

    select
        order_id,
        count(*) as item_count,
        -- sums are int128 on DuckDB and numeric on PostgreSQL: bigint on both
        cast(sum(quantity) as {{ dbt.type_bigint() }}) as items_quantity,
        cast(sum(quantity * unit_price - discount_amount) as {{ dbt.type_bigint() }}) as items_amount
    from order_items
    group by order_id

)

select * from final
