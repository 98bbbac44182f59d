{#- Every raw row that staging rejected, from every raw table, with the reason and what finds
    it in the source: its key as text (the raw text when the key itself does not parse) and
    its replication instant (the raw text when that does not parse). -#}
{%- set tables = raw_tables() -%}
{#- The contract's tables are read from dbt's graph when this runs; their models are written
    out here because dbt orders its DAG from refs it sees while parsing. -#}
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

{% for table in tables -%}
    {{ table.name }} as (

        select
            '{{ table.name }}' as source_table,
            coalesce(cast({{ table.key }} as {{ dbt.type_string() }}), _raw_key) as record_key,
            _reject_reason as reject_reason,
            _synced_at,
            _raw_synced_at
        from {{ ref('base_' ~ table.name) }}
        where _row_status = 'quarantined'

    ),

{% endfor -%}
unioned as (

    {% for table in tables -%}
        select * from {{ table.name }}
        {% if not loop.last %}union all
        {% endif -%}
    {%- endfor %}

)

select * from unioned
