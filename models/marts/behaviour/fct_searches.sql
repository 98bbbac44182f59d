{#- Incremental like fct_web_events: a search's current row is its first valid delivery and never
    changes afterwards, so re-reading the staging rows synced within the lookback is exact. -#}
{{
    config(
        materialized='incremental',
        unique_key='search_id',
        incremental_strategy='delete+insert',
        on_schema_change='fail',
    )
}}

with

search_logs as (

    select * from {{ ref('stg_search_logs') }}
    where {{ synced_since_lookback() }}

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
        {{ local_date('searched_at') }} as searched_date,
        _synced_at,
        {{ build_clock() }} as _built_at
    from search_logs

)

select * from final
