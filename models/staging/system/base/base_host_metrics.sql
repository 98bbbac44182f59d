{#- Every raw row of host_metrics, typed, with its fate: current, superseded, duplicate, tombstone or
    quarantined with its reason (macros/staging/classify_raw_rows.sql). Incremental: a run
    re-classifies every raw row of each key that received a row
    (macros/staging/incremental_staging.sql).
    Built only after the raw table's volume check passed (audit_raw_volumes: a truncated replica
    stops the run here, before staging, tests or not). -#}
{{ config(
    materialized='incremental',
    incremental_strategy='reclassify_keys',
    unique_key='sample_id',
    on_schema_change='fail',
    pre_hook="{{ refuse_shrunken_raw_table('host_metrics') }}",
) }}
-- depends_on: {{ ref('audit_raw_volumes') }}
{% set raw_types = raw_column_types('host_metrics') %}

with

source as (

    {{ raw_rows_to_classify(source('system_logs', 'host_metrics'), 'sample_id', raw_types) }}

),

renamed as (

    select
        -- ids
        {{ typed('sample_id', 'bigint', raw_types) }} as sample_id,

        -- strings
        {{ bounded_text('host_metrics', 'host') }} as host_name,
        {{ clean_enum('service') }} as service,

        -- numerics
        {{ typed('cpu_utilization_pct', 'double', raw_types) }} as cpu_utilization_pct,
        {{ typed('memory_utilization_pct', 'double', raw_types) }} as memory_utilization_pct,

        -- timestamps
        {{ utc_instant('sampled_at', raw_types) }} as sampled_at,

        -- replication
        {{ replication_columns('host_metrics', raw_types) }}
    from source

),

checked as (

    {{ raw_row_checks(
        kind='event',
        key='sample_id',
        required=['host_name', 'cpu_utilization_pct', 'memory_utilization_pct', 'sampled_at'],
        enums={'service': raw_enum('host_metrics', 'service')},
        instants=['sampled_at'],
        rules={
            'invalid_cpu_utilization_pct': "cpu_utilization_pct not between 0 and 100",
            'invalid_memory_utilization_pct': "memory_utilization_pct not between 0 and 100",
        },
    ) }}

),

versioned as (

    {{ raw_row_versions('event', 'sample_id') }}

),

classified as (

    {{ raw_row_fates('event') }}

)

select * from classified
