{#- Every documented column of every reader relation (the marts, the metric tables, the alert
    feed) with its personal-data class, and whether readers may see it: the classification that
    the DuckDB serving copy (src/marketmetrics/serving.py) and the BI role's grants on
    PostgreSQL (postgres__apply_grants) both follow, leaving out the columns classed personal.
    Read from the models' YAML (dbt's graph) when the model runs. Grain: one row per reader
    relation and documented column. -#}
{%- set rows = [] -%}
{%- if execute -%}
    {%- set reader_schemas = [var('marts_schema', 'marts'), var('metrics_schema', 'metrics')] -%}
    {%- for node in graph.nodes.values() | sort(attribute='unique_id')
        if node.resource_type == 'model' and node.schema in reader_schemas
        and node.config.materialized != 'ephemeral' -%}
        {%- for name, column in node.columns.items() -%}
            {%- do rows.append([node.schema, node.alias, name, column_pii(column)]) -%}
        {%- endfor -%}
    {%- endfor -%}
{%- endif %}

with

classified as (
    {{ literal_rows(['relation_schema', 'relation_name', 'column_name', 'pii'], rows) }}

),

final as (

    select
        cast(relation_schema as {{ dbt.type_string() }}) as relation_schema,
        cast(relation_name as {{ dbt.type_string() }}) as relation_name,
        cast(column_name as {{ dbt.type_string() }}) as column_name,
        cast(pii as {{ dbt.type_string() }}) as pii,
        pii not in ({{ sql_string_list(personal_classes()) }}) as is_published
    from classified

)

select * from final
