{#- The metric table of one grain (metrics_daily ... metrics_yearly): the columns of
    metrics.md, for every published metric of the catalog.

    1. Base values from int_metric_values, filled over every period and known dimension value
       (a value first seen in new data also gets its zeros in older periods).
    2. Ratios and formulas, level by level: a derived metric is computed once all of its
       components are, so availability (1 - api_error_rate) follows api_error_rate.
       Ratios are sum(numerator metrics) / sum(denominator metrics) of the same period and
       dimension value: recomputed over the whole period, never averaged (rule 3).
    3. Comparisons with the previous period, the same weekday a week earlier (days only) and
       the period a year earlier, each matched on metric and dimension value. -#}
{% macro metric_table(grain) -%}
    {#- What BI tools filter on: one metric's series, by dimension value. PostgreSQL only:
        DuckDB's zone maps serve without, and an index there breaks the backup-and-rename of
        a table rebuild ("<table>__dbt_backup does not exist" in the next model). -#}
    {%- if target.type == 'postgres' %}
    {{ config(indexes=[
        {'columns': ['metric_name', 'dimension_name', 'dimension_value', 'period_start'], 'unique': true},
        {'columns': ['period_start']},
    ]) }}
    {%- endif %}
    {%- set catalog = metric_catalog() -%}
    {%- set metrics = catalog['metrics'] -%}
    {%- set base_names = (catalog_metrics(base_only=true, catalog=catalog) + catalog_metrics(stock_only=true, catalog=catalog)) | map(attribute='name') | list -%}
    {#- Values that stay null when missing: percentiles of nothing, stocks before history. -#}
    {%- set nullable_names = metrics | selectattr('calc', 'in', ['percentile', 'eod']) | map(attribute='name') | list -%}
    {%- set published_names = catalog_metrics(published_only=true, catalog=catalog) | map(attribute='name') | list -%}

    {#- Order the derived metrics into levels by their dependencies. -#}
    {%- set resolved = base_names[:] -%}
    {%- set levels = [] -%}
    {%- set remaining = metrics | selectattr('calc', 'in', ['ratio', 'formula']) | list -%}
    {%- for _ in range(10) if remaining -%}
        {%- set level = [] -%}
        {%- for metric in remaining -%}
            {%- set parts = metric_components(metric) -%}
            {%- if parts | reject('in', resolved) | list | length == 0 -%}
                {%- do level.append(metric) -%}
            {%- endif -%}
        {%- endfor -%}
        {%- if not level -%}
            {{ exceptions.raise_compiler_error("metric catalog: circular or unknown components in " ~ (remaining | map(attribute='name') | join(', '))) }}
        {%- endif -%}
        {%- for metric in level -%}
            {%- do remaining.remove(metric) -%}
            {%- do resolved.append(metric.name) -%}
        {%- endfor -%}
        {%- do levels.append(level) -%}
    {%- endfor %}

with

periods as (

    select
        period_start,
        is_complete_period
    from {{ ref('int_metric_periods') }}
    where grain = '{{ grain }}'

),

dimension_values as (

    select * from {{ ref('int_metric_dimension_values') }}

),

base_values as (

    select
        metric_name,
        period_start,
        dimension_name,
        dimension_value,
        metric_value
    from {{ ref('int_metric_values') }}
    where grain = '{{ grain }}'

),

level_0 as (

    select
        dimension_values.metric_name,
        periods.period_start,
        dimension_values.dimension_name,
        dimension_values.dimension_value,
        cast(case
            when dimension_values.metric_name in ({{ sql_string_list(nullable_names) }})
                then base_values.metric_value
            else coalesce(base_values.metric_value, 0)
        end as {{ type_double() }}) as metric_value
    from periods
    cross join dimension_values
    left join base_values
        on dimension_values.metric_name = base_values.metric_name
        and periods.period_start = base_values.period_start
        and dimension_values.dimension_name = base_values.dimension_name
        and dimension_values.dimension_value = base_values.dimension_value
    where dimension_values.metric_name in ({{ sql_string_list(base_names) }})

),

{% for level in levels -%}
{%- set previous = 'level_' ~ loop.index0 %}
level_{{ loop.index }} as (

    select * from {{ previous }}
    {% for metric in level -%}
    {%- set parts = metric_components(metric) %}
    union all
    select
        '{{ metric.name }}' as metric_name,
        components.period_start,
        components.dimension_name,
        components.dimension_value,
        {{ derived_metric_expression(metric) }} as metric_value
    from (
        select
            period_start,
            dimension_name,
            dimension_value,
            {%- for part in parts %}
            max(case when metric_name = '{{ part }}' then metric_value end) as {{ part }}{{ ',' if not loop.last }}
            {%- endfor %}
        from {{ previous }}
        where metric_name in ({{ sql_string_list(parts) }})
            and dimension_name in ({{ sql_string_list(['all'] + metric.get('dimensions', [])) }})
        group by period_start, dimension_name, dimension_value
    ) as components
    {%- endfor %}

),

{% endfor -%}
metric_values as (

    select
        metric_name,
        period_start,
        dimension_name,
        dimension_value,
        cast(metric_value as {{ type_double() }}) as metric_value
    from level_{{ levels | length }}
    where metric_name in ({{ sql_string_list(published_names) }})

),

{#- Each comparison is the value a fixed number of periods earlier in the same series: the
    series are dense (every period of the grain, for every metric, dimension and value: rule 5),
    so a window `lag` finds it in one sorted pass instead of a self-join per comparison. The lag
    is kept only when it lands on the expected period start, so a gap could only give a null,
    never a wrong period. -#}
{%- set prior_year_lag = {'day': 364, 'week': 52, 'month': 12, 'quarter': 4, 'year': 1}[grain] %}
compared as (

    select
        metric_name,
        period_start,
        dimension_name,
        dimension_value,
        metric_value,
        case
            when lag(period_start, 1) over by_series = {{ period_shift(grain, 'period_start', -1) }}
                then lag(metric_value, 1) over by_series
        end as prior_period_value,
        {% if grain == 'day' -%}
        case
            when lag(period_start, 7) over by_series = {{ period_shift('day', 'period_start', -7) }}
                then lag(metric_value, 7) over by_series
        end as same_weekday_last_week_value,
        {%- else -%}
        cast(null as {{ type_double() }}) as same_weekday_last_week_value,
        {%- endif %}
        case
            when lag(period_start, {{ prior_year_lag }}) over by_series = {{ period_prior_year(grain, 'period_start') }}
                then lag(metric_value, {{ prior_year_lag }}) over by_series
        end as prior_year_value
    from metric_values
    window by_series as (
        partition by metric_name, dimension_name, dimension_value
        order by period_start
    )

),

final as (

    select
        cast(compared.metric_name as {{ dbt.type_string() }}) as metric_name,
        compared.period_start,
        cast(compared.dimension_name as {{ dbt.type_string() }}) as dimension_name,
        cast(compared.dimension_value as {{ dbt.type_string() }}) as dimension_value,
        compared.metric_value,
        compared.prior_period_value,
        compared.same_weekday_last_week_value,
        compared.prior_year_value,
        {{ pct_change('compared.metric_value', 'compared.prior_period_value') }} as pct_change_prior_period,
        {{ pct_change('compared.metric_value', 'compared.prior_year_value') }} as pct_change_prior_year,
        periods.is_complete_period
    from compared
    inner join periods
        on compared.period_start = periods.period_start

)

select * from final
{%- endmacro %}


{#- The metrics a ratio or formula reads. -#}
{% macro metric_components(metric) -%}
    {%- set parts = [] -%}
    {%- for name in metric.get('numerator', []) + metric.get('denominator', []) + modules.re.findall('{([a-z0-9_]+)}', metric.get('expression', '')) -%}
        {%- if name not in parts -%}{%- do parts.append(name) -%}{%- endif -%}
    {%- endfor -%}
    {{ return(parts) }}
{%- endmacro %}


{#- The base (or stock) metrics a ratio or formula reads, through derived components. -#}
{% macro metric_base_components(metric, catalog=none) -%}
    {%- set by_name = {} -%}
    {%- for item in (catalog or metric_catalog())['metrics'] -%}{%- do by_name.update({item.name: item}) -%}{%- endfor -%}
    {%- set pending = metric_components(metric) -%}
    {%- set bases = [] -%}
    {#- Depth-bounded walk (Jinja has no while): the catalog nests two levels at most. -#}
    {%- for _ in range(10) -%}
        {%- for name in pending[:] -%}
            {%- do pending.remove(name) -%}
            {%- if by_name[name].calc in ['ratio', 'formula'] -%}
                {%- do pending.extend(metric_components(by_name[name])) -%}
            {%- elif name not in bases -%}
                {%- do bases.append(name) -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endfor -%}
    {{ return(bases) }}
{%- endmacro %}


{#- A derived metric's value from its component columns. -#}
{% macro derived_metric_expression(metric) -%}
    {%- if metric.calc == 'ratio' -%}
        {{ safe_divide('(' ~ metric.numerator | join(' + ') ~ ')', '(' ~ metric.denominator | join(' + ') ~ ')') }}
    {%- else -%}
        {%- set ns = namespace(sql=metric.expression) -%}
        {%- for part in metric_components(metric) -%}
            {%- set ns.sql = ns.sql | replace('{' ~ part ~ '}', part) -%}
        {%- endfor -%}
        ({{ ns.sql }})
    {%- endif -%}
{%- endmacro %}


{#- (value - reference) / reference; null where the reference is null or 0. -#}
{% macro pct_change(value, reference) -%}
    case when {{ reference }} != 0 then ({{ value }} - {{ reference }}) / {{ reference }} end
{%- endmacro %}
