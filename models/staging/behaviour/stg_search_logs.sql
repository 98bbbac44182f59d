{{ audit_gate() }}

with

search_logs as (

    select * from {{ ref('base_search_logs') }}

),

final as (

    select
        search_id,
        session_id,
        customer_id,
        clicked_product_id,
        query,
        result_count,
        searched_at,
        _synced_at
    from search_logs
    where _row_status = 'current'

)

select * from final
