{#- Rows each raw table received per local day (by `_synced_at`: every row staging did not
    reject, current, superseded, duplicate or tombstone; a rejected row may carry any instant,
    and dq_row_issues_daily counts it) against the usual: the mean of the same table's previous
    `dq_volume_baseline_days` days (var, 28), days without a row counted as 0. The counts are
    int_dq_synced_rows_daily's, which a sync updates for the days its rows fall on. A day is `low`
    below half the usual, `high` above twice, `usual` between, and `new` while fewer than 7
    earlier days exist. From the first to the last synced day of any table; the last day is
    usually still in progress. Grain: one row per (source_table, synced_date). -#}
{%- set tables = raw_tables() -%}
{%- set baseline_days = var('dq_volume_baseline_days', 28) | int -%}

with

synced as (

    select
        source_table,
        synced_date,
        synced_rows
    from {{ ref('int_dq_synced_rows_daily') }}
    where synced_rows > 0

),

bounds as (

    select
        min(synced_date) as first_date,
        max(synced_date) as last_date
    from synced

),

days as (

    select cast({{ dbt.dateadd('day', 'series.n', 'bounds.first_date') }} as date) as synced_date
    from ({{ integer_series(4) }}) as series
    cross join bounds
    where series.n <= {{ dbt.datediff('bounds.first_date', 'bounds.last_date', 'day') }}

),

source_tables as (

    {% for table in tables -%}
        select '{{ table.name }}' as source_table
        {% if not loop.last %}union all
        {% endif -%}
    {%- endfor %}

),

table_days as (

    select
        source_tables.source_table,
        days.synced_date,
        coalesce(synced.synced_rows, 0) as synced_rows
    from source_tables
    cross join days
    left join synced
        on
            source_tables.source_table = synced.source_table
            and days.synced_date = synced.synced_date

),

with_usual as (

    select
        source_table,
        synced_date,
        synced_rows,
        avg(synced_rows) over (
            partition by source_table order by synced_date
            rows between {{ baseline_days }} preceding and 1 preceding
        ) as usual_rows,
        count(*) over (
            partition by source_table order by synced_date
            rows between {{ baseline_days }} preceding and 1 preceding
        ) as baseline_days
    from table_days

),

final as (

    select
        cast(source_table as {{ dbt.type_string() }}) as source_table,
        synced_date,
        synced_rows,
        cast(case when baseline_days >= 7 then usual_rows end as {{ type_double() }}) as usual_rows,
        cast(
            case when baseline_days >= 7 then {{ safe_divide('synced_rows', 'usual_rows') }} end
            as {{ type_double() }}
        ) as volume_ratio,
        cast(
            case
                when baseline_days < 7 then 'new'
                when synced_rows < 0.5 * usual_rows then 'low'
                when synced_rows > 2 * usual_rows then 'high'
                else 'usual'
            end as {{ dbt.type_string() }}
        ) as volume_status
    from with_usual

)

select * from final
