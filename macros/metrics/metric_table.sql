{#- The metric tables (metrics_daily ... metrics_yearly): the columns of the metric tables'
    contract (docs/dbt/metric_tables.md) for every published metric. Each table's file names
    its steps; their bodies are the macros below:

    1. level_0: base values from int_metric_values, filled over every period and known
       dimension value (a value first seen in new data also gets its zeros in older periods).
    2. level_1 .. level_n: ratios and formulas, level by level (metric_levels): a derived metric
       is computed once all of its components are, so availability (1 - api_error_rate) follows
       api_error_rate. Ratios are sum(numerator metrics) / sum(denominator metrics) of the same
       period and dimension value: recomputed over the whole period, never averaged (rule 3).
    3. compared: comparisons with the previous period, the same weekday a week earlier (days
       only) and the period a year earlier, each matched on metric and dimension value. -#}


{#- The derived metrics (ratios, formulas) in levels: each level's metrics read only base
    metrics or metrics of earlier levels. A list of lists of catalog entries.

    Example: {% set levels = metric_levels() %}
      returns  [[api_error_rate, average_order_value, ..., gross_profit, nps, ..., zero_result_rate],
                [availability]]
    (every ratio and the formulas over base metrics first, then availability = 1 - api_error_rate) -#}
{% macro metric_levels() -%}
    {%- set catalog = metric_catalog() -%}
    {%- set metrics = catalog['metrics'] -%}
    {%- set resolved = (catalog_metrics(base_only=true, catalog=catalog) + catalog_metrics(stock_only=true, catalog=catalog)) | map(attribute='name') | list -%}
    {%- set levels = [] -%}
    {%- set remaining = metrics | selectattr('calc', 'in', ['ratio', 'formula']) | list -%}
    {%- for _ in range(10) if remaining -%}
        {%- set level = [] -%}
        {%- for metric in remaining -%}
            {%- if metric_components(metric) | reject('in', resolved) | list | length == 0 -%}
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
    {%- endfor -%}
    {{ return(levels) }}
{%- endmacro %}


{#- Every base and stock metric on every period of `periods` and every known value of
    `dimension_values`, from `base_values`: 0 where a count or sum has no row, null for a
    percentile of nothing or a stock before history. Body of `level_0`.

    Example: level_0 as ({{ metric_base_level() }}),
      renders  select dimension_values.metric_name, periods.period_start, ...,
                   cast(case when dimension_values.metric_name in ('api_latency_ms_p50', ...)
                       then base_values.metric_value
                       else coalesce(base_values.metric_value, 0) end as double precision) as metric_value
               from periods cross join dimension_values left join base_values on ...
               where dimension_values.metric_name in ('active_customers', 'add_to_cart_events', ...)
      -- metric_name, period_start, dimension_name, dimension_value, metric_value -#}
{% macro metric_base_level() -%}
    {%- set catalog = metric_catalog() -%}
    {%- set base_names = (catalog_metrics(base_only=true, catalog=catalog) + catalog_metrics(stock_only=true, catalog=catalog)) | map(attribute='name') | list -%}
    {#- Values that stay null when missing: percentiles of nothing, stocks before history. -#}
    {%- set nullable_names = catalog['metrics'] | selectattr('calc', 'in', ['percentile', 'eod']) | map(attribute='name') | list %}
    select
        dimension_values.metric_name,
        periods.period_start,
        dimension_values.dimension_name,
        dimension_values.dimension_value,
        cast(case
            {#- PostgreSQL refuses an empty `in ()`: no nullable metric, no such branch. #}
            when {{ 'dimension_values.metric_name in (' ~ sql_string_list(nullable_names) ~ ')' if nullable_names else 'false' }}
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
{%- endmacro %}


{#- The rows of `previous` and, for each derived metric of `level`, its value from its
    components' values in `previous`, per period and dimension value. Body of `level_<n>`.

    One pass over `previous` pivots every component of the level into a column per
    (period, dimension value), with a flag saying whether the component had a row there; each
    derived metric of the level is then a row of that pivot (a cross join with the level's
    names), kept where the metric is published by that dimension and one of its components had
    a row. So `previous` is read twice per level, whatever the number of metrics: Spark
    inlines every reference to a CTE, and a select per metric multiplied the plan by the
    number of metrics at each level.

    Example: level_1 as ({{ metric_derived_level(levels[0], 'level_0') }}),
      renders  select * from level_0
               union all
               select level_metrics.metric_name, components.period_start, ...,
                   case level_metrics.metric_name
                       when 'api_error_rate' then (cast((api_errors) as double precision)
                           / nullif(cast((api_requests) as double precision), 0))
                       when ... end as metric_value
               from (select period_start, dimension_name, dimension_value,
                         max(case when metric_name = 'api_errors' then metric_value end) as api_errors,
                         max(case when metric_name = 'api_errors' then 1 else 0 end) as has_api_errors, ...
                     from level_0
                     where metric_name in ('api_errors', 'api_requests', ...)
                         and dimension_name in ('all', 'service', ...)
                     group by period_start, dimension_name, dimension_value) as components
               cross join (<the level's metric names>) as level_metrics
               where (level_metrics.metric_name = 'api_error_rate'
                       and components.dimension_name in ('all', 'service')
                       and (components.has_api_errors = 1 or components.has_api_requests = 1))
                   or ... -#}
{% macro metric_derived_level(level, previous) -%}
    {%- set parts = [] -%}
    {%- set dimensions = ['all'] -%}
    {%- set names = [] -%}
    {%- for metric in level -%}
        {%- do names.append([metric.name]) -%}
        {%- for part in metric_components(metric) if part not in parts -%}
            {%- do parts.append(part) -%}
        {%- endfor -%}
        {%- for dimension in metric.get('dimensions', []) if dimension not in dimensions -%}
            {%- do dimensions.append(dimension) -%}
        {%- endfor -%}
    {%- endfor %}
    select * from {{ previous }}
    union all
    select
        level_metrics.metric_name,
        components.period_start,
        components.dimension_name,
        components.dimension_value,
        case level_metrics.metric_name
            {%- for metric in level %}
            when '{{ metric.name }}' then {{ derived_metric_expression(metric) }}
            {%- endfor %}
        end as metric_value
    from (
        select
            period_start,
            dimension_name,
            dimension_value,
            {%- for part in parts %}
            max(case when metric_name = '{{ part }}' then metric_value end) as {{ part }},
            max(case when metric_name = '{{ part }}' then 1 else 0 end) as has_{{ part }}{{ ',' if not loop.last }}
            {%- endfor %}
        from {{ previous }}
        where metric_name in ({{ sql_string_list(parts) }})
            and dimension_name in ({{ sql_string_list(dimensions) }})
        group by period_start, dimension_name, dimension_value
    ) as components
    cross join (
        {{ literal_rows(['metric_name'], names) }}
    ) as level_metrics
    where
        {%- for metric in level %}
        (
            level_metrics.metric_name = '{{ metric.name }}'
            and components.dimension_name in ({{ sql_string_list(['all'] + metric.get('dimensions', [])) }})
            and (
                {%- for part in metric_components(metric) %}
                components.has_{{ part }} = 1{{ ' or' if not loop.last }}
                {%- endfor %}
            )
        ){{ ' or' if not loop.last }}
        {%- endfor %}
{%- endmacro %}


{#- The published metrics of `last_level` (hidden components dropped), values as doubles.

    Example: metric_values as ({{ metric_published_values('level_2') }}),
      renders  select metric_name, period_start, dimension_name, dimension_value,
                   cast(metric_value as double precision) as metric_value
               from level_2
               where metric_name in (<the names of the published metrics>) -#}
{% macro metric_published_values(last_level) -%}
    {%- set published_names = catalog_metrics(published_only=true) | map(attribute='name') | list %}
    select
        metric_name,
        period_start,
        dimension_name,
        dimension_value,
        cast(metric_value as {{ type_double() }}) as metric_value
    from {{ last_level }}
    where metric_name in ({{ sql_string_list(published_names) }})
{%- endmacro %}


{#- Each comparison is the value a fixed number of periods earlier in the same series: the
    series are dense (every period of the grain, for every metric, dimension and value: rule 5),
    so a window `lag` finds it in one sorted pass instead of a self-join per comparison. The lag
    is kept only when it lands on the expected period start, so a gap could only give a null,
    never a wrong period. Body of `compared` (reads `metric_values`).

    Example: compared as ({{ metric_comparisons('week') }}),
      renders  select metric_name, period_start, dimension_name, dimension_value, metric_value,
                   case when lag(period_start, 1) over by_series = <period_start - 7 days>
                       then lag(metric_value, 1) over by_series end as prior_period_value,
                   cast(null as double precision) as same_weekday_last_week_value,
                   case when lag(period_start, 52) over by_series = <period_start - 364 days>
                       then lag(metric_value, 52) over by_series end as prior_year_value
               from metric_values
               window by_series as (partition by metric_name, dimension_name, dimension_value
                   order by period_start)
    (at day grain the lags are 1, 7 and 364 days) -#}
{% macro metric_comparisons(grain) -%}
    {%- set prior_year_lag = {'day': 364, 'week': 52, 'month': 12, 'quarter': 4, 'year': 1}[grain] %}
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
{%- endmacro %}


{#- The metrics a ratio or formula reads, each once: the numerator's and denominator's, or the
    `{name}` placeholders of a formula.

    Example: metric_components(payment_success_rate)   returns ['payments_approved', 'payments_failed']
             metric_components(availability)           returns ['api_error_rate']
    (availability's expression is '1 - {api_error_rate}') -#}
{% macro metric_components(metric) -%}
    {%- set parts = [] -%}
    {%- for name in metric.get('numerator', []) + metric.get('denominator', []) + modules.re.findall('{([a-z0-9_]+)}', metric.get('expression', '')) -%}
        {%- if name not in parts -%}{%- do parts.append(name) -%}{%- endif -%}
    {%- endfor -%}
    {{ return(parts) }}
{%- endmacro %}


{#- The base (or stock) metrics a ratio or formula reads, through derived components.

    Example: metric_base_components(availability)   returns ['api_errors', 'api_requests']
    (availability reads api_error_rate, the ratio api_errors / api_requests) -#}
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


{#- A derived metric's value from its component columns: an expression over columns named
    after the components (as metric_derived_level() pivots them).

    Example: {{ derived_metric_expression(availability) }}
      renders  (1 - api_error_rate)
    and for payment_success_rate, a ratio:
      renders  (cast((payments_approved) as double precision)
                / nullif(cast((payments_approved + payments_failed) as double precision), 0)) -#}
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
