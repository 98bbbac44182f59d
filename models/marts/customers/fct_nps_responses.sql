{#- The free-text comment stays in staging: it can hold personal data. -#}
with

nps_responses as (

    select * from {{ ref('stg_nps_responses') }}

),

final as (

    select
        response_id,
        customer_id,
        score,
        score >= 9 as is_promoter,
        score <= 6 as is_detractor,
        responded_at,
        {{ local_date('responded_at') }} as responded_date,
        _synced_at,
        {{ build_clock() }} as _built_at
    from nps_responses

)

select * from final
