{#- Incremental by touched keys (macros/marts/touched_keys.sql): a refund is recomputed when a
    version of it or of its payment was re-classified. -#}
{{ config(
    materialized='incremental',
    incremental_strategy='replace_keys',
    unique_key='refund_id',
    on_schema_change='fail',
) }}
{#- The models only the incremental branch reads (it finds the touched keys there). -#}
-- depends_on: {{ ref('base_refunds') }}
-- depends_on: {{ ref('base_payments') }}

with

{% if is_incremental() -%}
touched as (

    {{ reclassified_keys('base_refunds', 'refund_id') }}
    union
    select refund_id
    from {{ ref('stg_refunds') }}
    where payment_id in (
        {{ reclassified_keys('base_payments', 'payment_id') }}
    )

),

{% endif -%}
refunds as (

    select * from {{ ref('stg_refunds') }}
    {%- if is_incremental() %}
    where refund_id in (select refund_id from touched)
    {%- endif %}

),

payments as (

    select * from {{ ref('stg_payments') }}
    {%- if is_incremental() %}
    where payment_id in (select payment_id from refunds)
    {%- endif %}

),

final as (

    select
        refunds.refund_id,
        refunds.payment_id,
        payments.order_id,
        refunds.amount,
        refunds.reason,
        refunds.status,
        refunds.requested_at,
        {{ local_date('refunds.requested_at') }} as requested_date,
        refunds.completed_at,
        {{ local_date('refunds.completed_at') }} as completed_date,
        refunds.updated_at,
        {{ build_clock() }} as _built_at
    from refunds
    left join payments
        on refunds.payment_id = payments.payment_id

),

key_sentinels as (
    {{ key_sentinels('final', 'touched', 'refund_id') }}

)

select * from final
union all
select * from key_sentinels
