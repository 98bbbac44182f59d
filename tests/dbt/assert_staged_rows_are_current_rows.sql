{#- Each staging table holds exactly the current rows of its base model, less those
    audit_held_rows holds back: a filter or join
    slipped into a stg_ model fails here. (The staging tables come after the audit, so this
    check sits beside them rather than in audit_row_reconciliation.) -#}
{%- set tables = raw_tables() -%}

with

{% for table in tables -%}
    {{ table.name }}_counts as (

        select
            '{{ table.name }}' as source_table,
            (select count(*) from {{ ref('stg_' ~ table.name) }}) as staged_rows,
            (
                select count(*)
                from {{ ref('base_' ~ table.name) }}
                where _row_status = 'current'
            ) as current_rows,
            (
                select count(*)
                from {{ ref('audit_held_rows') }}
                where source_table = '{{ table.name }}'
            ) as held_rows

    ),

{% endfor -%}
counts as (

    {% for table in tables -%}
        select * from {{ table.name }}_counts
        {% if not loop.last %}union all
        {% endif -%}
    {%- endfor %}

)

select *
from counts
where staged_rows <> current_rows - held_rows
