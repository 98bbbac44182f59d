{#- One row: the calendar of the metric tables. Periods run from the first to the last local
    date on which any metric's fact has a row; a period is complete once its last day ends
    before the latest loaded data (the newest _synced_at of any raw row that was not
    quarantined), in the reporting time zone. -#}
{%- set catalog = metric_catalog() -%}
{%- set values_models = [] -%}
{%- for spec in catalog['facts'].values() if spec.changes != 'intervals' -%}
    {%- do values_models.append(spec.metrics) -%}
{%- endfor -%}
{{ require_refs(values_models) }}
{#- Every fact's values model the catalog names, written out for dbt's DAG (the catalog is read when this
    compiles; require_refs says what to add for a new one). -#}
-- depends_on: {{ ref('int_metric_values__api_requests') }}
-- depends_on: {{ ref('int_metric_values__auth_events') }}
-- depends_on: {{ ref('int_metric_values__customers') }}
-- depends_on: {{ ref('int_metric_values__host_samples') }}
-- depends_on: {{ ref('int_metric_values__nps_responses') }}
-- depends_on: {{ ref('int_metric_values__order_items') }}
-- depends_on: {{ ref('int_metric_values__orders') }}
-- depends_on: {{ ref('int_metric_values__payments') }}
-- depends_on: {{ ref('int_metric_values__product_first_displays') }}
-- depends_on: {{ ref('int_metric_values__products') }}
-- depends_on: {{ ref('int_metric_values__refunds') }}
-- depends_on: {{ ref('int_metric_values__returns') }}
-- depends_on: {{ ref('int_metric_values__searches') }}
-- depends_on: {{ ref('int_metric_values__sellers') }}
-- depends_on: {{ ref('int_metric_values__sessions') }}
-- depends_on: {{ ref('int_metric_values__shipments') }}
-- depends_on: {{ ref('int_metric_values__state_transitions') }}
-- depends_on: {{ ref('int_metric_values__suspicious_ip_days') }}
-- depends_on: {{ ref('int_metric_values__web_events') }}

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

{#- The values models hold a day row for every date that a metric's fact has a row on (their
    overall group admits every row), so their bounds are the facts' bounds. #}
fact_dates as (

    {% for model in values_models -%}
        select
            min(period_start) as first_date,
            max(period_start) as last_date
        from {{ ref(model) }}
        where grain = 'day'
        {% if not loop.last %}union all
        {% endif -%}
    {%- endfor %}

),

synced as (

    {% for table in raw_tables() -%}
        select max(_synced_at) as synced_at
        from {{ ref('base_' ~ table.name) }}
        where _row_status != 'quarantined'
        {% if not loop.last %}union all
        {% endif -%}
    {%- endfor %}

),

data_through as (

    select max(synced_at) as data_through_at
    from synced

),

final as (

    select
        fact_dates_bounds.first_date,
        fact_dates_bounds.last_date,
        data_through.data_through_at,
        {{ local_date('data_through.data_through_at') }} as data_through_date
    from (
        select
            min(first_date) as first_date,
            max(last_date) as last_date
        from fact_dates
    ) as fact_dates_bounds
    cross join data_through

)

select * from final
