{#- SQL generated from the metric catalog (macros/metrics/metric_catalog.sql). -#}

{#- The catalog's metrics: all, or only those computed from one fact by date (`base_only`),
    only the end-of-period stocks (`stock_only`), only the published ones. -#}
{% macro catalog_metrics(base_only=false, published_only=false, stock_only=false) -%}
    {%- set out = [] -%}
    {%- for metric in metric_catalog()['metrics'] -%}
        {%- if (not base_only or metric.calc in ['count', 'sum', 'count_distinct', 'percentile'])
            and (not stock_only or metric.calc == 'eod')
            and (not published_only or not metric.get('hidden', false)) -%}
            {%- do out.append(metric) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(out) }}
{%- endmacro %}


{#- The fact models the base metrics read, in catalog order, without repeats. -#}
{% macro metric_models() -%}
    {%- set out = [] -%}
    {%- for metric in catalog_metrics(base_only=true) -%}
        {%- if metric.model not in out -%}{%- do out.append(metric.model) -%}{%- endif -%}
    {%- endfor -%}
    {{ return(out) }}
{%- endmacro %}


{#- A dimension's fact column (the catalog's `column`, else the dimension's own name). -#}
{% macro dimension_column(dimension_name) -%}
    {{ return(metric_catalog()['dimensions'][dimension_name].get('column', dimension_name)) }}
{%- endmacro %}


{#- A dimension value as reported: text, with null reported as 'none'. -#}
{% macro dimension_value_sql(column) -%}
    coalesce(cast({{ column }} as {{ dbt.type_string() }}), 'none')
{%- endmacro %}


{#- The aggregate of one base metric over the rows of its group. -#}
{% macro metric_aggregate(metric) -%}
    {%- set condition = metric.get('where') -%}
    {%- if metric.calc == 'count' -%}
        sum(case when {{ condition or 'true' }} then 1 else 0 end)
    {%- elif metric.calc == 'sum' -%}
        {#- Exact decimal sums: the same digits on both engines whatever the row order. -#}
        sum(case when {{ condition or 'true' }} then cast({{ metric.value }} as decimal(38, 6)) else 0 end)
    {%- elif metric.calc == 'count_distinct' -%}
        count(distinct case when {{ condition or 'true' }} then {{ metric.value }} end)
    {%- elif metric.calc == 'percentile' -%}
        {#- Rounded to 6 decimals through an exact decimal: the engines interpolate with
            different float steps (8.95 against 8.949999999999998), and must agree. -#}
        cast(percentile_cont({{ metric.p }}) within group (
            order by case when {{ condition or 'true' }} then cast({{ metric.value }} as {{ type_double() }}) end
        ) as decimal(38, 6))
    {%- else -%}
        {{ exceptions.raise_compiler_error("metric_aggregate: " ~ metric.name ~ " is not a base metric") }}
    {%- endif -%}
{%- endmacro %}


{#- Base metric values at `grain` from the facts: one scan per (fact model, date column,
    dimension), with every metric of that group as a conditional aggregate, unpivoted to
    (metric_name, period_start, dimension_name, dimension_value, metric_value).
    `since` is a SQL date expression: only periods starting on or after it are computed. -#}
{% macro metric_base_values(grain, since=none) -%}
    {%- set groups = {} -%}
    {%- set group_order = [] -%}
    {%- for metric in catalog_metrics(base_only=true) -%}
        {%- for dimension in ['all'] + metric.get('dimensions', []) -%}
            {%- set key = metric.model ~ '|' ~ metric.date ~ '|' ~ dimension -%}
            {%- if key not in groups -%}
                {%- do groups.update({key: []}) -%}
                {%- do group_order.append(key) -%}
            {%- endif -%}
            {%- do groups[key].append(metric) -%}
        {%- endfor -%}
    {%- endfor -%}
    {%- for key in group_order -%}
        {%- set model, date_column, dimension = key.split('|') -%}
        {%- set metrics = groups[key] %}
    select
        metric_names.metric_name,
        cast('{{ grain }}' as {{ dbt.type_string() }}) as grain,
        grouped.period_start,
        cast('{{ dimension }}' as {{ dbt.type_string() }}) as dimension_name,
        grouped.dimension_value,
        case metric_names.metric_name
            {%- for metric in metrics %}
            when '{{ metric.name }}' then grouped.{{ metric.name }}
            {%- endfor %}
        end as metric_value
    from (
        select
            {{ period_start(grain, date_column) }} as period_start,
            {% if dimension == 'all' -%}
            cast('all' as {{ dbt.type_string() }}) as dimension_value,
            {%- else -%}
            {{ dimension_value_sql(dimension_column(dimension)) }} as dimension_value,
            {%- endif %}
            {%- for metric in metrics %}
            cast({{ metric_aggregate(metric) }} as {{ type_double() }}) as {{ metric.name }}{{ ',' if not loop.last }}
            {%- endfor %}
        from {{ ref(model) }}
        where {{ date_column }} is not null
        {%- if since is not none %}
            and {{ date_column }} >= {{ since }}
        {%- endif %}
        group by 1, 2
    ) as grouped
    cross join (
        values {% for metric in metrics %}('{{ metric.name }}'){{ ', ' if not loop.last }}{% endfor %}
    ) as metric_names (metric_name)
    {% if not loop.last %}union all{% endif %}
    {%- endfor -%}
{%- endmacro %}


{#- End-of-period stocks at `grain` (calc eod): for each period, the keys whose status
    interval covers the end of the period's last local day, [valid_from_at, valid_to_at),
    counted overall and per dimension value. Periods before the history begins are nulled by
    the caller (int_metric_values), which knows every period, not only those with rows. -#}
{% macro metric_eod_values(grain, since=none) -%}
    {%- for metric in catalog_metrics(stock_only=true) -%}
        {%- set metric_loop = loop -%}
        {%- for dimension in ['all'] + metric.get('dimensions', []) %}
    select
        cast('{{ metric.name }}' as {{ dbt.type_string() }}) as metric_name,
        cast('{{ grain }}' as {{ dbt.type_string() }}) as grain,
        periods.period_start,
        cast('{{ dimension }}' as {{ dbt.type_string() }}) as dimension_name,
        {% if dimension == 'all' -%}
        cast('all' as {{ dbt.type_string() }}) as dimension_value,
        {%- else -%}
        {{ dimension_value_sql('intervals.' ~ dimension_column(dimension)) }} as dimension_value,
        {%- endif %}
        cast(count(distinct intervals.entity_key) as {{ type_double() }}) as metric_value
    from {{ ref('int_metric_periods') }} as periods
    inner join {{ ref(metric.model) }} as intervals
        on intervals.valid_from_at < {{ local_day_end_utc('periods.period_last_day') }}
        and (
            intervals.valid_to_at is null
            or intervals.valid_to_at >= {{ local_day_end_utc('periods.period_last_day') }}
        )
    where periods.grain = '{{ grain }}'
        {%- if since is not none %}
        and periods.period_start >= {{ since }}
        {%- endif %}
        {%- if metric.get('where') %}
        and ({{ metric.where }})
        {%- endif %}
    group by 1, 2, 3, 4, 5
    {% if not (metric_loop.last and loop.last) %}union all{% endif %}
        {%- endfor -%}
    {%- endfor -%}
{%- endmacro %}
