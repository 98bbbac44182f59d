{{
    config(
        materialized='incremental',
        unique_key='request_id',
        incremental_strategy='delete+insert',
        on_schema_change='append_new_columns',
    )
}}

with

api_request_logs as (

    select * from {{ ref('stg_api_request_logs') }}
    where {{ synced_since_lookback() }}

),

final as (

    select
        request_id,
        service,
        endpoint,
        http_method,
        status_code,
        latency_ms,
        upstream_provider,
        upstream_provider is not null as is_external,
        coalesce(status_code >= 500, true) as is_error,
        requested_at,
        {{ local_date('requested_at') }} as requested_date,
        _synced_at,
        {{ build_clock() }} as _built_at
    from api_request_logs

)

select * from final
