{{
    config(
        materialized='incremental',
        unique_key='sample_id',
        incremental_strategy='delete+insert',
        on_schema_change='append_new_columns',
    )
}}

with

host_metrics as (

    select * from {{ ref('stg_host_metrics') }}
    where {{ synced_since_lookback() }}

),

final as (

    select
        sample_id,
        host_name,
        service,
        cpu_utilization_pct,
        memory_utilization_pct,
        sampled_at,
        {{ local_date('sampled_at') }} as sampled_date,
        _synced_at,
        {{ build_clock() }} as _built_at
    from host_metrics

)

select * from final
