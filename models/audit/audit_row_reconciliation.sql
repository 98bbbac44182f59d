{#- One row per raw table: every raw row accounted for by its fate in staging.
    raw_rows is counted on the source itself, independently of the staging models, so a
    filter or join slipped into a base model shows up here as unaccounted rows. -#}
{%- set tables = raw_tables() -%}
{%- set fates = ['current', 'superseded', 'duplicate', 'tombstone', 'quarantined'] -%}

with

{% for table in tables -%}
    {{ table.name }}_raw as (

        select count(*) as raw_rows
        from {{ source(table.source, table.name) }}

    ),

    {{ table.name }}_fates as (

        select
            {%- for fate in fates %}
                sum(case when _row_status = '{{ fate }}' then 1 else 0 end) as {{ fate }}_rows,
            {%- endfor %}
            count(*) as classified_rows
        from {{ ref('base_' ~ table.name) }}

    ),

    {{ table.name }}_staged as (

        select count(*) as staged_rows
        from {{ ref('stg_' ~ table.name) }}

    ),

    {{ table.name }} as (

        select
            '{{ table.name }}' as source_table,
            '{{ table.kind }}' as table_kind,
            cast(raw_count.raw_rows as {{ dbt.type_bigint() }}) as raw_rows,
            {%- for fate in fates %}
                cast(coalesce(fates.{{ fate }}_rows, 0) as {{ dbt.type_bigint() }}) as {{ fate }}_rows,
            {%- endfor %}
            cast(staged.staged_rows as {{ dbt.type_bigint() }}) as staged_rows
        from {{ table.name }}_raw as raw_count
        cross join {{ table.name }}_fates as fates
        cross join {{ table.name }}_staged as staged

    ),

{% endfor -%}
unioned as (

    {% for table in tables -%}
        select * from {{ table.name }}
        {% if not loop.last %}union all
        {% endif -%}
    {%- endfor %}

),

final as (

    select
        *,
        {% for fate in fates -%}
            {{ fate }}_rows{{ ' +' if not loop.last }}
        {% endfor -%}
            as accounted_rows,
        raw_rows - (
            {% for fate in fates -%}
                {{ fate }}_rows{{ ' +' if not loop.last }}
            {% endfor -%}
        ) as unaccounted_rows
    from unioned

)

select * from final
