{#- Every raw row that staging rejected, from every raw table, with the reason and what finds
    it in the source: its key as text (the raw text when the key itself does not parse) and
    its replication instant (the raw text when that does not parse). -#}
{%- set tables = raw_tables() -%}

with

{% for table in tables -%}
    {{ table.name }} as (

        select
            '{{ table.name }}' as source_table,
            coalesce(cast({{ table.key }} as {{ dbt.type_string() }}), _raw_key) as record_key,
            _reject_reason as reject_reason,
            _synced_at,
            _raw_synced_at
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
