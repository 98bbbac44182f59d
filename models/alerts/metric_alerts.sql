{#- Every alert the rules (the seed alert_rules) fire on the metric tables: one row per rule,
    period and dimension value, over all complete periods, so the feed has its history.
    `is_open` marks those whose period ends within `alert_open_days` (var, 7) of the latest
    complete day: what `marketmetrics alerts` prints and delivers. Evaluation only: labels and
    messages are made in Python (marketmetrics.alerts).

    A threshold rule fires when the value compares with its threshold as the rule says; an
    anomaly rule when the value lies more than `anomaly_k` sample standard deviations from the
    mean of the same weekday in each of the `baseline_weeks` weeks before (all present, the
    deviation above 0), on the side `anomaly_direction` names, and further than
    `min_deviation` when given. A rule with a `min_volume_metric` skips a period whose companion
    count (same grain, period and dimension value) is below `min_volume_value`. -#}
{{ config(
    materialized='table',
) }}

with

rules as (

    select * from {{ ref('alert_rules') }}

),

metrics_daily as (

    select * from {{ ref('metrics_daily') }}

),

metrics_weekly as (

    select * from {{ ref('metrics_weekly') }}

),

metrics_monthly as (

    select * from {{ ref('metrics_monthly') }}

),

metric_values as (

    select
        'day' as grain,
        metric_name,
        period_start,
        dimension_name,
        dimension_value,
        metric_value,
        is_complete_period
    from metrics_daily
    union all
    select
        'week' as grain,
        metric_name,
        period_start,
        dimension_name,
        dimension_value,
        metric_value,
        is_complete_period
    from metrics_weekly
    union all
    select
        'month' as grain,
        metric_name,
        period_start,
        dimension_name,
        dimension_value,
        metric_value,
        is_complete_period
    from metrics_monthly

),

evaluated_through as (

    select max(period_start) as latest_complete_date
    from metrics_daily
    where is_complete_period

),

observed as (

    {#- Each rule's series: the complete periods of its grain with a value. -#}
    select
        rules.rule_name,
        rules.rule_type,
        rules.severity,
        rules.comparator,
        rules.threshold_value,
        rules.baseline_weeks,
        rules.anomaly_k,
        rules.anomaly_direction,
        rules.min_deviation,
        rules.min_volume_metric,
        rules.min_volume_value,
        metric_values.grain,
        metric_values.metric_name,
        metric_values.period_start,
        metric_values.dimension_name,
        metric_values.dimension_value,
        metric_values.metric_value
    from rules
    inner join metric_values
        on rules.grain = metric_values.grain
            and rules.metric_name = metric_values.metric_name
            and rules.dimension_name = metric_values.dimension_name
    where
        metric_values.is_complete_period
        and metric_values.metric_value is not null
        and (rules.dimension_value is null or rules.dimension_value = metric_values.dimension_value)

),

baselines as (

    {#- Anomaly rules (day grain): the same weekday in each of the `baseline_weeks` weeks
        before. metrics_daily has a row for every day of every series, so those are exactly the
        rows 7, 14, ... days earlier. -#}
    select
        observed.rule_name,
        observed.period_start,
        observed.dimension_value,
        avg(earlier.metric_value) as baseline_mean,
        stddev_samp(earlier.metric_value) as baseline_stddev,
        count(earlier.metric_value) as baseline_periods
    from observed
    inner join metrics_daily as earlier
        on observed.metric_name = earlier.metric_name
            and observed.dimension_name = earlier.dimension_name
            and observed.dimension_value = earlier.dimension_value
            and observed.period_start > earlier.period_start
            and {{ dbt.dateadd('day', '-7 * observed.baseline_weeks', 'observed.period_start') }}
            <= earlier.period_start
            and mod({{ dbt.datediff('earlier.period_start', 'observed.period_start', 'day') }}, 7) = 0
    where observed.rule_type = 'anomaly'
    group by observed.rule_name, observed.period_start, observed.dimension_value

),

volumes as (

    select
        observed.rule_name,
        observed.period_start,
        observed.dimension_value,
        volume.metric_value as volume_value
    from observed
    inner join metric_values as volume
        on observed.grain = volume.grain
            and observed.min_volume_metric = volume.metric_name
            and observed.period_start = volume.period_start
            and observed.dimension_name = volume.dimension_name
            and observed.dimension_value = volume.dimension_value

),

evaluated as (

    select
        observed.*,
        baselines.baseline_mean,
        baselines.baseline_stddev,
        baselines.baseline_periods,
        volumes.volume_value,
        observed.metric_value - baselines.baseline_mean as distance
    from observed
    left join baselines
        on observed.rule_name = baselines.rule_name
            and observed.period_start = baselines.period_start
            and observed.dimension_value = baselines.dimension_value
    left join volumes
        on observed.rule_name = volumes.rule_name
            and observed.period_start = volumes.period_start
            and observed.dimension_value = volumes.dimension_value

),

fired as (

    select *
    from evaluated
    where
        (min_volume_metric is null or volume_value >= min_volume_value)
        and case
            when rule_type = 'threshold'
                then
                    case comparator
                        when '<' then metric_value < threshold_value
                        when '<=' then metric_value <= threshold_value
                        when '>' then metric_value > threshold_value
                        when '>=' then metric_value >= threshold_value
                    end
            when rule_type = 'anomaly'
                then
                    baseline_periods = baseline_weeks
                    and baseline_stddev > 0
                    and (min_deviation is null or abs(distance) > min_deviation)
                    and case anomaly_direction
                        when 'up' then distance > anomaly_k * baseline_stddev
                        when 'down' then -distance > anomaly_k * baseline_stddev
                        else abs(distance) > anomaly_k * baseline_stddev
                    end
        end

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
        cast(
            case when fired.rule_type = 'threshold' then fired.comparator end as {{ dbt.type_string() }}
        ) as comparator,
        cast(
            case when fired.rule_type = 'threshold' then fired.threshold_value end as {{ type_double() }}
        ) as threshold_value,
        cast(fired.baseline_mean as {{ type_double() }}) as baseline_mean,
        cast(fired.baseline_stddev as {{ type_double() }}) as baseline_stddev,
        cast(fired.baseline_periods as integer) as baseline_periods,
        cast(case when fired.rule_type = 'anomaly' then fired.anomaly_k end as {{ type_double() }}) as anomaly_k,
        case fired.grain
            when 'day' then {{ period_last_day('day', 'fired.period_start') }}
            when 'week' then {{ period_last_day('week', 'fired.period_start') }}
            when 'month' then {{ period_last_day('month', 'fired.period_start') }}
        end
        > cast({{ dbt.dateadd('day', -var('alert_open_days', 7), 'evaluated_through.latest_complete_date') }} as date)
            as is_open,
        evaluated_through.latest_complete_date as evaluated_through_date
    from fired
    cross join evaluated_through

)

select * from final
