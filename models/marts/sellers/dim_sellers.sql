{#- The seller's e-mail (even hashed) is left out: no metric needs it. -#}
with

sellers as (

    select * from {{ ref('stg_sellers') }}

),

final as (

    select
        seller_id,
        business_name,
        status,
        requested_at,
        {{ local_date('requested_at') }} as requested_date,
        joined_at,
        {{ local_date('joined_at') }} as joined_date,
        updated_at
    from sellers

)

select * from final
