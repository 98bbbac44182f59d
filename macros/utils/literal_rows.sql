{#- A CTE body of constant rows: `columns` names them and each of `rows` lists one row's values
    (text or none), all rendered as one VALUES list. A union of one-row selects says the same,
    but Spark's analyzer pays for every branch (a 382-branch union took 27 s to plan and
    write); a VALUES list is one local relation on every engine. Every column comes out as
    text, for the model to cast; with no rows, the same columns and no row.

    Example: literal_rows(['metric_name', 'domain'], [['orders', 'orders'], ['gmv', 'orders']])
      renders  select * from (values ('orders', 'orders'), ('gmv', 'orders'))
                   as literal_rows (metric_name, domain) -#}
{% macro literal_rows(columns, rows) -%}
    {%- if rows | length == 0 %}
    select
        {%- for column in columns %}
        cast(null as {{ dbt.type_string() }}) as {{ column }}{{ ',' if not loop.last }}
        {%- endfor %}
    where 1 = 0
    {%- else %}
    select * from (
        values
        {%- for row in rows %}
        ({% for value in row %}{{ sql_literal(value) }}{{ ', ' if not loop.last }}{% endfor %}){{ ',' if not loop.last }}
        {%- endfor %}
    ) as literal_rows ({{ columns | join(', ') }})
    {%- endif %}
{%- endmacro %}
