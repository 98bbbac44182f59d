{#- Every raw row of orders, typed, with its fate: current, superseded, duplicate, tombstone or
    quarantined with its reason (macros/staging/classify_raw_rows.sql). Incremental: a run
    re-classifies every raw row of each key that received a row
    (macros/staging/incremental_staging.sql).
    Built only after the raw table's volume check passed (audit_raw_volumes: a truncated replica
    stops the run here, before staging, tests or not). -#}
{{ config(
    materialized='incremental',
    incremental_strategy='reclassify_keys',
    unique_key='order_id',
    on_schema_change='fail',
    pre_hook="{{ refuse_shrunken_raw_table('orders') }}",
) }}
-- depends_on: {{ ref('audit_raw_volumes') }}
{% set raw_types = raw_column_types('orders') %}

with

source as (

    {{ raw_rows_to_classify(source('order_db', 'orders'), 'order_id', raw_types) }}

),

renamed as (

    select
        -- ids
        {{ typed('order_id', 'bigint', raw_types) }} as order_id,
        {{ typed('customer_id', 'bigint', raw_types) }} as customer_id,

        -- strings
        {{ bounded_text('orders', 'session_id') }} as session_id,
        {{ clean_enum('status') }} as status,

        -- timestamps
        {{ utc_instant('ordered_at', raw_types) }} as ordered_at,
        {{ utc_instant('paid_at', raw_types) }} as paid_at,
        {{ utc_instant('cancelled_at', raw_types) }} as cancelled_at,
        {{ utc_instant('confirmed_at', raw_types) }} as confirmed_at,
        {{ utc_instant('updated_at', raw_types) }} as updated_at,

        -- replication
        {{ replication_columns('orders', raw_types) }}
    from source

),

checked as (

    {{ raw_row_checks(
        kind='entity',
        key='order_id',
        required=['customer_id', 'ordered_at'],
        enums={'status': raw_enum('orders', 'status')},
        instants=['ordered_at', 'paid_at', 'cancelled_at', 'confirmed_at'],
        rules={
            'missing_paid_at': "status in ('paid', 'confirmed') and paid_at is null",
            'missing_cancelled_at': "status = 'cancelled' and cancelled_at is null",
            'missing_confirmed_at': "status = 'confirmed' and confirmed_at is null",
            'paid_before_ordered': "paid_at < ordered_at",
        },
    ) }}

),

versioned as (

    {{ raw_row_versions(
        'entity',
        'order_id',
        payload=[
            'order_id',
            'customer_id',
            'session_id',
            'status',
            'ordered_at',
            'paid_at',
            'cancelled_at',
            'confirmed_at',
            'updated_at',
        ],
    ) }}

),

classified as (

    {{ raw_row_fates('entity') }}

)

select * from classified
