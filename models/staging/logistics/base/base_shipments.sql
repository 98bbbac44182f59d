{#- Every raw row of shipments, typed, with its fate: current, superseded, duplicate, tombstone or
    quarantined with its reason (macros/staging/classify_raw_rows.sql). Incremental: a run
    re-classifies every raw row of each key that received a row
    (macros/staging/incremental_staging.sql).
    Built only after the raw table's volume check passed (audit_raw_volumes: a truncated replica
    stops the run here, before staging, tests or not). -#}
{{ config(
    materialized='incremental',
    incremental_strategy='reclassify_keys',
    unique_key='shipment_id',
    on_schema_change='fail',
    pre_hook="{{ refuse_shrunken_raw_table('shipments') }}",
) }}
-- depends_on: {{ ref('audit_raw_volumes') }}
{% set raw_types = raw_column_types('shipments') %}

with

source as (

    {{ raw_rows_to_classify(source('logistics_db', 'shipments'), 'shipment_id', raw_types) }}

),

renamed as (

    select
        -- ids
        {{ typed('shipment_id', 'bigint', raw_types) }} as shipment_id,
        {{ typed('order_id', 'bigint', raw_types) }} as order_id,

        -- strings
        {{ bounded_text('shipments', 'carrier') }} as carrier,
        {{ clean_enum('status') }} as status,

        -- timestamps
        {{ utc_instant('created_at', raw_types) }} as created_at,
        {{ utc_instant('updated_at', raw_types) }} as updated_at,

        -- replication
        {{ replication_columns('shipments', raw_types) }}
    from source

),

checked as (

    {{ raw_row_checks(
        kind='entity',
        key='shipment_id',
        required=['order_id', 'created_at'],
        enums={'status': raw_enum('shipments', 'status')},
        instants=['created_at'],
    ) }}

),

versioned as (

    {{ raw_row_versions(
        'entity',
        'shipment_id',
        payload=[
            'shipment_id',
            'order_id',
            'carrier',
            'status',
            'created_at',
            'updated_at',
        ],
    ) }}

),

classified as (

    {{ raw_row_fates('entity') }}

)

select * from classified
