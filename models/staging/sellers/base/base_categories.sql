{#- Every raw row of categories, typed, with its fate: current, superseded, duplicate, tombstone or
    quarantined with its reason (macros/staging/classify_raw_rows.sql). Incremental: a run
    re-classifies every raw row of each key that received a row
    (macros/staging/incremental_staging.sql).
    Built only after the raw table's volume check passed (audit_raw_volumes: a truncated replica
    stops the run here, before staging, tests or not). -#}
{{ config(
    materialized='incremental',
    incremental_strategy='reclassify_keys',
    unique_key='category_id',
    on_schema_change='fail',
    pre_hook="{{ refuse_shrunken_raw_table('categories') }}",
) }}
-- depends_on: {{ ref('audit_raw_volumes') }}
{% set raw_types = raw_column_types('categories') %}

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
        {{ free_text('categories', 'name') }} as category_name,

        -- timestamps
        {{ utc_instant('updated_at', raw_types) }} as updated_at,

        -- replication
        {{ replication_columns('categories', raw_types) }}
    from source

),

checked as (

    {{ raw_row_checks(
        kind='entity',
        key='category_id',
        required=['category_name'],
        rules={
            'self_parent': "parent_category_id = category_id",
        },
    ) }}

),

versioned as (

    {{ raw_row_versions(
        'entity',
        'category_id',
        payload=[
            'category_id',
            'parent_category_id',
            'category_name',
            'updated_at',
        ],
    ) }}

),

classified as (

    {{ raw_row_fates('entity') }}

)

select * from classified
