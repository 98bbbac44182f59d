{#- Every published metric at day grain, with its comparisons (docs/dbt/metric_tables.md): a
    period's counts and sums are the sums of its days, its distinct counts, ratios and
    percentiles recomputed over the whole period. The steps are explained in
    macros/metrics/metric_table.sql. -#}
{#- What BI tools filter on: one metric's series, by dimension value. PostgreSQL only: DuckDB's
    zone maps serve without, and an index there breaks the backup-and-rename of a table rebuild. -#}
{% if target.type == 'postgres' -%}
{{ config(indexes=[
    {'columns': ['metric_name', 'dimension_name', 'dimension_value', 'period_start'], 'unique': true},
    {'columns': ['period_start']},
]) }}
{%- endif %}
{% set levels = metric_levels() %}

with

periods as (

    select
        period_start,
        is_complete_period
    from {{ ref('int_metric_periods') }}
    where grain = 'day'

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
    where grain = 'day'

),

level_0 as (
    {{ metric_base_level() }}

),

{% for level in levels %}
    level_{{ loop.index }} as (
        {{ metric_derived_level(level, 'level_' ~ loop.index0) }}

    ),
{% endfor %}
metric_values as (
    {{ metric_published_values('level_' ~ levels | length) }}

),

compared as (
    {{ metric_comparisons('day') }}

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
