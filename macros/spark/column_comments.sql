{#- Column comments on Spark (docs/spark.md). A Hive metastore keeps a column's comment in 256
    characters; a longer one makes the metastore retry the DDL for about 20 seconds before
    Spark stores the table in its own format, and a view or table selected from that column
    inherits the comment. dbt-spark writes the comments of views and tables with this macro:
    the project's override cuts them to the metastore's width, with an ellipsis, so the
    catalog still reads as prose and every DDL succeeds at once.

    Example: {{ get_column_comment_sql('status', {'status': {'description': "The order's status."}}) }}
      renders  `status` comment 'The order\'s status.'
    (a description of 300 characters: its first 249 and '…'; none: just `status`) -#}
{% macro get_column_comment_sql(column_name, column_dict) -%}
    {%- set description = (column_dict.get(column_name) or {}).get('description') -%}
    {%- if description -%}
        {%- set text = description if description | length <= 250 else description[:249] ~ '…' -%}
        {{ adapter.quote(column_name) }} comment '{{ text | replace("\\", "\\\\") | replace("'", "\\'") }}'
    {%- else -%}
        {{ adapter.quote(column_name) }}
    {%- endif -%}
{%- endmacro %}
