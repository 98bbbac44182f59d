{#- What each key of an entity fact contributes to the metrics, kept between runs so that an
    incremental run can tell which dates a change touched: one row per (fact, key, date) for
    every local date the key has ever placed a row on (a date twice when two of its date columns
    agree), with its hash (int_metric_fact_keys) and the run that last changed it.

    int_metric_fact_keys finds the keys that are new, changed or gone; this model rewrites each
    of them with its current hash (null when gone), its previous dates plus its new ones, and
    `changed_at` = this run; the values models recompute the dates of the keys changed since
    their own last run. A key's dates only grow, so two builds of this model between two builds
    of a values model lose nothing. Every join here has the changed keys on one side, so the
    day's run stays small whatever the size of the facts.

    The changed keys are those the key model changed after this model last changed a row (more
    than one run's worth when a run stopped between the two models). A fact incremental by
    touched keys is read only from the oldest `_built_at` among its changed keys: a key's rows
    are rewritten together, after the run that found it changed no older. -#}
{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key=['fact_name', 'entity_key'],
    on_schema_change='fail',
) }}

{%- set catalog = metric_catalog() -%}
{%- set incremental = is_incremental() -%}
{%- set changed_since_last_run -%}
    changed_at > (
        select coalesce(max(changed_at), cast('1900-01-01' as {{ dbt.type_timestamp() }}))
        from {{ this }}
    )
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

changed_keys as (

    select
        fact_name,
        entity_key,
        row_hash,
        built_at
    from {{ ref('int_metric_fact_keys') }}
    where {{ changed_since_last_run if incremental else 'row_hash is not null' }}

),

current_dates as (

    {% for name, spec in catalog['facts'].items() if spec.changes == 'entity' -%}
        {%- set fact = metric_fact(name, catalog) -%}
        {%- set fact_loop = loop -%}
        {%- set since = '' -%}
        {%- if incremental and is_keyed_incremental(name) -%}
            {%- set since = " and _built_at >= (select min(built_at) from changed_keys where fact_name = '" ~ fact.model ~ "')" -%}
        {%- endif -%}
        {%- for date_column in fact.dates -%}
            select
                cast('{{ fact.model }}' as {{ dbt.type_string() }}) as fact_name,
                {{ metric_fact_key(fact) }} as entity_key,
                {{ date_column }} as metric_date
            from {{ ref(fact.model) }}
            where {{ date_column }} is not null{{ since }}
            {% if not (fact_loop.last and loop.last) %}union all
            {% endif -%}
        {%- endfor -%}
    {%- endfor %}

),

{% if incremental -%}
changed_dates as (

    select
        current_dates.fact_name,
        current_dates.entity_key,
        current_dates.metric_date
    from current_dates
    inner join changed_keys
        on current_dates.fact_name = changed_keys.fact_name
        and current_dates.entity_key = changed_keys.entity_key
    union
    select
        previous.fact_name,
        previous.entity_key,
        previous.metric_date
    from {{ this }} as previous
    inner join changed_keys
        on previous.fact_name = changed_keys.fact_name
        and previous.entity_key = changed_keys.entity_key
    where previous.metric_date is not null

),
{%- else -%}
    -- A full build: every current key is changed, so its dates need no join here (one below).
    changed_dates as (

        select * from current_dates

    ),
{%- endif %}

final as (

    select
        changed_keys.fact_name,
        changed_keys.entity_key,
        changed_keys.row_hash,
        changed_dates.metric_date,
        {{ build_clock() }} as changed_at
    from changed_keys
    left join changed_dates
        on changed_keys.fact_name = changed_dates.fact_name
            and changed_keys.entity_key = changed_dates.entity_key

)

select * from final
