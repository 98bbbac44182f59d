{#- Every base metric value, at every grain: the union of the values models, one per fact model
    (models/metrics/values, named in the catalog's `facts`). Rows exist where data does; the
    metric tables fill every other (period, dimension value) with 0, or null for percentiles
    and stocks. -#}
{{ config(materialized='view') }}

{%- set values_models = [] -%}
{%- for spec in metric_catalog()['facts'].values() -%}
    {%- do values_models.append(spec.metrics) -%}
{%- endfor %}

with

values_union as (

    {% for model in values_models -%}
        select
            metric_name,
            grain,
            period_start,
            dimension_name,
            dimension_value,
            metric_value
        from {{ ref(model) }}
        {% if not loop.last %}union all
        {% endif -%}
    {%- endfor %}

)

select * from values_union
