{#- The metric catalog as a table, for BI tools and anyone reading the warehouse: one row per
    published metric, from dbt's semantic layer (metric_catalog()). -#}
{%- set metrics = catalog_metrics(published_only=true) -%}

{%- set rows = [] -%}
{%- for metric in metrics -%}
    {%- do rows.append([
        metric.name, metric.domain, metric.label_en, metric.label_ko, metric.unit,
        metric.direction, metric.calc, metric.get('dimensions', []) | join(', '),
        metric.definition,
    ]) -%}
{%- endfor %}

with

catalog as (
    {{ literal_rows(
        ['metric_name', 'domain', 'label_en', 'label_ko', 'unit', 'direction', 'calculation',
         'dimensions', 'definition'],
        rows
    ) }}

),

final as (

    select
        cast(metric_name as {{ dbt.type_string() }}) as metric_name,
        cast(domain as {{ dbt.type_string() }}) as domain,  -- noqa: RF04
        cast(label_en as {{ dbt.type_string() }}) as label_en,
        cast(label_ko as {{ dbt.type_string() }}) as label_ko,
        cast(unit as {{ dbt.type_string() }}) as unit,
        cast(direction as {{ dbt.type_string() }}) as direction,
        cast(calculation as {{ dbt.type_string() }}) as calculation,
        cast(dimensions as {{ dbt.type_string() }}) as dimensions,
        cast(definition as {{ dbt.type_string() }}) as definition
    from catalog

)

select * from final
