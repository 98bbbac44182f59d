{#- Incremental by touched keys (macros/marts/touched_keys.sql): a payment is recomputed when a
    version of it was re-classified. -#}
{{ config(
    materialized='incremental',
    incremental_strategy='replace_keys',
    unique_key='payment_id',
    on_schema_change='fail',
) }}
{#- The models only the incremental branch reads (it finds the touched keys there). -#}
-- depends_on: {{ ref('base_payments') }}

with

{% if is_incremental() -%}
touched as (

    {{ reclassified_keys('base_payments', 'payment_id') }}

),

{% endif -%}
payments as (

    select * from {{ ref('stg_payments') }}
    {%- if is_incremental() %}
    where payment_id in (select payment_id from touched)
    {%- endif %}

),

payment_method_fees as (

    select * from {{ ref('payment_method_fees') }}

),

final as (

    select
        payments.payment_id,
        payments.order_id,
        payments.payment_method,
        payments.pg_provider,
        payments.status,
        payments.failure_code,
        payments.amount,
        payments.requested_at,
        {{ local_date('payments.requested_at') }} as requested_date,
        payments.completed_at,
        {{ local_date('payments.completed_at') }} as completed_date,
        case
            when payments.status in ('approved', 'failed')
                then {{ seconds_between('payments.requested_at', 'payments.completed_at') }}
        end as processing_seconds,
        cast(payment_method_fees.fee_rate as {{ type_double() }}) as fee_rate,
        case
            when payments.status = 'approved'
                then cast(payments.amount as {{ type_double() }})
                    * cast(coalesce(payment_method_fees.fee_rate, 0) as {{ type_double() }})
            else cast(0 as {{ type_double() }})
        end as pg_fee_amount,
        payments.updated_at,
        {{ build_clock() }} as _built_at
    from payments
    left join payment_method_fees
        on payments.payment_method = payment_method_fees.payment_method

),

key_sentinels as (
    {{ key_sentinels('final', 'touched', 'payment_id') }}

)

select * from final
union all
select * from key_sentinels
