{#- Every raw row of api_request_logs, typed, with its fate: current, superseded, duplicate, tombstone or
    quarantined with its reason (macros/staging/classify_raw_rows.sql). Incremental: a run
    re-classifies every raw row of each key that received a row
    (macros/staging/incremental_staging.sql).
    Built only after the raw table's volume check passed (audit_raw_volumes: a truncated replica
    stops the run here, before staging, tests or not). -#}
{{ config(
    materialized='incremental',
    incremental_strategy='reclassify_keys',
    unique_key='request_id',
    on_schema_change='fail',
    pre_hook="{{ refuse_shrunken_raw_table('api_request_logs') }}",
) }}
-- depends_on: {{ ref('audit_raw_volumes') }}
{% set raw_types = raw_column_types('api_request_logs') %}

with

source as (

    {{ raw_rows_to_classify(source('system_logs', 'api_request_logs'), 'request_id', raw_types) }}

),

renamed as (

    select
        -- ids
        {{ typed('request_id', 'bigint', raw_types) }} as request_id,

        -- strings
        {{ clean_enum('service') }} as service,
        {{ free_text('api_request_logs', 'endpoint') }} as endpoint,
        upper({{ bounded_text('api_request_logs', 'http_method') }}) as http_method,
        {{ clean_enum('upstream_provider') }} as upstream_provider,

        -- numerics
        {{ typed('status_code', 'int', raw_types) }} as status_code,
        {{ typed('latency_ms', 'int', raw_types) }} as latency_ms,

        -- timestamps
        {{ utc_instant('requested_at', raw_types) }} as requested_at,

        -- replication
        {{ replication_columns('api_request_logs', raw_types) }}
    from source

),

checked as (

    {{ raw_row_checks(
        kind='event',
        key='request_id',
        required=['endpoint', 'http_method', 'latency_ms', 'requested_at'],
        enums={'service': raw_enum('api_request_logs', 'service')},
        optional_enums={'upstream_provider': raw_enum('api_request_logs', 'upstream_provider')},
        non_negative=['latency_ms'],
        instants=['requested_at'],
        rules={
            'invalid_status_code': "status_code not between 100 and 599",
        },
    ) }}

),

versioned as (

    {{ raw_row_versions('event', 'request_id') }}

),

classified as (

    {{ raw_row_fates('event') }}

)

select * from classified
