{#- Every raw row of sellers, typed, with its fate: current, superseded, duplicate, tombstone or
    quarantined with its reason (macros/staging/classify_raw_rows.sql). Incremental: a run
    re-classifies every raw row of each key that received a row
    (macros/staging/incremental_staging.sql).
    Built only after the raw table's volume check passed (audit_raw_volumes: a truncated replica
    stops the run here, before staging, tests or not). -#}
{{ config(
    materialized='incremental',
    incremental_strategy='reclassify_keys',
    unique_key='seller_id',
    on_schema_change='fail',
    pre_hook="{{ refuse_shrunken_raw_table('sellers') }}",
) }}
-- depends_on: {{ ref('audit_raw_volumes') }}
{% set raw_types = raw_column_types('sellers') %}

with

source as (

    {{ raw_rows_to_classify(source('catalog_db', 'sellers'), 'seller_id', raw_types) }}

),

renamed as (

    select
        -- ids
        {{ typed('seller_id', 'bigint', raw_types) }} as seller_id,

        -- strings
        {{ free_text('sellers', 'business_name') }} as business_name,
        {{ clean_enum('status') }} as status,

        -- personal data (hashed)
        {{ pii_hash('email') }} as email_hash,

        -- timestamps
        {{ utc_instant('requested_at', raw_types) }} as requested_at,
        {{ utc_instant('joined_at', raw_types) }} as joined_at,
        {{ utc_instant('updated_at', raw_types) }} as updated_at,

        -- replication
        {{ replication_columns('sellers', raw_types) }}
    from source

),

checked as (

    {{ raw_row_checks(
        kind='entity',
        key='seller_id',
        required=['requested_at'],
        enums={'status': raw_enum('sellers', 'status')},
        instants=['requested_at', 'joined_at'],
        rules={
            'missing_joined_at': "status = 'joined' and joined_at is null",
        },
    ) }}

),

versioned as (

    {{ raw_row_versions(
        'entity',
        'seller_id',
        payload=[
            'seller_id',
            'business_name',
            'status',
            'email_hash',
            'requested_at',
            'joined_at',
            'updated_at',
        ],
    ) }}

),

classified as (

    {{ raw_row_fates('entity') }}

)

select * from classified
