{#- Every (metric, dimension, value) the metric tables report, so that every period has a
    row for each (metrics rule 5): the overall row, and for each of a metric's dimensions the
    values known to the warehouse: the dimension's reference list (a contract enumeration, a
    seed, a dimension model; a metric may name its own, as the status stocks do) and every
    value found in the metric's fact model. Ratios and formulas take the union over their
    components. -#}
{%- set catalog = metric_catalog() -%}
{%- set metrics = catalog['metrics'] -%}

{#- Every fact's values model, stock interval model and source of dimension values the catalog
    names, written out for dbt's DAG (the catalog is read when this compiles; require_refs says
    what to add for a new one). -#}
-- depends_on: {{ ref('dim_categories') }}
-- depends_on: {{ ref('enum_labels') }}
-- depends_on: {{ ref('int_customer_status_intervals') }}
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
-- depends_on: {{ ref('int_product_status_intervals') }}
-- depends_on: {{ ref('int_seller_status_intervals') }}
-- depends_on: {{ ref('int_shipment_status_intervals') }}
-- depends_on: {{ ref('payment_method_fees') }}

with

{% set selects = [] -%}
{%- set values_models = [] -%}
{%- for metric in metrics if metric.calc in ['count', 'sum', 'count_distinct', 'percentile', 'eod'] -%}
    {%- for dimension in metric.get('dimensions', []) -%}
        {%- do selects.append((metric, dimension)) -%}
    {%- endfor -%}
    {%- set values_model = catalog['facts'][metric.model]['metrics'] -%}
    {%- if metric.get('dimensions') and metric.calc != 'eod' and values_model not in values_models -%}
        {%- do values_models.append(values_model) -%}
    {%- endif -%}
{%- endfor -%}
{{- require_refs(values_models + (metrics | selectattr("calc", "equalto", "eod") | map(attribute="model") | list)) }}

{#- A value seen in a fact: the values models hold a day row for each value of each dimension
    (only the rows a dimension's `where` admits), so reading them is reading the facts, at a
    fraction of the size. Stocks read their interval models. #}
observed as (

    select
        cast(null as {{ dbt.type_string() }}) as metric_name,
        cast(null as {{ dbt.type_string() }}) as dimension_name,
        cast(null as {{ dbt.type_string() }}) as dimension_value
    where 1 = 0
    {% for model in values_models %}
        union
        select
            metric_name,
            dimension_name,
            dimension_value
        from {{ ref(model) }}
        where grain = 'day' and dimension_name != 'all'
    {%- endfor %}
    {% for metric, dimension in selects if metric.calc == 'eod' -%}
        {%- set spec = catalog['dimensions'][dimension] %}
        union
        select
            '{{ metric.name }}' as metric_name,
            '{{ dimension }}' as dimension_name,
            {{ dimension_value_sql(dimension_column(dimension, catalog)) }} as dimension_value
        from {{ ref(metric.model) }}
        {%- if spec.get('where') %}
            where {{ spec.where }}
        {%- endif %}
    {%- endfor %}

),

referenced as (

    select
        cast(null as {{ dbt.type_string() }}) as metric_name,
        cast(null as {{ dbt.type_string() }}) as dimension_name,
        cast(null as {{ dbt.type_string() }}) as dimension_value
    where 1 = 0
    {% for metric, dimension in selects -%}
    {%- set source = metric.get('dimension_values', {}).get(dimension)
        or catalog['dimensions'][dimension].get('values') -%}
        {%- if source -%}
            {%- set kind, location = source.split(' ') -%}
            {%- set source_relation, source_column = location.split('.') %}
            union
            select
                '{{ metric.name }}' as metric_name,
                '{{ dimension }}' as dimension_name,
            {%- if kind == 'enum' %}
                enum_value as dimension_value
            from {{ ref('enum_labels') }}
            where table_name = '{{ source_relation }}' and column_name = '{{ source_column }}'
            {%- else %}
                {{ dimension_value_sql(source_column) }} as dimension_value
            from {{ ref(source_relation) }}
            {%- endif %}
        {%- endif %}
    {%- endfor %}

),

base_values as (

    select
        metric_name,
        dimension_name,
        dimension_value
    from observed
    union
    select
        metric_name,
        dimension_name,
        dimension_value
    from referenced

),

{#- A derived metric's values per dimension: its components' (transitively). -#}
{%- set derived = [] -%}
{%- for metric in metrics if metric.calc in ['ratio', 'formula'] -%}
    {%- do derived.append((metric, metric_base_components(metric, catalog))) -%}
{%- endfor %}

{#- Which values a derived metric takes: one row per (derived metric, component, dimension of
    the derived metric); its overall row is in `overall`. -#}
{%- set derived_rows = [] -%}
{%- for metric, bases in derived -%}
    {%- for base in bases -%}
        {%- for dimension in metric.get('dimensions', []) -%}
            {%- do derived_rows.append([metric.name, base, dimension]) -%}
        {%- endfor -%}
    {%- endfor -%}
{%- endfor %}

derived_components as (
    {{ literal_rows(['metric_name', 'component_name', 'dimension_name'], derived_rows) }}

),

derived_values as (

    select distinct
        derived_components.metric_name,
        base_values.dimension_name,
        base_values.dimension_value
    from base_values
    inner join derived_components
        on base_values.metric_name = derived_components.component_name
            and base_values.dimension_name = derived_components.dimension_name

),

{%- set overall_rows = [] -%}
{%- for metric in metrics -%}
    {%- do overall_rows.append([metric.name, 'all', 'all']) -%}
{%- endfor %}

overall as (
    {{ literal_rows(['metric_name', 'dimension_name', 'dimension_value'], overall_rows) }}

),

final as (

    select
        metric_name,
        dimension_name,
        dimension_value
    from overall
    union all
    select
        metric_name,
        dimension_name,
        dimension_value
    from base_values
    union all
    select
        metric_name,
        dimension_name,
        dimension_value
    from derived_values

)

select * from final
