{#- Incremental by touched keys (macros/marts/touched_keys.sql): a return is recomputed when a
    version of it or of its order item was re-classified. -#}
{{ config(
    materialized='incremental',
    incremental_strategy='replace_keys',
    unique_key='return_id',
    on_schema_change='fail',
) }}
{#- The models only the incremental branch reads (it finds the touched keys there). -#}
-- depends_on: {{ ref('base_returns') }}
-- depends_on: {{ ref('base_order_items') }}

with

{% if is_incremental() -%}
touched as (

    {{ reclassified_keys('base_returns', 'return_id') }}
    union
    select return_id
    from {{ ref('stg_returns') }}
    where order_item_id in (
        {{ reclassified_keys('base_order_items', 'order_item_id') }}
    )

),

{% endif -%}
returns as (

    select * from {{ ref('stg_returns') }}
    {%- if is_incremental() %}
    where return_id in (select return_id from touched)
    {%- endif %}

),

order_items as (

    select * from {{ ref('stg_order_items') }}
    {%- if is_incremental() %}
    where order_item_id in (select order_item_id from returns)
    {%- endif %}

),

final as (

    select
        returns.return_id,
        returns.order_item_id,
        order_items.order_id,
        returns.quantity,
        returns.reason,
        returns.status,
        returns.requested_at,
        {{ local_date('returns.requested_at') }} as requested_date,
        returns.completed_at,
        {{ local_date('returns.completed_at') }} as completed_date,
        returns.updated_at,
        {{ build_clock() }} as _built_at
    from returns
    left join order_items
        on returns.order_item_id = order_items.order_item_id

),

key_sentinels as (
    {{ key_sentinels('final', 'touched', 'return_id') }}

)

select * from final
union all
select * from key_sentinels
