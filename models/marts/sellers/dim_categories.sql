{#- Small, and a move in the tree changes every category below it: recomputed whole on every run,
    but only the categories whose row changed are rewritten (and stamped with `_built_at`), so
    that dim_products recomputes only the products below them (macros/marts/touched_keys.sql). -#}
{{ config(
    materialized='incremental',
    incremental_strategy='replace_keys',
    unique_key='category_id',
    on_schema_change='fail',
) }}

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
        coalesce(top_category_name, 'unknown') as top_category_name,
        {{ build_clock() }} as _built_at
    from categories

),
{%- if is_incremental() %}

{%- set compared = [] -%}
{%- if execute -%}
    {%- for column in adapter.get_columns_in_relation(this) if column.name | lower != '_built_at' -%}
        {%- do compared.append(column.name) -%}
    {%- endfor -%}
{%- endif %}

-- A category whose row differs in any column, or exists on one side only.
touched as (

    select category_id
    from (
        select {{ compared | join(', ') }} from final
        except
        select {{ compared | join(', ') }} from {{ this }}
    ) as added
    union
    select category_id
    from (
        select {{ compared | join(', ') }} from {{ this }}
        except
        select {{ compared | join(', ') }} from final
    ) as removed

),

changed as (

    select * from final
    where category_id in (select category_id from touched)

)
{%- else %}

    changed as (

        select * from final

    )
{%- endif %},

key_sentinels as (
    {{ key_sentinels('changed', 'touched', 'category_id') }}

)

select * from changed
union all
select * from key_sentinels
