{%- set raw_types = raw_column_types('products') -%}
{#- Built only after the raw table's volume check passed (audit_raw_volumes: a truncated
    replica stops the run here, before staging, tests or not). #}
{{ config(pre_hook="{{ refuse_shrunken_raw_table('products') }}") }}
-- depends_on: {{ ref('audit_raw_volumes') }}

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
        {{ free_text('products', 'name', raw_types) }} as product_name,
        {{ clean_enum('status') }} as status,

        -- numerics
        {{ typed('list_price', 'bigint', raw_types) }} as list_price,

        -- timestamps
        {{ utc_instant('registered_at', raw_types) }} as registered_at,
        {{ utc_instant('updated_at', raw_types) }} as updated_at,

        -- replication
        {{ replication_columns('entity', raw_types, key='product_id') }}
    from source

),

{{ classify_raw_rows(
    kind='entity',
    key='product_id',
    required=['seller_id', 'category_id', 'list_price', 'registered_at'],
    enums={'status': raw_enum('products', 'status')},
    non_negative=['list_price'],
    instants=['registered_at'],
) }}
