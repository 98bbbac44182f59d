{#- The metric catalog as a table, for BI tools and anyone reading the warehouse: one row per
    published metric, from dbt's semantic layer (metric_catalog()). -#}
{%- set metrics = catalog_metrics(published_only=true) -%}

with

catalog as (

    {% for metric in metrics -%}
        select
            '{{ metric.name }}' as metric_name,
            '{{ metric.domain }}' as domain,  -- noqa: RF04
            '{{ metric.label_en | replace("'", "''") }}' as label_en,
            '{{ metric.label_ko | replace("'", "''") }}' as label_ko,
            '{{ metric.unit }}' as unit,
            '{{ metric.direction }}' as direction,
            '{{ metric.calc }}' as calculation,
            '{{ metric.get('dimensions', []) | join(', ') }}'
                as dimensions,
            '{{ metric.definition | replace("'", "''") }}' as definition
        {% if not loop.last %}union all
        {% endif -%}
    {%- endfor %}

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
