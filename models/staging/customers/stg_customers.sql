{{ audit_gate() }}

with

customers as (

    select * from {{ ref('base_customers') }}

),

final as (

    select
        customer_id,
        email_hash,
        status,
        signed_up_at,
        updated_at,
        _synced_at
    from customers
    where _row_status = 'current'

)

select * from final
