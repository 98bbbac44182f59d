{#- One row per raw table: every raw row accounted for by its fate in staging, and the audit
    that gates publishing (write-audit-publish, docs/decisions.md). raw_rows is counted on the
    source itself (audit_raw_volumes, this build's check), independently of the staging models,
    so a filter or join slipped into a base model shows up here as unaccounted rows.

    The staging tables read by every mart and snapshot depend on this model (audit_gate()), so
    when one of its tests fails (rows unaccounted, a quarantine above its share, a raw table
    that shrank) dbt skips them and everything after them: readers keep the last good tables. -#}
{%- set tables = raw_tables() -%}
{#- The contract's tables are read from dbt's graph when this runs; their models are written
    out here because dbt orders its DAG from refs it sees while parsing. -#}
-- depends_on: {{ ref('audit_held_rows') }}
-- depends_on: {{ ref('base_api_request_logs') }}
-- depends_on: {{ ref('base_auth_events') }}
-- depends_on: {{ ref('base_categories') }}
-- depends_on: {{ ref('base_customers') }}
-- depends_on: {{ ref('base_host_metrics') }}
-- depends_on: {{ ref('base_nps_responses') }}
-- depends_on: {{ ref('base_order_items') }}
-- depends_on: {{ ref('base_orders') }}
-- depends_on: {{ ref('base_payments') }}
-- depends_on: {{ ref('base_products') }}
-- depends_on: {{ ref('base_refunds') }}
-- depends_on: {{ ref('base_returns') }}
-- depends_on: {{ ref('base_search_logs') }}
-- depends_on: {{ ref('base_sellers') }}
-- depends_on: {{ ref('base_shipment_events') }}
-- depends_on: {{ ref('base_shipments') }}
-- depends_on: {{ ref('base_web_events') }}
{% set max_share = var('quarantine_max_share') -%}
{%- set min_rows = var('quarantine_min_rows') | int -%}
{%- set fates = ['current', 'superseded', 'duplicate', 'tombstone', 'quarantined'] -%}

with

latest_check as (

    select max(checked_at) as checked_at
    from {{ ref('audit_raw_volumes') }}

),

this_build_volumes as (

    select
        volumes.source_table,
        volumes.raw_rows,
        volumes.baseline_raw_rows,
        volumes.volume_accepted
    from {{ ref('audit_raw_volumes') }} as volumes
    inner join latest_check
        on volumes.checked_at = latest_check.checked_at

),

{% for table in tables -%}
    {{ table.name }}_raw as (

        select
            raw_rows,
            baseline_raw_rows,
            volume_accepted
        from this_build_volumes
        where source_table = '{{ table.name }}'

    ),

    {{ table.name }}_fates as (

        select
            {%- for fate in fates %}
                sum(case when _row_status = '{{ fate }}' then 1 else 0 end) as {{ fate }}_rows,
            {%- endfor %}
            sum(case when _is_conflict then 1 else 0 end) as conflicting_rows,
            count(*) as classified_rows
        from {{ ref('base_' ~ table.name) }}

    ),

    {{ table.name }} as (

        select
            '{{ table.name }}' as source_table,
            '{{ table.kind }}' as table_kind,
            {{ build_clock() }} as audited_at,
            cast(raw_count.raw_rows as {{ dbt.type_bigint() }}) as raw_rows,
            {%- for fate in fates %}
                cast(coalesce(fates.{{ fate }}_rows, 0) as {{ dbt.type_bigint() }}) as {{ fate }}_rows,
            {%- endfor %}
            cast(coalesce(fates.conflicting_rows, 0) as {{ dbt.type_bigint() }}) as conflicting_rows,
            cast((
                select count(*) from {{ ref('audit_held_rows') }} as held
                where held.source_table = '{{ table.name }}'
            ) as {{ dbt.type_bigint() }}) as held_rows,
            raw_count.baseline_raw_rows,
            raw_count.volume_accepted,
            cast({{ max_share.get(table.name, max_share['default']) }} as {{ type_double() }})
                as quarantine_max_share
        from {{ table.name }}_raw as raw_count
        cross join {{ table.name }}_fates as fates

    ),

{% endfor -%}
unioned as (

    {% for table in tables -%}
        select * from {{ table.name }}
        {% if not loop.last %}union all
        {% endif -%}
    {%- endfor %}

),

final as (

    select
        *,
        {% for fate in fates -%}
            {{ fate }}_rows{{ ' +' if not loop.last }}
        {% endfor -%}
            as accounted_rows,
        raw_rows - (
            {% for fate in fates -%}
                {{ fate }}_rows{{ ' +' if not loop.last }}
            {% endfor -%}
        ) as unaccounted_rows,
        {#- A share means something only on volume: on a handful of rows one bad row is a
            large share and no sign of a broken source. -#}
        (
            raw_rows < {{ min_rows }}
            or quarantined_rows <= quarantine_max_share * raw_rows
        ) as quarantine_within_limit
    from unioned

)

select * from final
