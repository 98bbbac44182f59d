{#- Every raw row that staging rejected, from every raw table, with the reason. -#}
{%- set tables = raw_tables() -%}

with

{% for table in tables -%}
    {{ table.name }} as (

        select
            '{{ table.name }}' as source_table,
            cast({{ table.key }} as {{ dbt.type_string() }}) as record_key,
            _reject_reason as reject_reason,
            _synced_at
        from {{ ref('base_' ~ table.name) }}
        where _row_status = 'quarantined'

    ),

{% endfor -%}
unioned as (

    {% for table in tables -%}
        select * from {{ table.name }}
        {% if not loop.last %}union all
        {% endif -%}
    {%- endfor %}

)

select * from unioned
