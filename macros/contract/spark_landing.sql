{#- Spark's raw schema (docs/spark.md): the loader lands each raw table as parquet files under
    `<DBT_SPARK_HOME>/landing/<raw schema>/<table>/` (src/marketmetrics/spark_files.py) and
    this on-run-start hook registers them as external tables with the contract's types, so a
    dbt run on Spark reads the replicated rows as `raw.<table>` like the other engines. A
    cluster's replicator writes its own tables: set var `spark_register_landing: false`.
    Renders nothing; it runs its statements itself.

    Example: on-run-start: "{{ register_landed_tables() }}"   (dbt_project.yml)
      on Spark runs  create schema if not exists raw
      then, for each contract table (here orders),
               create table if not exists raw.orders (order_id bigint, customer_id bigint,
                   session_id string, status string, ordered_at timestamp, ..., updated_at timestamp,
                   _is_deleted boolean, _synced_at timestamp)
                   using parquet location 'data/spark/landing/raw/orders';
               refresh table raw.orders
      and nothing on DuckDB and PostgreSQL -#}
{% macro register_landed_tables() -%}
    {%- if execute and target.type == 'spark' and var('spark_register_landing', true) -%}
        {%- set schema = var('raw_schema') -%}
        {%- set landing = env_var('DBT_SPARK_HOME', 'data/spark') ~ '/landing/' ~ schema -%}
        {%- set types = {
            'bigint': 'bigint', 'int': 'int', 'text': 'string', 'timestamptz': 'timestamp',
            'boolean': 'boolean', 'numeric': 'decimal(9,3)'} -%}
        {%- do run_query('create schema if not exists ' ~ schema) -%}
        {%- for name, table in raw_contract()['tables'].items() -%}
            {%- set columns = [] -%}
            {%- for column, spec in table['columns'].items() -%}
                {%- do columns.append(column ~ ' ' ~ types[spec['type']]) -%}
            {%- endfor -%}
            {%- if table['kind'] == 'entity' -%}{%- do columns.append('_is_deleted boolean') -%}{%- endif -%}
            {%- do columns.append('_synced_at timestamp') -%}
            {%- do run_query(
                'create table if not exists ' ~ schema ~ '.' ~ name ~ ' (' ~ columns | join(', ')
                ~ ") using parquet location '" ~ landing ~ '/' ~ name ~ "'") -%}
            {#- A new session lists the files again; a long-lived one would need this. -#}
            {%- do run_query('refresh table ' ~ schema ~ '.' ~ name) -%}
        {%- endfor -%}
    {%- endif -%}
{%- endmacro %}
