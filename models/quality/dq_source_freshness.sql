{#- How long each raw table has gone without a new row, at this build: the newest `_synced_at`
    of a row staging did not reject (a rejected future instant must not look fresh) against
    the build's start, and the status its source's freshness in the raw contract gives
    that age (`warn_after`, `error_after` in the sources' YAML: 6 and 24 hours for most), as
    `dbt source freshness` would judge it at that instant; `unchecked` for a table whose source
    sets no limit (`freshness: null`). Grain: one row per source_table. -#}
{%- set tables = raw_tables() -%}
{%- set limits = {} -%}
{%- for node in graph.sources.values() -%}
    {%- set freshness = node.freshness or {} -%}
    {%- set hours = {'minute': 1 / 60, 'hour': 1, 'day': 24} -%}
    {%- set warn = freshness.warn_after or {} -%}
    {%- set error = freshness.error_after or {} -%}
    {%- do limits.update({node.name: {
        'warn': (warn.count or 0) * hours.get(warn.period or 'hour', 1),
        'error': (error.count or 0) * hours.get(error.period or 'hour', 1),
    }}) -%}
{%- endfor -%}
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

with

last_synced as (

    {% for table in tables -%}
        select
            '{{ table.name }}' as source_table,
            max(_synced_at) as last_synced_at,
            {{ limits.get(table.name, {}).get('warn', 0) }} as warn_after_hours,
            {{ limits.get(table.name, {}).get('error', 0) }} as error_after_hours
        from {{ ref('base_' ~ table.name) }}
        where _row_status != 'quarantined'
        {% if not loop.last %}union all
        {% endif -%}
    {%- endfor %}

),

aged as (

    select
        source_table,
        last_synced_at,
        {{ build_clock() }} as checked_at,
        {{ hours_between('last_synced_at', build_clock()) }} as hours_since_last_row,
        warn_after_hours,
        error_after_hours
    from last_synced

),

final as (

    select
        cast(source_table as {{ dbt.type_string() }}) as source_table,
        last_synced_at,
        checked_at,
        cast(hours_since_last_row as {{ type_double() }}) as hours_since_last_row,
        cast(warn_after_hours as {{ type_double() }}) as warn_after_hours,
        cast(error_after_hours as {{ type_double() }}) as error_after_hours,
        cast(
            case
                when warn_after_hours = 0 and error_after_hours = 0 then 'unchecked'
                when last_synced_at is null then 'error'
                when error_after_hours > 0 and hours_since_last_row > error_after_hours then 'error'
                when warn_after_hours > 0 and hours_since_last_row > warn_after_hours then 'warn'
                else 'pass'
            end as {{ dbt.type_string() }}
        ) as freshness_status
    from aged

)

select * from final
