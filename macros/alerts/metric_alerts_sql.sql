{#- The SQL of the model metric_alerts, generated from the rules (alert_rules(), checked by
    marketmetrics.alerts.validate_rules before they reach dbt): one CTE per rule over the metric
    table of its grain, their union, then whether the alert is open. Evaluation only: the
    labels and the message are made in Python (marketmetrics.alerts). A macro, as the metric
    tables are, so the model file stays one line of SQL a linter can read. -#}
{% macro metric_alerts_sql() -%}
{%- set spec = alert_rules() -%}
{%- set rules = spec['rules'] -%}
{%- set open_days = spec.get('settings', {}).get('open_days', 7) -%}
{%- set grain_tables = {'day': 'daily', 'week': 'weekly', 'month': 'monthly'} -%}

with

metrics_daily as (

    select * from {{ ref('metrics_daily') }}

),

metrics_weekly as (

    select * from {{ ref('metrics_weekly') }}

),

metrics_monthly as (

    select * from {{ ref('metrics_monthly') }}

),

evaluated_through as (

    select max(period_start) as latest_complete_date
    from metrics_daily
    where is_complete_period

),

{% for rule in rules -%}
{%- set grain = rule.get('grain', 'day') -%}
{%- set source = 'metrics_' ~ grain_tables[grain] -%}
{%- set dimension = rule.get('dimension', 'all') -%}
{%- set volume = rule.get('min_volume') -%}
{%- if rule.type == 'anomaly' %}
rule_{{ loop.index }}_baseline as (

    {#- The same weekday in each of the `weeks` weeks before: metrics_daily has a row for every
        day of every series, so within one weekday those are the `weeks` rows before this one,
        a window frame (one sorted pass) rather than a self-join on a list of dates. #}
    select
        metric_name,
        period_start,
        dimension_name,
        dimension_value,
        avg(metric_value) over same_weekday_before as baseline_mean,
        stddev_samp(metric_value) over same_weekday_before as baseline_stddev,
        count(metric_value) over same_weekday_before as baseline_periods,
        count(*) over same_weekday_before as baseline_rows
    from {{ source }}
    where metric_name = '{{ rule.metric }}'
        and dimension_name = '{{ dimension }}'
    window same_weekday_before as (
        partition by
            metric_name,
            dimension_name,
            dimension_value,
            mod({{ dbt.datediff("cast('2000-01-03' as date)", 'period_start', 'day') }}, 7)
        order by period_start
        rows between {{ rule.weeks }} preceding and 1 preceding
    )

),
{%- endif %}

rule_{{ loop.index }} as (

    select
        '{{ rule.name }}' as rule_name,
        '{{ rule.type }}' as rule_type,
        '{{ rule.severity }}' as severity,
        '{{ grain }}' as grain,
        observed.metric_name,
        observed.period_start,
        {{ period_last_day(grain, 'observed.period_start') }} as period_last_day,
        observed.dimension_name,
        observed.dimension_value,
        observed.metric_value,
        {%- if rule.type == 'threshold' %}
        '{{ rule.comparator }}' as comparator,
        cast({{ rule.value }} as {{ type_double() }}) as threshold_value,
        cast(null as {{ type_double() }}) as baseline_mean,
        cast(null as {{ type_double() }}) as baseline_stddev,
        cast(null as integer) as baseline_periods,
        cast(null as {{ type_double() }}) as anomaly_k
        {%- else %}
        cast(null as {{ dbt.type_string() }}) as comparator,
        cast(null as {{ type_double() }}) as threshold_value,
        baseline.baseline_mean,
        baseline.baseline_stddev,
        cast(baseline.baseline_periods as integer) as baseline_periods,
        cast({{ rule.k }} as {{ type_double() }}) as anomaly_k
        {%- endif %}
    from {{ source }} as observed
    {%- if rule.type == 'anomaly' %}
    inner join rule_{{ loop.index }}_baseline as baseline
        on observed.metric_name = baseline.metric_name
        and observed.period_start = baseline.period_start
        and observed.dimension_name = baseline.dimension_name
        and observed.dimension_value = baseline.dimension_value
        and baseline.baseline_rows > 0
    {%- endif %}
    {%- if volume %}
    inner join {{ source }} as volume
        on observed.period_start = volume.period_start
        and observed.dimension_name = volume.dimension_name
        and observed.dimension_value = volume.dimension_value
        and volume.metric_name = '{{ volume.metric }}'
    {%- endif %}
    where observed.metric_name = '{{ rule.metric }}'
        and observed.dimension_name = '{{ dimension }}'
        {%- if rule.get('dimension_value') is not none %}
        and observed.dimension_value = '{{ rule.dimension_value }}'
        {%- endif %}
        and observed.is_complete_period
        and observed.metric_value is not null
        {%- if volume %}
        and volume.metric_value >= {{ volume.value }}
        {%- endif %}
        {%- if rule.type == 'threshold' %}
        and observed.metric_value {{ rule.comparator }} {{ rule.value }}
        {%- else %}
        and baseline.baseline_periods = {{ rule.weeks }}
        and baseline.baseline_stddev > 0
        {%- set distance = 'observed.metric_value - baseline.baseline_mean' %}
        {%- set limit = rule.k ~ ' * baseline.baseline_stddev' %}
        {%- if rule.get('min_deviation') is not none %}
        and abs({{ distance }}) > {{ rule.min_deviation }}
        {%- endif %}
        {%- if rule.get('direction', 'both') == 'up' %}
        and {{ distance }} > {{ limit }}
        {%- elif rule.get('direction', 'both') == 'down' %}
        and -({{ distance }}) > {{ limit }}
        {%- else %}
        and abs({{ distance }}) > {{ limit }}
        {%- endif %}
        {%- endif %}

),

{% endfor -%}
fired as (

    {% for rule in rules -%}
    select * from rule_{{ loop.index }}
    {% if not loop.last %}union all
    {% endif -%}
    {%- endfor %}

),

final as (

    select
        {{ dbt.hash(dbt.concat([
            'fired.rule_name', "'|'",
            'fired.grain', "'|'",
            'cast(fired.period_start as ' ~ dbt.type_string() ~ ')', "'|'",
            'fired.dimension_name', "'|'",
            'fired.dimension_value',
        ])) }} as alert_id,
        cast(fired.rule_name as {{ dbt.type_string() }}) as rule_name,
        cast(fired.rule_type as {{ dbt.type_string() }}) as rule_type,
        cast(fired.severity as {{ dbt.type_string() }}) as severity,
        cast(fired.metric_name as {{ dbt.type_string() }}) as metric_name,
        cast(fired.grain as {{ dbt.type_string() }}) as grain,
        fired.period_start,
        fired.dimension_name,
        fired.dimension_value,
        fired.metric_value,
        cast(fired.comparator as {{ dbt.type_string() }}) as comparator,
        fired.threshold_value,
        fired.baseline_mean,
        fired.baseline_stddev,
        fired.baseline_periods,
        fired.anomaly_k,
        fired.period_last_day > cast({{ dbt.dateadd('day', -open_days, 'evaluated_through.latest_complete_date') }} as date) as is_open,
        evaluated_through.latest_complete_date as evaluated_through_date
    from fired
    cross join evaluated_through

)

select * from final
{%- endmacro %}
