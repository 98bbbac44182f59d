{{ audit_gate() }}

with

categories as (

    select * from {{ ref('base_categories') }}

),

final as (

    select
        category_id,
        parent_category_id,
        category_name,
        updated_at,
        _synced_at
    from categories
    where _row_status = 'current'

)

select * from final
