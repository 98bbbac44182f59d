{#- Every raw row of nps_responses, typed, with its fate: current, superseded, duplicate, tombstone or
    quarantined with its reason (macros/staging/classify_raw_rows.sql). Incremental: a run
    re-classifies every raw row of each key that received a row
    (macros/staging/incremental_staging.sql).
    Built only after the raw table's volume check passed (audit_raw_volumes: a truncated replica
    stops the run here, before staging, tests or not). -#}
{{ config(
    materialized='incremental',
    incremental_strategy='reclassify_keys',
    unique_key='response_id',
    on_schema_change='fail',
    pre_hook="{{ refuse_shrunken_raw_table('nps_responses') }}",
) }}
-- depends_on: {{ ref('audit_raw_volumes') }}
{% set raw_types = raw_column_types('nps_responses') %}

with

source as (

    {{ raw_rows_to_classify(source('customer_db', 'nps_responses'), 'response_id', raw_types) }}

),

renamed as (

    select
        -- ids
        {{ typed('response_id', 'bigint', raw_types) }} as response_id,
        {{ typed('customer_id', 'bigint', raw_types) }} as customer_id,

        -- strings
        {{ free_text('nps_responses', 'comment') }} as comment_text,

        -- numerics
        {{ typed('score', 'int', raw_types) }} as score,

        -- timestamps
        {{ utc_instant('responded_at', raw_types) }} as responded_at,

        -- replication
        {{ replication_columns('nps_responses', raw_types) }}
    from source

),

checked as (

    {{ raw_row_checks(
        kind='event',
        key='response_id',
        required=['customer_id', 'score', 'responded_at'],
        instants=['responded_at'],
        rules={
            'invalid_score': "score not between 0 and 10",
        },
    ) }}

),

versioned as (

    {{ raw_row_versions('event', 'response_id') }}

),

classified as (

    {{ raw_row_fates('event') }}

)

select * from classified
