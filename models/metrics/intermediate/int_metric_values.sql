{#- Base metric values (computed from one fact each) at every grain, dense: every period of
    the calendar, every base metric, every known dimension value, zero-filled (percentiles
    null). Ratios, formulas and comparisons are added by the metric tables.

    Incremental with a lookback: a run recomputes, at every grain, the periods that overlap
    the last `lookback_days` days already in the table (and everything newer), so
    events that arrive late within the window are counted. Each recomputed period is
    rewritten whole (delete+insert on grain and period), which is why the rows are dense:
    a period whose facts all vanished still gets its zeros. A full refresh gives the same
    table as any sequence of incremental runs over the same data. -#}
{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key=['grain', 'period_start'],
    on_schema_change='fail',
) }}

{%- set base_metrics = catalog_metrics(base_only=true) + catalog_metrics(stock_only=true) -%}
{%- set stock_metrics = catalog_metrics(stock_only=true) -%}
{%- set lookback = var('lookback_days') -%}

with

periods as (

    select * from {{ ref('int_metric_periods') }}

),

dimension_values as (

    select * from {{ ref('int_metric_dimension_values') }}

),

{% if is_incremental() -%}
window_start as (

    {#- The first day to recompute: `lookback` days before the newest day already built. -#}
    select cast({{ dbt.dateadd('day', -lookback, 'max(period_start)') }} as date) as first_day
    from {{ this }}
    where grain = 'day'

),
{%- endif %}

computed as (

    {% for grain in metric_grains() -%}
    {%- if is_incremental() -%}
        {%- set since = '(select ' ~ period_start(grain, 'first_day') ~ ' from window_start)' -%}
    {%- else -%}
        {%- set since = none -%}
    {%- endif -%}
    {{ metric_base_values(grain, since) }}
    {%- if stock_metrics %}
    union all
    {{ metric_eod_values(grain, since) }}
    {%- endif %}
    {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

{%- if stock_metrics %}

history_starts as (

    {% for metric in stock_metrics -%}
    select
        '{{ metric.name }}' as metric_name,
        min(history_start_at) as history_start_at
    from {{ ref(metric.model) }}
    {% if not loop.last %}union all
    {% endif -%}
    {%- endfor %}

),
{%- endif %}

recomputed_periods as (

    select
        periods.grain,
        periods.period_start,
        {{ local_day_end_utc('periods.period_last_day') }} as period_end_at
    from periods
    {%- if is_incremental() %}
    cross join window_start
    where
        {% for grain in metric_grains() -%}
        (periods.grain = '{{ grain }}' and periods.period_start >= {{ period_start(grain, 'window_start.first_day') }})
        {{ 'or' if not loop.last }}
        {% endfor %}
    {%- endif %}

),

spine as (

    select
        dimension_values.metric_name,
        recomputed_periods.grain,
        recomputed_periods.period_start,
        recomputed_periods.period_end_at,
        dimension_values.dimension_name,
        dimension_values.dimension_value
    from recomputed_periods
    cross join dimension_values
    where dimension_values.metric_name in ({{ sql_string_list(base_metrics | map(attribute='name') | list) }})

),

final as (

    select
        spine.metric_name,
        spine.grain,
        spine.period_start,
        spine.dimension_name,
        spine.dimension_value,
        case
            when spine.metric_name in ({{ sql_string_list(base_metrics | selectattr('calc', 'equalto', 'percentile') | map(attribute='name') | list) }})
                then computed.metric_value
            {%- if stock_metrics %}
            {#- A stock is unknown before its history begins (metrics rule 6). #}
            when history_starts.metric_name is not null
                then case
                    when history_starts.history_start_at is null
                        or spine.period_end_at <= history_starts.history_start_at
                        then null
                    else coalesce(computed.metric_value, 0)
                end
            {%- endif %}
            else coalesce(computed.metric_value, 0)
        end as metric_value
    from spine
    left join computed
        on spine.metric_name = computed.metric_name
        and spine.grain = computed.grain
        and spine.period_start = computed.period_start
        and spine.dimension_name = computed.dimension_name
        and spine.dimension_value = computed.dimension_value
    {%- if stock_metrics %}
    left join history_starts
        on spine.metric_name = history_starts.metric_name
    {%- endif %}

)

select * from final
