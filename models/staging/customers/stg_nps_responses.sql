{{ audit_gate() }}

with

nps_responses as (

    select * from {{ ref('base_nps_responses') }}

),

final as (

    select
        response_id,
        customer_id,
        score,
        comment_text,
        responded_at,
        _synced_at
    from nps_responses
    where _row_status = 'current'

)

select * from final
