{#- Every raw row of products, typed, with its fate: current, superseded, duplicate, tombstone or
    quarantined with its reason (macros/staging/classify_raw_rows.sql). Incremental: a run
    re-classifies every raw row of each key that received a row
    (macros/staging/incremental_staging.sql).
    Built only after the raw table's volume check passed (audit_raw_volumes: a truncated replica
    stops the run here, before staging, tests or not). -#}
{{ config(
    materialized='incremental',
    incremental_strategy='reclassify_keys',
    unique_key='product_id',
    on_schema_change='fail',
    pre_hook="{{ refuse_shrunken_raw_table('products') }}",
) }}
-- depends_on: {{ ref('audit_raw_volumes') }}
{% set raw_types = raw_column_types('products') %}

with

source as (

    {{ raw_rows_to_classify(source('catalog_db', 'products'), 'product_id', raw_types) }}

),

renamed as (

    select
        -- ids
        {{ typed('product_id', 'bigint', raw_types) }} as product_id,
        {{ typed('seller_id', 'bigint', raw_types) }} as seller_id,
        {{ typed('category_id', 'bigint', raw_types) }} as category_id,

        -- strings
        {{ free_text('products', 'name') }} as product_name,
        {{ clean_enum('status') }} as status,

        -- numerics
        {{ typed('list_price', 'bigint', raw_types) }} as list_price,

        -- timestamps
        {{ utc_instant('registered_at', raw_types) }} as registered_at,
        {{ utc_instant('updated_at', raw_types) }} as updated_at,

        -- replication
        {{ replication_columns('products', raw_types) }}
    from source

),

checked as (

    {{ raw_row_checks(
        kind='entity',
        key='product_id',
        required=['seller_id', 'category_id', 'list_price', 'registered_at'],
        enums={'status': raw_enum('products', 'status')},
        non_negative=['list_price'],
        instants=['registered_at'],
    ) }}

),

versioned as (

    {{ raw_row_versions(
        'entity',
        'product_id',
        payload=[
            'product_id',
            'seller_id',
            'category_id',
            'product_name',
            'status',
            'list_price',
            'registered_at',
            'updated_at',
        ],
    ) }}

),

classified as (

    {{ raw_row_fates('entity') }}

)

select * from classified
