{#- Walks the category tree from each top-level category down to the leaves. A category is
    top-level when it has no parent or when its parent is not a current category (deleted,
    quarantined or not yet replicated). Because every category has one parent, a category on a
    parent cycle is never reached from a top: it keeps null top and depth here, and the depth
    guard only protects the query from bad data. `depth` is a keyword to sqlfluff but the
    interface's column name, hence the noqa. -#}
{%- set max_depth = 50 -%}

with recursive

categories as (

    select * from {{ ref('stg_categories') }}

),

tops as (

    select
        categories.category_id,
        categories.category_name
    from categories
    left join categories as parents
        on categories.parent_category_id = parents.category_id
    where parents.category_id is null

),

tree as (

    select
        tops.category_id,
        tops.category_id as top_category_id,
        tops.category_name as top_category_name,
        1 as depth  -- noqa: RF04
    from tops

    union all

    select
        children.category_id,
        tree.top_category_id,
        tree.top_category_name,
        tree.depth + 1 as depth  -- noqa: RF04
    from tree
    inner join categories as children
        on tree.category_id = children.parent_category_id
    where tree.depth < {{ max_depth }}

),

final as (

    select
        categories.category_id,
        categories.category_name,
        tree.top_category_id,
        tree.top_category_name,
        tree.depth,
        case
            when parents.category_id is null then null
            else categories.parent_category_id
        end as parent_category_id,
        case
            when parents.category_id is null then categories.parent_category_id
        end as missing_parent_category_id,
        not exists (
            select 1
            from categories as children
            where children.parent_category_id = categories.category_id
        ) as is_leaf
    from categories
    left join tree
        on categories.category_id = tree.category_id
    left join categories as parents
        on categories.parent_category_id = parents.category_id

)

select * from final
