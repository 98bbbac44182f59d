{{ audit_gate() }}

with

host_metrics as (

    select * from {{ ref('base_host_metrics') }}

),

final as (

    select
        sample_id,
        host_name,
        service,
        cpu_utilization_pct,
        memory_utilization_pct,
        sampled_at,
        _synced_at
    from host_metrics
    where _row_status = 'current'

)

select * from final
