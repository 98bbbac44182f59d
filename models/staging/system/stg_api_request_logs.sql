{{ audit_gate() }}

with

api_request_logs as (

    select * from {{ ref('base_api_request_logs') }}

),

final as (

    select
        request_id,
        service,
        endpoint,
        http_method,
        upstream_provider,
        status_code,
        latency_ms,
        requested_at,
        _synced_at
    from api_request_logs
    where _row_status = 'current'

)

select * from final
