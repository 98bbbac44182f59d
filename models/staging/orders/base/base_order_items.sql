{%- set raw_types = raw_column_types('order_items') -%}

with

source as (

    {{ raw_rows_to_classify(source('order_db', 'order_items'), 'order_item_id', raw_types) }}

),

renamed as (

    select
        -- ids
        cast(order_item_id as {{ dbt.type_bigint() }}) as order_item_id,
        cast(order_id as {{ dbt.type_bigint() }}) as order_id,
        cast(product_id as {{ dbt.type_bigint() }}) as product_id,
        cast(seller_id as {{ dbt.type_bigint() }}) as seller_id,

        -- numerics
        cast(quantity as {{ dbt.type_int() }}) as quantity,
        cast(unit_price as {{ dbt.type_bigint() }}) as unit_price,
        cast(discount_amount as {{ dbt.type_bigint() }}) as discount_amount,

        -- timestamps
        {{ utc_instant('updated_at', raw_types) }} as updated_at,

        -- replication
        {{ replication_columns('entity', raw_types) }}
    from source

),

{{ classify_raw_rows(
    kind='entity',
    key='order_item_id',
    required=['order_id', 'product_id', 'seller_id', 'quantity', 'unit_price', 'discount_amount'],
    non_negative=['unit_price', 'discount_amount'],
    rules={
        'invalid_quantity': "quantity <= 0",
        'discount_exceeds_amount': "discount_amount > quantity * unit_price",
    },
) }}
