{#- Every period of every grain that overlaps the metric calendar, with its last day and
    whether it is complete. -#}
with

bounds as (

    select * from {{ ref('int_metric_date_bounds') }}

),

days as (

    select cast({{ dbt.dateadd('day', 'series.n', 'bounds.first_date') }} as date) as calendar_date
    from ({{ integer_series(5) }}) as series
    cross join bounds
    where series.n <= {{ dbt.datediff('bounds.first_date', 'bounds.last_date', 'day') }}

),

periods as (

    {% for grain in metric_grains() -%}
        select distinct
            cast('{{ grain }}' as {{ dbt.type_string() }}) as grain,
            {{ period_start(grain, 'calendar_date') }} as period_start
        from days
        {% if not loop.last %}union all
        {% endif -%}
    {%- endfor %}

),

final as (

    select
        periods.grain,
        periods.period_start,
        case periods.grain
            {% for grain in metric_grains() -%}
                when '{{ grain }}' then {{ period_last_day(grain, 'periods.period_start') }}
            {% endfor -%}
        end as period_last_day,
        case periods.grain
            {% for grain in metric_grains() -%}
                when '{{ grain }}' then {{ period_last_day(grain, 'periods.period_start') }} < bounds.data_through_date
            {% endfor -%}
        end as is_complete_period
    from periods
    cross join bounds

)

select * from final
