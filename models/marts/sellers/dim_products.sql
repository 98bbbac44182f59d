{#- Incremental by touched keys (macros/marts/touched_keys.sql): a product is recomputed when a
    version of it was re-classified, or its category changed or vanished (a category moved under
    another parent changes the top category of every product below it). -#}
{{ config(
    materialized='incremental',
    incremental_strategy='replace_keys',
    unique_key='product_id',
    on_schema_change='fail',
) }}
{#- The models only the incremental branch reads (it finds the touched keys there). -#}
-- depends_on: {{ ref('base_products') }}
-- depends_on: {{ ref('base_categories') }}

with

{% if is_incremental() -%}
touched as (

    {{ reclassified_keys('base_products', 'product_id') }}
    union
    select product_id
    from {{ ref('stg_products') }}
    where category_id in (
        {{ reclassified_keys('base_categories', 'category_id') }}
        union
        {{ rebuilt_keys('dim_categories', 'category_id') }}
    )

),

{% endif -%}
products as (

    select * from {{ ref('stg_products') }}
    {%- if is_incremental() %}
    where product_id in (select product_id from touched)
    {%- endif %}

),

categories as (

    select * from {{ ref('dim_categories') }}

),

final as (

    select
        products.product_id,
        products.seller_id,
        products.category_id,
        coalesce(categories.top_category_name, 'unknown') as top_category_name,
        products.product_name,
        products.list_price,
        products.status,
        products.registered_at,
        {{ local_date('products.registered_at') }} as registered_date,
        products.updated_at,
        {{ build_clock() }} as _built_at
    from products
    left join categories
        on products.category_id = categories.category_id

),

key_sentinels as (
    {{ key_sentinels('final', 'touched', 'product_id') }}

)

select * from final
union all
select * from key_sentinels
