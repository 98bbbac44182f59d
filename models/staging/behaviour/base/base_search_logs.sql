{#- Every raw row of search_logs, typed, with its fate: current, superseded, duplicate, tombstone or
    quarantined with its reason (macros/staging/classify_raw_rows.sql). Incremental: a run
    re-classifies every raw row of each key that received a row
    (macros/staging/incremental_staging.sql).
    Built only after the raw table's volume check passed (audit_raw_volumes: a truncated replica
    stops the run here, before staging, tests or not). -#}
{{ config(
    materialized='incremental',
    incremental_strategy='reclassify_keys',
    unique_key='search_id',
    on_schema_change='fail',
    pre_hook="{{ refuse_shrunken_raw_table('search_logs') }}",
) }}
-- depends_on: {{ ref('audit_raw_volumes') }}
{% set raw_types = raw_column_types('search_logs') %}

with

source as (

    {{ raw_rows_to_classify(source('behaviour_logs', 'search_logs'), 'search_id', raw_types) }}

),

renamed as (

    select
        -- ids
        {{ typed('search_id', 'bigint', raw_types) }} as search_id,
        {{ typed('customer_id', 'bigint', raw_types) }} as customer_id,
        {{ typed('clicked_product_id', 'bigint', raw_types) }} as clicked_product_id,

        -- strings
        {{ bounded_text('search_logs', 'session_id') }} as session_id,
        {{ free_text('search_logs', 'query') }} as query,

        -- numerics
        {{ typed('result_count', 'int', raw_types) }} as result_count,

        -- timestamps
        {{ utc_instant('searched_at', raw_types) }} as searched_at,

        -- replication
        {{ replication_columns('search_logs', raw_types) }}
    from source

),

checked as (

    {{ raw_row_checks(
        kind='event',
        key='search_id',
        required=['session_id', 'result_count', 'searched_at'],
        non_negative=['result_count'],
        instants=['searched_at'],
    ) }}

),

versioned as (

    {{ raw_row_versions('event', 'search_id') }}

),

classified as (

    {{ raw_row_fates('event') }}

)

select * from classified
