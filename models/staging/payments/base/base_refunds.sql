{#- Every raw row of refunds, typed, with its fate: current, superseded, duplicate, tombstone or
    quarantined with its reason (macros/staging/classify_raw_rows.sql). Incremental: a run
    re-classifies every raw row of each key that received a row
    (macros/staging/incremental_staging.sql).
    Built only after the raw table's volume check passed (audit_raw_volumes: a truncated replica
    stops the run here, before staging, tests or not). -#}
{{ config(
    materialized='incremental',
    incremental_strategy='reclassify_keys',
    unique_key='refund_id',
    on_schema_change='fail',
    pre_hook="{{ refuse_shrunken_raw_table('refunds') }}",
) }}
-- depends_on: {{ ref('audit_raw_volumes') }}
{% set raw_types = raw_column_types('refunds') %}

with

source as (

    {{ raw_rows_to_classify(source('payment_db', 'refunds'), 'refund_id', raw_types) }}

),

renamed as (

    select
        -- ids
        {{ typed('refund_id', 'bigint', raw_types) }} as refund_id,
        {{ typed('payment_id', 'bigint', raw_types) }} as payment_id,

        -- strings
        {{ clean_enum('reason') }} as reason,
        {{ clean_enum('status') }} as status,

        -- numerics
        {{ typed('amount', 'bigint', raw_types) }} as amount,

        -- timestamps
        {{ utc_instant('requested_at', raw_types) }} as requested_at,
        {{ utc_instant('completed_at', raw_types) }} as completed_at,
        {{ utc_instant('updated_at', raw_types) }} as updated_at,

        -- replication
        {{ replication_columns('refunds', raw_types) }}
    from source

),

checked as (

    {{ raw_row_checks(
        kind='entity',
        key='refund_id',
        required=['payment_id', 'amount', 'requested_at'],
        enums={'reason': raw_enum('refunds', 'reason'), 'status': raw_enum('refunds', 'status')},
        non_negative=['amount'],
        instants=['requested_at', 'completed_at'],
        rules={
            'missing_completed_at': "status = 'completed' and completed_at is null",
        },
    ) }}

),

versioned as (

    {{ raw_row_versions(
        'entity',
        'refund_id',
        payload=[
            'refund_id',
            'payment_id',
            'reason',
            'status',
            'amount',
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
