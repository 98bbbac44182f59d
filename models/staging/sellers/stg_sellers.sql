{{ audit_gate() }}

with

sellers as (

    select * from {{ ref('base_sellers') }}

),

final as (

    select
        seller_id,
        business_name,
        email_hash,
        status,
        requested_at,
        joined_at,
        updated_at,
        _synced_at
    from sellers
    where _row_status = 'current'

)

select * from final
