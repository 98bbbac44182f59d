{#- SQL from the metric catalog (metric_catalog(): dbt's semantic layer). -#}

{#- The catalog's metrics: all, or only those computed from one fact by date (`base_only`),
    only the end-of-period stocks (`stock_only`), only the published ones. A list of catalog
    entries (metric_catalog()), empty while dbt parses.

    Example: {{ catalog_metrics(stock_only=true) | map(attribute='name') | list }}
      returns  ['customers_by_status_eod', 'products_total_eod', 'products_displayed_eod',
                'sellers_by_status_eod', 'shipments_by_status_eod'] -#}
{% macro catalog_metrics(base_only=false, published_only=false, stock_only=false, catalog=none) -%}
    {%- set out = [] -%}
    {%- for metric in (catalog or metric_catalog())['metrics'] -%}
        {%- if (not base_only or metric.calc in ['count', 'sum', 'count_distinct', 'percentile'])
            and (not stock_only or metric.calc == 'eod')
            and (not published_only or not metric.get('hidden', false)) -%}
            {%- do out.append(metric) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(out) }}
{%- endmacro %}


{#- A dimension's fact column (the catalog's `column`, else the dimension's own name). Pass the
    parsed `catalog` where the caller has it: parsing it is the costly part.

    Example: {{ dimension_column('category') }}   returns 'top_category_name'
             {{ dimension_column('pg_provider') }}   returns 'pg_provider' -#}
{% macro dimension_column(dimension_name, catalog=none) -%}
    {{ return((catalog or metric_catalog())['dimensions'][dimension_name].get('column', dimension_name)) }}
{%- endmacro %}


{#- A dimension value as reported: text, with null reported as 'none'.

    Example: {{ dimension_value_sql('pg_provider') }}
      renders  coalesce(cast(pg_provider as TEXT), 'none')   (DuckDB)
    (for 'kcp': 'kcp'; for null: 'none') -#}
{% macro dimension_value_sql(column) -%}
    coalesce(cast({{ column }} as {{ dbt.type_string() }}), 'none')
{%- endmacro %}


{#- The aggregate of one base metric over the rows of its group, from its measure: `agg` over
    `expr` (the metric's filter is inside the expression: `case when is_paid_order then
    item_amount end`), a stock's `where` aside.

    Example: {{ metric_aggregate(metric) }}, for the catalog entry of gmv,
      renders  coalesce(sum(cast(case when is_paid_order then item_amount end as decimal(38, 6))), 0)
    (and for orders, a count of rows: coalesce(sum(cast(1 as decimal(38, 6))), 0)) -#}
{% macro metric_aggregate(metric) -%}
    {%- set value = ('case when ' ~ metric.where ~ ' then ' ~ metric.value ~ ' end') if metric.get('where') else metric.value -%}
    {%- if metric.calc == 'sum' -%}
        {#- Exact decimal sums: the same digits on every engine whatever the row order; 0 over
            rows none of which the filter admits. -#}
        coalesce(sum(cast({{ value }} as decimal(38, 6))), 0)
    {%- elif metric.calc == 'count' -%}
        count({{ value }})
    {%- elif metric.calc == 'count_distinct' -%}
        count(distinct {{ value }})
    {%- elif metric.calc == 'percentile' -%}
        {#- Rounded to 6 decimals through an exact decimal: the engines interpolate with
            different float steps (8.95 against 8.949999999999998), and must agree. -#}
        cast(percentile_cont({{ metric.p }}) within group (
            order by cast({{ value }} as {{ type_double() }})
        ) as decimal(38, 6))
    {%- else -%}
        {{ exceptions.raise_compiler_error("metric_aggregate: " ~ metric.name ~ " is not a base metric") }}
    {%- endif -%}
{%- endmacro %}


{#- Several percentiles of one column and filter (`metrics` share value and where) as one
    aggregate: an array of doubles, in the order of `metrics`, indexed from 1.

    Example: {{ metric_percentiles_aggregate(metrics) }}, for api_latency_ms_p50 and _p95,
      renders  percentile_cont(array[0.5, 0.95]) within group (
                   order by cast(case when not is_external then latency_ms end as double precision))
    (DuckDB, PostgreSQL; read its elements with array_element(..., 1) and (..., 2)) -#}
{% macro metric_percentiles_aggregate(metrics) -%}
    {{ return(adapter.dispatch('metric_percentiles_aggregate', 'marketmetrics')(metrics)) }}
{%- endmacro %}

{#- DuckDB and PostgreSQL: percentile_cont over an array of fractions, an ordered-set aggregate. -#}
{% macro default__metric_percentiles_aggregate(metrics) -%}
    {%- set first = metrics[0] -%}
    percentile_cont(array[{{ metrics | map(attribute='p') | join(', ') }}]) within group (
            order by cast({{ first.value }} as {{ type_double() }})
        )
{%- endmacro %}

{#- Spark's percentile() is the same linear interpolation, over an array of fractions. -#}
{% macro spark__metric_percentiles_aggregate(metrics) -%}
    {%- set first = metrics[0] -%}
    percentile(
        cast({{ first.value }} as {{ type_double() }}),
        array({{ metrics | map(attribute='p') | join(', ') }})
    )
{%- endmacro %}
