{#- Every raw row of order_items, typed, with its fate: current, superseded, duplicate, tombstone or
    quarantined with its reason (macros/staging/classify_raw_rows.sql). Incremental: a run
    re-classifies every raw row of each key that received a row
    (macros/staging/incremental_staging.sql).
    Built only after the raw table's volume check passed (audit_raw_volumes: a truncated replica
    stops the run here, before staging, tests or not). -#}
{{ config(
    materialized='incremental',
    incremental_strategy='reclassify_keys',
    unique_key='order_item_id',
    on_schema_change='fail',
    pre_hook="{{ refuse_shrunken_raw_table('order_items') }}",
) }}
-- depends_on: {{ ref('audit_raw_volumes') }}
{% set raw_types = raw_column_types('order_items') %}

with

source as (

    {{ raw_rows_to_classify(source('order_db', 'order_items'), 'order_item_id', raw_types) }}

),

renamed as (

    select
        -- ids
        {{ typed('order_item_id', 'bigint', raw_types) }} as order_item_id,
        {{ typed('order_id', 'bigint', raw_types) }} as order_id,
        {{ typed('product_id', 'bigint', raw_types) }} as product_id,
        {{ typed('seller_id', 'bigint', raw_types) }} as seller_id,

        -- numerics
        {{ typed('quantity', 'int', raw_types) }} as quantity,
        {{ typed('unit_price', 'bigint', raw_types) }} as unit_price,
        {{ typed('discount_amount', 'bigint', raw_types) }} as discount_amount,

        -- timestamps
        {{ utc_instant('updated_at', raw_types) }} as updated_at,

        -- replication
        {{ replication_columns('order_items', raw_types) }}
    from source

),

checked as (

    {{ raw_row_checks(
        kind='entity',
        key='order_item_id',
        required=['order_id', 'product_id', 'seller_id', 'quantity', 'unit_price', 'discount_amount'],
        non_negative=['unit_price', 'discount_amount'],
        rules={
            'invalid_quantity': "quantity <= 0",
            'discount_exceeds_amount': "discount_amount > quantity * unit_price",
        },
    ) }}

),

versioned as (

    {{ raw_row_versions(
        'entity',
        'order_item_id',
        payload=[
            'order_item_id',
            'order_id',
            'product_id',
            'seller_id',
            'quantity',
            'unit_price',
            'discount_amount',
            'updated_at',
        ],
    ) }}

),

classified as (

    {{ raw_row_fates('entity') }}

)

select * from classified
