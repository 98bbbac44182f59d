{%- set raw_types = raw_column_types('categories') -%}
{#- Built only after the raw table's volume check passed (audit_raw_volumes: a truncated
    replica stops the run here, before staging, tests or not). #}
{{ config(pre_hook="{{ refuse_shrunken_raw_table('categories') }}") }}
-- depends_on: {{ ref('audit_raw_volumes') }}

with

source as (

    {{ raw_rows_to_classify(source('catalog_db', 'categories'), 'category_id', raw_types) }}

),

renamed as (

    select
        -- ids
        {{ typed('category_id', 'bigint', raw_types) }} as category_id,
        {{ typed('parent_category_id', 'bigint', raw_types) }} as parent_category_id,

        -- strings
        {{ free_text('categories', 'name', raw_types) }} as category_name,

        -- timestamps
        {{ utc_instant('updated_at', raw_types) }} as updated_at,

        -- replication
        {{ replication_columns('entity', raw_types, key='category_id') }}
    from source

),

{{ classify_raw_rows(
    kind='entity',
    key='category_id',
    required=['category_name'],
    rules={
        'self_parent': "parent_category_id = category_id",
    },
) }}
