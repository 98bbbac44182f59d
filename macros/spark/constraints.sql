{#- Model contracts on Spark (docs/spark.md). Delta enforces a column's `not_null` constraint
    itself, as dbt-spark sets it; a parquet table cannot hold one (ALTER COLUMN ... SET NOT NULL
    is refused). There the build checks the constraint once the table is written and fails the
    model on a null, as an enforced constraint would have refused the insert. -#}
{% macro spark__persist_constraints(relation, model) -%}
    {%- if not config.get('contract').enforced -%}
        {{ return('') }}
    {%- endif -%}
    {%- if config.get('file_format', 'parquet') == 'delta' -%}
        {%- do alter_table_add_constraints(relation, model.constraints) -%}
        {%- do alter_column_set_constraints(relation, model.columns) -%}
    {%- else -%}
        {%- set required = [] -%}
        {%- for name, column in model.columns.items() -%}
            {%- if column.constraints | selectattr('type', 'equalto', 'not_null') | list | length > 0 -%}
                {%- do required.append(name) -%}
            {%- endif -%}
        {%- endfor -%}
        {%- if required -%}
            {%- set nulls = run_query(
                'select 1 from ' ~ relation ~ ' where ' ~ required | join(' is null or ') ~ ' is null limit 1') -%}
            {%- if nulls.rows | length > 0 -%}
                {{ exceptions.raise_compiler_error(
                    relation ~ ' breaks its contract: a null in a not_null column (' ~ required | join(', ') ~ ')') }}
            {%- endif -%}
        {%- endif -%}
    {%- endif -%}
{%- endmacro %}
