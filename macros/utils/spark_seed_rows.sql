{#- Seeds on Spark: dbt-spark binds each value into its insert as Python text, so an empty cell
    lands as the string 'None' (an accepted-values test of a text column then fails) and an
    apostrophe ends the literal. This renders each value as a SQL literal instead: null for an
    empty cell, quotes doubled. The same statement otherwise (batches, column_types casts).

    Example: a seed row  payment_success_rate_low,threshold,...,,warning,<,0.9,,...
      renders  insert into reference.alert_rules values
               (cast('payment_success_rate_low' as string), ..., cast(null as string), ...) -#}
{% macro spark__load_csv_rows(model, agate_table) %}
    {%- set batch_size = get_batch_size() -%}
    {%- set column_override = model['config'].get('column_types', {}) -%}
    {%- set statements = [] -%}
    {%- for chunk in agate_table.rows | batch(batch_size) -%}
        {%- set sql -%}
            insert into {{ this.render() }} values
            {% for row in chunk -%}
                ({%- for col_name in agate_table.column_names -%}
                    {%- set inferred_type = adapter.convert_type(agate_table, loop.index0) -%}
                    {%- set type = column_override.get(col_name, inferred_type) -%}
                    cast({{ sql_literal(row[loop.index0]) }} as {{ type }})
                    {%- if not loop.last %}, {% endif -%}
                {%- endfor -%})
                {%- if not loop.last %},{% endif %}
            {% endfor %}
        {%- endset -%}
        {%- do adapter.add_query(sql, abridge_sql_log=True) -%}
        {%- if loop.index0 == 0 -%}
            {%- do statements.append(sql) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(statements[0]) }}
{% endmacro %}
