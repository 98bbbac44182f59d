{#- Every raw row of payments, typed, with its fate: current, superseded, duplicate, tombstone or
    quarantined with its reason (macros/staging/classify_raw_rows.sql). Incremental: a run
    re-classifies every raw row of each key that received a row
    (macros/staging/incremental_staging.sql).
    Built only after the raw table's volume check passed (audit_raw_volumes: a truncated replica
    stops the run here, before staging, tests or not). -#}
{{ config(
    materialized='incremental',
    incremental_strategy='reclassify_keys',
    unique_key='payment_id',
    on_schema_change='fail',
    pre_hook="{{ refuse_shrunken_raw_table('payments') }}",
) }}
-- depends_on: {{ ref('audit_raw_volumes') }}
{% set raw_types = raw_column_types('payments') %}

with

source as (

    {{ raw_rows_to_classify(source('payment_db', 'payments'), 'payment_id', raw_types) }}

),

renamed as (

    select
        -- ids
        {{ typed('payment_id', 'bigint', raw_types) }} as payment_id,
        {{ typed('order_id', 'bigint', raw_types) }} as order_id,

        -- strings
        {{ clean_enum('method') }} as payment_method,
        {{ clean_enum('pg_provider') }} as pg_provider,
        {{ bounded_text('payments', 'failure_code') }} as failure_code,
        {{ clean_enum('status') }} as status,

        -- numerics
        {{ typed('amount', 'bigint', raw_types) }} as amount,

        -- timestamps
        {{ utc_instant('requested_at', raw_types) }} as requested_at,
        {{ utc_instant('completed_at', raw_types) }} as completed_at,
        {{ utc_instant('updated_at', raw_types) }} as updated_at,

        -- replication
        {{ replication_columns('payments', raw_types) }}
    from source

),

checked as (

    {{ raw_row_checks(
        kind='entity',
        key='payment_id',
        required=['order_id', 'amount', 'requested_at'],
        enums={'payment_method': raw_enum('payments', 'method'), 'status': raw_enum('payments', 'status')},
        optional_enums={'pg_provider': raw_enum('payments', 'pg_provider')},
        non_negative=['amount'],
        instants=['requested_at', 'completed_at'],
        rules={
            'missing_pg_provider': "payment_method != 'points' and pg_provider is null",
            'missing_completed_at': "status in ('approved', 'failed') and completed_at is null",
            'completed_before_requested': "completed_at < requested_at",
        },
    ) }}

),

versioned as (

    {{ raw_row_versions(
        'entity',
        'payment_id',
        payload=[
            'payment_id',
            'order_id',
            'payment_method',
            'pg_provider',
            'failure_code',
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
