{#- Each staging table holds exactly the current rows of its base model, less those
    audit_held_rows holds back: a filter or join
    slipped into a stg_ model fails here. (The staging tables come after the audit, so this
    check sits beside them rather than in audit_row_reconciliation.) -#}
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
-- depends_on: {{ ref('stg_api_request_logs') }}
-- depends_on: {{ ref('stg_auth_events') }}
-- depends_on: {{ ref('stg_categories') }}
-- depends_on: {{ ref('stg_customers') }}
-- depends_on: {{ ref('stg_host_metrics') }}
-- depends_on: {{ ref('stg_nps_responses') }}
-- depends_on: {{ ref('stg_order_items') }}
-- depends_on: {{ ref('stg_orders') }}
-- depends_on: {{ ref('stg_payments') }}
-- depends_on: {{ ref('stg_products') }}
-- depends_on: {{ ref('stg_refunds') }}
-- depends_on: {{ ref('stg_returns') }}
-- depends_on: {{ ref('stg_search_logs') }}
-- depends_on: {{ ref('stg_sellers') }}
-- depends_on: {{ ref('stg_shipment_events') }}
-- depends_on: {{ ref('stg_shipments') }}
-- depends_on: {{ ref('stg_web_events') }}

with

{% for table in tables -%}
    {{ table.name }}_counts as (

        select
            '{{ table.name }}' as source_table,
            (select count(*) from {{ ref('stg_' ~ table.name) }}) as staged_rows,
            (
                select count(*)
                from {{ ref('base_' ~ table.name) }}
                where _row_status = 'current'
            ) as current_rows,
            (
                select count(*)
                from {{ ref('audit_held_rows') }}
                where source_table = '{{ table.name }}'
            ) as held_rows

    ),

{% endfor -%}
counts as (

    {% for table in tables -%}
        select * from {{ table.name }}_counts
        {% if not loop.last %}union all
        {% endif -%}
    {%- endfor %}

)

select *
from counts
where staged_rows <> current_rows - held_rows
