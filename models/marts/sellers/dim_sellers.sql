{#- The seller's e-mail (even hashed) is left out: no metric needs it. -#}
{#- Incremental by touched keys (macros/marts/touched_keys.sql). -#}
{{ config(
    materialized='incremental',
    incremental_strategy='replace_keys',
    unique_key='seller_id',
    on_schema_change='fail',
) }}
{#- The models only the incremental branch reads (it finds the touched keys there). -#}
-- depends_on: {{ ref('base_sellers') }}

with

{% if is_incremental() -%}
touched as (

    {{ reclassified_keys('base_sellers', 'seller_id') }}

),

{% endif -%}
sellers as (

    select * from {{ ref('stg_sellers') }}
    {%- if is_incremental() %}
    where seller_id in (select seller_id from touched)
    {%- endif %}

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
        updated_at,
        {{ build_clock() }} as _built_at
    from sellers

),

key_sentinels as (
    {{ key_sentinels('final', 'touched', 'seller_id') }}

)

select * from final
union all
select * from key_sentinels
