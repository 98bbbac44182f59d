{#- Every raw row of returns, typed, with its fate: current, superseded, duplicate, tombstone or
    quarantined with its reason (macros/staging/classify_raw_rows.sql). Incremental: a run
    re-classifies every raw row of each key that received a row
    (macros/staging/incremental_staging.sql).
    Built only after the raw table's volume check passed (audit_raw_volumes: a truncated replica
    stops the run here, before staging, tests or not). -#}
{{ config(
    materialized='incremental',
    incremental_strategy='reclassify_keys',
    unique_key='return_id',
    on_schema_change='fail',
    pre_hook="{{ refuse_shrunken_raw_table('returns') }}",
) }}
-- depends_on: {{ ref('audit_raw_volumes') }}
{% set raw_types = raw_column_types('returns') %}

with

source as (

    {{ raw_rows_to_classify(source('logistics_db', 'returns'), 'return_id', raw_types) }}

),

renamed as (

    select
        -- ids
        {{ typed('return_id', 'bigint', raw_types) }} as return_id,
        {{ typed('order_item_id', 'bigint', raw_types) }} as order_item_id,

        -- strings
        {{ clean_enum('reason') }} as reason,
        {{ clean_enum('status') }} as status,

        -- numerics
        {{ typed('quantity', 'int', raw_types) }} as quantity,

        -- timestamps
        {{ utc_instant('requested_at', raw_types) }} as requested_at,
        {{ utc_instant('completed_at', raw_types) }} as completed_at,
        {{ utc_instant('updated_at', raw_types) }} as updated_at,

        -- replication
        {{ replication_columns('returns', raw_types) }}
    from source

),

checked as (

    {{ raw_row_checks(
        kind='entity',
        key='return_id',
        required=['order_item_id', 'quantity', 'requested_at'],
        enums={'reason': raw_enum('returns', 'reason'), 'status': raw_enum('returns', 'status')},
        instants=['requested_at', 'completed_at'],
        rules={
            'invalid_quantity': "quantity <= 0",
            'missing_completed_at': "status = 'completed' and completed_at is null",
        },
    ) }}

),

versioned as (

    {{ raw_row_versions(
        'entity',
        'return_id',
        payload=[
            'return_id',
            'order_item_id',
            'reason',
            'status',
            'quantity',
            'requested_at',
            'completed_at',
            'updated_at',
        ],
    ) }}

),

classified as (

    {{ raw_row_fates('entity') }}

)

select * from classified
