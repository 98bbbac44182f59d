with

categories as (

    select * from {{ ref('int_categories_walked_to_top') }}

),

final as (

    select
        category_id,
        category_name,
        parent_category_id,
        missing_parent_category_id,
        top_category_id,
        depth,
        is_leaf,
        coalesce(top_category_name, 'unknown') as top_category_name
    from categories

)

select * from final
