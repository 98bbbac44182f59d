{#- A wide table for BI: one row per period of `grain`, one column per published metric of
    `domain` (overall values), read from the metric table of that grain, so the numbers are
    those of the long table by construction. -#}
{% macro wide_domain_metrics(domain, grain='day') -%}
    {%- set tables = {'day': 'metrics_daily', 'week': 'metrics_weekly', 'month': 'metrics_monthly',
                      'quarter': 'metrics_quarterly', 'year': 'metrics_yearly'} -%}
    {%- set metrics = catalog_metrics(published_only=true) | selectattr('domain', 'equalto', domain) | list -%}
    {%- if not metrics -%}
        {{ exceptions.raise_compiler_error("wide_domain_metrics: no published metric in domain " ~ domain) }}
    {%- endif %}

with

metric_values as (

    select * from {{ ref(tables[grain]) }}
    where dimension_name = 'all'
        and metric_name in ({{ sql_string_list(metrics | map(attribute='name') | list) }})

),

final as (

    select
        period_start,
        {%- for metric in metrics %}
        max(case when metric_name = '{{ metric.name }}' then metric_value end) as {{ metric.name }},
        {%- endfor %}
        {#- bool_and is not portable; a period is complete for every metric alike -#}
        min(case when is_complete_period then 1 else 0 end) = 1 as is_complete_period
    from metric_values
    group by period_start

)

select * from final
{%- endmacro %}
