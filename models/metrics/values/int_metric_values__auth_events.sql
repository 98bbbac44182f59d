{#- The metrics whose measures read fct_auth_events (models/marts/customers/_customers__metrics.yml),
    at every grain. Incremental: recomputes the periods of the rows synced since its last run (an event never changes once built). Each step's body is a macro of
    macros/metrics/metric_values.sql, where the whole scheme is explained. -#}
-- depends_on: {{ ref('int_metric_fact_footprints') }}
{% set fact = metric_fact('fct_auth_events') %}

with

facts as (

    select * from {{ ref('fct_auth_events') }}

),

{% if is_incremental() -%}
built as (

    select * from {{ this }}

),

watermark as (
    {{ metric_watermark(fact) }}

),

{% endif -%}
touched_days as (
    {{ metric_touched_days(fact) }}

),

touched_periods as (
    {{ metric_touched_periods() }}

),

day_facts as (
    {{ metric_day_facts(fact) }}

),

day_values as (
    {{ metric_day_values(fact) }}

),

additive_values as (
    {{ metric_additive_values(fact) }}

),

period_facts as (
    {{ metric_period_facts(fact) }}

),

recounted_values as (
    {{ metric_recounted_values(fact) }}

),

period_sentinels as (
    {{ metric_period_sentinels() }}

),

computed as (

    select * from day_values
    union all
    select * from additive_values
    union all
    select * from recounted_values
    union all
    select * from period_sentinels

),

final as (

    select
        cast(metric_name as {{ dbt.type_string() }}) as metric_name,
        cast(grain as {{ dbt.type_string() }}) as grain,
        cast(period_start as date) as period_start,
        cast(dimension_name as {{ dbt.type_string() }}) as dimension_name,
        cast(dimension_value as {{ dbt.type_string() }}) as dimension_value,
        cast(metric_value as {{ metric_value_type() }}) as metric_value,
        {{ build_clock() }} as _computed_at,
        {{ metric_synced_through(fact) }} as _synced_through,
        {{ metric_definition_hash(fact) }} as _definition_hash
    from computed

)

select * from final
