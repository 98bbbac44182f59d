{#- Every raw row of web_events, typed, with its fate: current, superseded, duplicate, tombstone or
    quarantined with its reason (macros/staging/classify_raw_rows.sql). Incremental: a run
    re-classifies every raw row of each key that received a row
    (macros/staging/incremental_staging.sql).
    Built only after the raw table's volume check passed (audit_raw_volumes: a truncated replica
    stops the run here, before staging, tests or not). -#}
{{ config(
    materialized='incremental',
    incremental_strategy='reclassify_keys',
    unique_key='event_id',
    on_schema_change='fail',
    pre_hook="{{ refuse_shrunken_raw_table('web_events') }}",
) }}
-- depends_on: {{ ref('audit_raw_volumes') }}
{% set raw_types = raw_column_types('web_events') %}

with

source as (

    {{ raw_rows_to_classify(source('behaviour_logs', 'web_events'), 'event_id', raw_types) }}

),

renamed as (

    select
        -- ids
        {{ typed('event_id', 'bigint', raw_types) }} as event_id,
        {{ typed('customer_id', 'bigint', raw_types) }} as customer_id,
        {{ typed('product_id', 'bigint', raw_types) }} as product_id,

        -- strings
        {{ bounded_text('web_events', 'session_id') }} as session_id,
        {{ clean_enum('event_type') }} as event_type,
        {{ clean_enum('channel') }} as channel,
        {{ clean_enum('device') }} as device,

        -- timestamps
        {{ utc_instant('occurred_at', raw_types) }} as occurred_at,

        -- replication
        {{ replication_columns('web_events', raw_types) }}
    from source

),

checked as (

    {{ raw_row_checks(
        kind='event',
        key='event_id',
        required=['session_id', 'occurred_at'],
        enums={'event_type': raw_enum('web_events', 'event_type'), 'channel': raw_enum('web_events', 'channel'), 'device': raw_enum('web_events', 'device')},
        instants=['occurred_at'],
    ) }}

),

versioned as (

    {{ raw_row_versions('event', 'event_id') }}

),

classified as (

    {{ raw_row_fates('event') }}

)

select * from classified
