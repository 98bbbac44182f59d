{#- Every key of an entity fact the metrics read, with a hash of what its metrics read (null once
    the key is gone), the `_built_at` of its row when the fact stamps one, and the run that last
    changed it: one row per (fact, key), kept between runs. int_metric_fact_footprints turns the
    keys a run changed into the dates they touch.

    An incremental run compares every current key with the stored one in ONE full outer join on
    (fact, key), the only join over every key, so that the engine can spill it to disk: a key
    that is new, changed (its hash moved) or gone is rewritten with `changed_at` = this run.
    A fact that is itself incremental by touched keys (macros/marts/touched_keys.sql: its rows
    carry `_built_at`) is hashed only where it was rewritten since this model last changed a key;
    its other rows join with a null hash and count as unchanged, and the outer join still
    finds the keys it dropped. The others are hashed whole. -#}
{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key=['fact_name', 'entity_key'],
    on_schema_change='fail',
) }}

{%- set catalog = metric_catalog() -%}
{%- set incremental = is_incremental() -%}
{%- set last_changed_at -%}
    (select coalesce(max(changed_at), cast('1900-01-01' as {{ dbt.type_timestamp() }})) from {{ this }})
{%- endset %}

{%- set entity_facts = [] -%}
{%- for name, spec in catalog['facts'].items() if spec.changes == 'entity' -%}
    {%- do entity_facts.append(name) -%}
{%- endfor -%}
{{ require_refs(entity_facts) }}
{#- Every entity fact the catalog names, written out for dbt's DAG (the catalog is read when this
    compiles; require_refs says what to add for a new one). -#}
-- depends_on: {{ ref('dim_customers') }}
-- depends_on: {{ ref('dim_products') }}
-- depends_on: {{ ref('dim_sellers') }}
-- depends_on: {{ ref('fct_order_items') }}
-- depends_on: {{ ref('fct_orders') }}
-- depends_on: {{ ref('fct_payments') }}
-- depends_on: {{ ref('fct_product_first_displays') }}
-- depends_on: {{ ref('fct_refunds') }}
-- depends_on: {{ ref('fct_returns') }}
-- depends_on: {{ ref('fct_sessions') }}
-- depends_on: {{ ref('fct_shipments') }}
-- depends_on: {{ ref('fct_state_transitions') }}
-- depends_on: {{ ref('fct_suspicious_ip_days') }}

with

current_keys as (

    {% for name, spec in catalog['facts'].items() if spec.changes == 'entity' -%}
        {%- set fact = metric_fact(name, catalog) -%}
        {%- set stamped = is_keyed_incremental(name) -%}
        {%- set row_hash = metric_fact_hash(catalog, fact) -%}
        {%- set is_rewritten = 'true' -%}
        {%- if stamped and incremental -%}
            {%- set is_rewritten = '_built_at > ' ~ last_changed_at -%}
            {%- set row_hash = 'case when ' ~ is_rewritten ~ ' then ' ~ row_hash ~ ' end' -%}
        {%- endif %}
        select
            cast('{{ fact.model }}' as {{ dbt.type_string() }}) as fact_name,
            {{ metric_fact_key(fact) }} as entity_key,
            {{ row_hash }} as row_hash,
            {{ is_rewritten }} as is_rewritten,
            {{ '_built_at' if stamped else 'cast(null as ' ~ dbt.type_timestamp() ~ ')' }} as built_at
        from {{ ref(fact.model) }}
        {% if not loop.last %}union all
        {% endif -%}
    {%- endfor %}

),

{% if incremental -%}
compared as (

    select
        coalesce(current_keys.fact_name, previous.fact_name) as fact_name,
        coalesce(current_keys.entity_key, previous.entity_key) as entity_key,
        current_keys.row_hash,
        current_keys.built_at,
        case
            -- gone: stored as live, no current row
            when current_keys.entity_key is null then previous.row_hash is not null
            -- new or changed
            when current_keys.is_rewritten then current_keys.row_hash is distinct from previous.row_hash
            else false
        end as is_changed
    from current_keys
    full outer join {{ this }} as previous
        on current_keys.fact_name = previous.fact_name
        and current_keys.entity_key = previous.entity_key

),

changed as (

    select
        fact_name,
        entity_key,
        row_hash,
        built_at
    from compared
    where is_changed

),
{%- else -%}
    changed as (

        select
            fact_name,
            entity_key,
            row_hash,
            built_at
        from current_keys

    ),
{%- endif %}

final as (

    select
        fact_name,
        entity_key,
        row_hash,
        built_at,
        {{ build_clock() }} as changed_at
    from changed

)

select * from final
