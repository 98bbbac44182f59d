with

search_logs as (

    select * from {{ ref('stg_search_logs') }}

),

final as (

    select
        search_id,
        session_id,
        customer_id,
        query,
        result_count,
        result_count = 0 as is_zero_result,
        clicked_product_id is not null as has_click,
        clicked_product_id,
        searched_at,
        {{ local_date('searched_at') }} as searched_date
    from search_logs

)

select * from final
