{#- One row: the calendar of the metric tables. Periods run from the first to the last local
    date on which any metric's fact has a row; a period is complete once its last day ends
    before the latest loaded data (the newest _synced_at of any raw row that was not
    quarantined), in the reporting time zone. -#}
{%- set catalog = metric_catalog() -%}
{%- set values_models = [] -%}
{%- for spec in catalog['facts'].values() if spec.changes != 'intervals' -%}
    {%- do values_models.append(spec.metrics) -%}
{%- endfor -%}

with

{#- The values models hold a day row for every date that a metric's fact has a row on (their
    overall group admits every row), so their bounds are the facts' bounds. #}
fact_dates as (

    {% for model in values_models -%}
        select
            min(period_start) as first_date,
            max(period_start) as last_date
        from {{ ref(model) }}
        where grain = 'day'
        {% if not loop.last %}union all
        {% endif -%}
    {%- endfor %}

),

synced as (

    {% for table in raw_tables() -%}
        select max(_synced_at) as synced_at
        from {{ ref('base_' ~ table.name) }}
        where _row_status != 'quarantined'
        {% if not loop.last %}union all
        {% endif -%}
    {%- endfor %}

),

data_through as (

    select max(synced_at) as data_through_at
    from synced

),

final as (

    select
        fact_dates_bounds.first_date,
        fact_dates_bounds.last_date,
        data_through.data_through_at,
        {{ local_date('data_through.data_through_at') }} as data_through_date
    from (
        select
            min(first_date) as first_date,
            max(last_date) as last_date
        from fact_dates
    ) as fact_dates_bounds
    cross join data_through

)

select * from final
