{#- Every raw row of customers, typed, with its fate: current, superseded, duplicate, tombstone or
    quarantined with its reason (macros/staging/classify_raw_rows.sql). Incremental: a run
    re-classifies every raw row of each key that received a row
    (macros/staging/incremental_staging.sql).
    Built only after the raw table's volume check passed (audit_raw_volumes: a truncated replica
    stops the run here, before staging, tests or not). -#}
{{ config(
    materialized='incremental',
    incremental_strategy='reclassify_keys',
    unique_key='customer_id',
    on_schema_change='fail',
    pre_hook="{{ refuse_shrunken_raw_table('customers') }}",
) }}
-- depends_on: {{ ref('audit_raw_volumes') }}
{% set raw_types = raw_column_types('customers') %}

with

source as (

    {{ raw_rows_to_classify(source('customer_db', 'customers'), 'customer_id', raw_types) }}

),

renamed as (

    select
        -- ids
        {{ typed('customer_id', 'bigint', raw_types) }} as customer_id,

        -- strings
        {{ clean_enum('status') }} as status,

        -- personal data (hashed)
        {{ pii_hash('email') }} as email_hash,

        -- timestamps
        {{ utc_instant('signed_up_at', raw_types) }} as signed_up_at,
        {{ utc_instant('updated_at', raw_types) }} as updated_at,

        -- replication
        {{ replication_columns('customers', raw_types) }}
    from source

),

checked as (

    {{ raw_row_checks(
        kind='entity',
        key='customer_id',
        required=['signed_up_at'],
        enums={'status': raw_enum('customers', 'status')},
        instants=['signed_up_at'],
    ) }}

),

versioned as (

    {{ raw_row_versions(
        'entity',
        'customer_id',
        payload=[
            'customer_id',
            'status',
            'email_hash',
            'signed_up_at',
            'updated_at',
        ],
    ) }}

),

classified as (

    {{ raw_row_fates('entity') }}

)

select * from classified
