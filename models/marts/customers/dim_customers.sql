{#- Incremental by touched keys (macros/marts/touched_keys.sql): a customer is recomputed when a
    version of them or of one of their orders was re-classified (the first paid order can move). -#}
{{ config(
    materialized='incremental',
    incremental_strategy='replace_keys',
    unique_key='customer_id',
    on_schema_change='fail',
) }}
{#- The models only the incremental branch reads (it finds the touched keys there). -#}
-- depends_on: {{ ref('base_customers') }}
-- depends_on: {{ ref('base_orders') }}

with

{% if is_incremental() -%}
touched as (

    {{ reclassified_keys('base_customers', 'customer_id') }}
    union
    {{ reclassified_keys('base_orders', 'customer_id') }}

),

{% endif -%}
customers as (

    select * from {{ ref('stg_customers') }}
    {%- if is_incremental() %}
    where customer_id in (select customer_id from touched)
    {%- endif %}

),

first_paid_orders as (

    select * from {{ ref('int_orders_first_paid_by_customer') }}
    {%- if is_incremental() %}
    where customer_id in (select customer_id from customers)
    {%- endif %}

),

final as (

    select
        customers.customer_id,
        customers.email_hash,
        customers.status,
        customers.signed_up_at,
        {{ local_date('customers.signed_up_at') }} as signed_up_date,
        first_paid_orders.first_paid_order_id,
        first_paid_orders.first_paid_ordered_at,
        {{ local_date('first_paid_orders.first_paid_ordered_at') }} as first_paid_ordered_date,
        customers.updated_at,
        {{ build_clock() }} as _built_at
    from customers
    left join first_paid_orders
        on customers.customer_id = first_paid_orders.customer_id

),

key_sentinels as (
    {{ key_sentinels('final', 'touched', 'customer_id') }}

)

select * from final
union all
select * from key_sentinels
