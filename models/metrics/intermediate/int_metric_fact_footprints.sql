{#- What each key of an entity fact contributes to the metrics, kept between runs so that an
    incremental run can tell which dates a change touched: one row per (fact, key, date) for
    every local date the key has ever placed a row on (a date twice when two of its date columns
    agree), with a hash of what its metrics read (macros/metrics/metric_values.sql,
    metric_fact_hash: 64-bit on DuckDB, md5 elsewhere) and the run that last changed it.

    A run compares every key's hash with the stored one. A key that is new, changed or gone
    (a tombstone, an item whose order vanished) is rewritten with its current hash (null when
    gone), its previous dates plus its new ones, and `changed_at` = this run; the values models
    recompute the dates of the keys changed since their own last run. A key's dates only grow,
    so two builds of this model between two builds of a values model lose nothing.

    A fact that is itself incremental by touched keys (macros/marts/touched_keys.sql: its rows
    carry `_built_at`) is compared only where it was rewritten since this model last changed a
    key, plus an anti-join on the key alone to find the keys it dropped; the others are hashed
    whole. -#}
{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key=['fact_name', 'entity_key'],
    on_schema_change='fail',
) }}

{%- set catalog = metric_catalog() -%}
{%- set facts = [] -%}
{%- for name, spec in catalog['facts'].items() if spec.changes == 'entity' -%}
    {%- set fact = metric_fact(catalog, name) -%}
    {%- do fact.update({'keyed': is_incremental() and is_keyed_incremental(name)}) -%}
    {%- do facts.append(fact) -%}
{%- endfor %}
{%- set last_changed_at -%}
    (select coalesce(max(changed_at), cast('1900-01-01' as {{ dbt.type_timestamp() }})) from {{ this }})
{%- endset %}

with

current_keys as (

    {% for fact in facts -%}
        select
            cast('{{ fact.model }}' as {{ dbt.type_string() }}) as fact_name,
            {{ metric_fact_key(fact) }} as entity_key,
            {{ metric_fact_hash(catalog, fact) }} as row_hash
        from {{ ref(fact.model) }}
        {%- if fact.keyed %}
        where _built_at > {{ last_changed_at }}
        {%- endif %}
        {% if not loop.last %}union all
        {% endif -%}
    {%- endfor %}

),

current_dates as (

    {% for fact in facts -%}
        {%- set fact_loop = loop -%}
        {%- for date_column in fact.dates -%}
            select
                cast('{{ fact.model }}' as {{ dbt.type_string() }}) as fact_name,
                {{ metric_fact_key(fact) }} as entity_key,
                {{ date_column }} as metric_date
            from {{ ref(fact.model) }}
            where {{ date_column }} is not null{{ (' and _built_at > ' ~ last_changed_at) if fact.keyed }}
            {% if not (fact_loop.last and loop.last) %}union all
            {% endif -%}
        {%- endfor -%}
    {%- endfor %}

),

{% if is_incremental() -%}
{%- set keyed = facts | selectattr('keyed') | list %}
{%- if keyed %}

-- Every key a keyed fact holds now, to find the ones it dropped.
all_keyed_keys as (

    {% for fact in keyed -%}
        select
            cast('{{ fact.model }}' as {{ dbt.type_string() }}) as fact_name,
            {{ metric_fact_key(fact) }} as entity_key
        from {{ ref(fact.model) }}
        {% if not loop.last %}union all
        {% endif -%}
    {%- endfor %}

),
{%- endif %}

changed_keys as (

    {#- Every stored row of a key carries its hash, so the joins need no distinct first. #}
    select distinct
        coalesce(current_keys.fact_name, previous.fact_name) as fact_name,
        coalesce(current_keys.entity_key, previous.entity_key) as entity_key,
        current_keys.row_hash
    {%- if keyed %}
    from (
        select * from current_keys
        where fact_name not in ({{ sql_string_list(keyed | map(attribute='model') | list) }})
    ) as current_keys
    full outer join (
        select * from {{ this }}
        where fact_name not in ({{ sql_string_list(keyed | map(attribute='model') | list) }})
    ) as previous
    {%- else %}
    from current_keys
    full outer join {{ this }} as previous
    {%- endif %}
        on current_keys.fact_name = previous.fact_name
        and current_keys.entity_key = previous.entity_key
    where current_keys.row_hash is distinct from previous.row_hash
    {%- if keyed %}

    union

    -- Keyed facts: a rewritten row whose hash moved, or that is new ...
    select
        current_keys.fact_name,
        current_keys.entity_key,
        current_keys.row_hash
    from current_keys
    left join {{ this }} as previous
        on current_keys.fact_name = previous.fact_name
        and current_keys.entity_key = previous.entity_key
    where
        current_keys.fact_name in ({{ sql_string_list(keyed | map(attribute='model') | list) }})
        and current_keys.row_hash is distinct from previous.row_hash

    union

    -- ... or a stored key the fact no longer holds.
    select
        previous.fact_name,
        previous.entity_key,
        null as row_hash
    from {{ this }} as previous
    left join all_keyed_keys
        on previous.fact_name = all_keyed_keys.fact_name
        and previous.entity_key = all_keyed_keys.entity_key
    where
        previous.fact_name in ({{ sql_string_list(keyed | map(attribute='model') | list) }})
        and previous.row_hash is not null
        and all_keyed_keys.entity_key is null
    {%- endif %}

),

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
    changed_keys as (

        select * from current_keys

    ),

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
