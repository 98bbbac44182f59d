{#- Incremental models on Spark (docs/spark.md). dbt-spark offers append, insert_overwrite of
    partitions and merge (Delta, Iceberg or Hudi only); the project's strategies are "delete
    these rows, insert those" (dbt's delete+insert and the project's reclassify_keys,
    replace_keys and replace_periods). On plain parquet tables a delete is a rewrite, so on
    Spark each of them runs as:

        create table <model>__dbt_rewrite as
            select <rows of the model the strategy keeps> union all select <new rows>;
        insert overwrite table <model> select * from <model>__dbt_rewrite;

    The rows kept and inserted are the strategy's own definition (spark_rewrite_parts), so
    the result is the same table the other engines reach with delete and insert. A table
    format that can delete rows (`file_format` delta, iceberg or hudi) gets the delete and the
    insert themselves instead of the rewrite, so a day's run touches the day's files only.
    This materialization replaces dbt-spark's for the project's models; a first run or a full
    refresh creates the table as dbt-spark does. -#}

{% materialization incremental, adapter='spark', supported_languages=['sql'] -%}
    {%- set strategy = config.get('incremental_strategy') or 'append' -%}
    {%- set target_relation = this.incorporate(type='table') -%}
    {%- set existing_relation = load_relation(this) -%}
    {%- set grant_config = config.get('grants') -%}
    {%- set new_rows = make_temp_relation(this).include(database=false, schema=false) -%}

    {{ run_hooks(pre_hooks) }}

    {%- if existing_relation is none or existing_relation.is_view or should_full_refresh() -%}
        {%- if existing_relation is not none -%}
            {%- do adapter.drop_relation(existing_relation) -%}
        {%- endif -%}
        {%- call statement('main') -%}
            {{ create_table_as(False, target_relation, compiled_code) }}
        {%- endcall -%}
    {%- else -%}
        {%- call statement('new_rows') -%}
            {{ create_table_as(True, new_rows, compiled_code) }}
        {%- endcall -%}
        {%- do process_schema_changes(config.get('on_schema_change'), new_rows, existing_relation) -%}
        {%- set columns = adapter.get_columns_in_relation(existing_relation)
            | map(attribute='quoted') | join(', ') -%}
        {%- set deletes = config.get('file_format', 'parquet') in ['delta', 'iceberg', 'hudi'] -%}
        {%- set source = new_rows -%}
        {%- if deletes and strategy != 'append' -%}
            {#- The new rows are a view that may read the model itself (its watermark): kept
                as a table first, so the delete cannot change what is inserted. -#}
            {%- set source = this.incorporate(path={'identifier': this.identifier ~ '__dbt_new'}) -%}
            {%- call statement('drop_staged') -%}drop table if exists {{ source }}{%- endcall -%}
            {%- call statement('staged') -%}
                create table {{ source }} as select * from {{ new_rows }}
            {%- endcall -%}
        {%- endif -%}
        {%- set parts = spark_rewrite_parts(strategy, config.get('unique_key'), source) -%}
        {%- if parts['keep'] is none -%}
            {%- call statement('main') -%}
                insert into table {{ target_relation }}
                select {{ columns }} from {{ new_rows }}
                where {{ parts['insert'] }}
            {%- endcall -%}
        {%- elif deletes -%}
            {%- call statement('delete') -%}
                delete from {{ target_relation }} as existing
                where not ({{ parts['keep'] }})
            {%- endcall -%}
            {%- call statement('main') -%}
                insert into table {{ target_relation }}
                select {{ columns }} from {{ source }}
                where {{ parts['insert'] }}
            {%- endcall -%}
            {%- call statement('drop_staged') -%}drop table if exists {{ source }}{%- endcall -%}
        {%- else -%}
            {%- set rows -%}
                select {{ columns }} from {{ target_relation }} as existing
                where {{ parts['keep'] }}
                union all
                select {{ columns }} from {{ source }}
                where {{ parts['insert'] }}
            {%- endset -%}
            {%- do spark_overwrite_through_copy(target_relation, rows) -%}
        {%- endif -%}
    {%- endif -%}

    {%- do apply_grants(target_relation, grant_config, should_revoke(existing_relation, full_refresh_mode)) -%}
    {%- do persist_docs(target_relation, model) -%}
    {{ run_hooks(post_hooks) }}
    {{ return({'relations': [target_relation]}) }}
{%- endmaterialization %}


{#- Replace every row of a parquet table by those of `select_sql`, which may read the table
    itself (Spark refuses to overwrite a table it is reading): the rows go to
    `<table>__dbt_rewrite` first, then overwrite the table. Runs its statements; renders nothing.

    Example: {% do spark_overwrite_through_copy(target_relation, rows) %} for marts.fct_orders
      runs     drop table if exists marts.fct_orders__dbt_rewrite;
               create table marts.fct_orders__dbt_rewrite using parquet as <rows>;
               insert overwrite table marts.fct_orders select * from marts.fct_orders__dbt_rewrite;
               drop table if exists marts.fct_orders__dbt_rewrite -#}
{% macro spark_overwrite_through_copy(relation, select_sql) -%}
    {%- set copy = relation.incorporate(path={'identifier': relation.identifier ~ '__dbt_rewrite'}) -%}
    {%- call statement('drop_rewrite') -%}drop table if exists {{ copy }}{%- endcall -%}
    {%- call statement('rewrite') -%}
        create table {{ copy }} using parquet as {{ select_sql }}
    {%- endcall -%}
    {%- call statement('main') -%}
        insert overwrite table {{ relation }} select * from {{ copy }}
    {%- endcall -%}
    {%- call statement('drop_rewrite') -%}drop table if exists {{ copy }}{%- endcall -%}
{%- endmacro %}


{#- What a strategy keeps of the existing rows (`existing`: a predicate, or none for a pure
    append) and which new rows it inserts, mirroring get_incremental_<strategy>_sql.

    Example: spark_rewrite_parts('replace_keys', 'order_id', 'fct_orders__dbt_new')
      returns  {'keep': 'not exists (select 1 from fct_orders__dbt_new as incoming
                         where incoming.order_id = existing.order_id)',
                'insert': '_built_at is not null'}
    (replace_periods keeps the rows of other (grain, period_start) and inserts
    `metric_name is not null`; an unknown strategy is a compile error) -#}
{% macro spark_rewrite_parts(strategy, unique_key, new_rows) -%}
    {%- set keys = [unique_key] if unique_key is string else (unique_key or []) -%}
    {%- set matches -%}
        exists (
            select 1 from {{ new_rows }} as incoming
            where
                {%- for key in keys %}
                incoming.{{ key }} = existing.{{ key }}{{ ' and' if not loop.last }}
                {%- endfor %}
        )
    {%- endset -%}
    {%- if strategy == 'append' -%}
        {{ return({'keep': none, 'insert': 'true'}) }}
    {%- elif strategy == 'delete+insert' -%}
        {{ return({'keep': 'not ' ~ matches, 'insert': 'true'}) }}
    {%- elif strategy == 'reclassify_keys' -%}
        {#- null-key rows go only when the new rows re-selected them (all of them or none) #}
        {%- set keep_null_keys -%}
            (existing.{{ keys[0] }} is not null
             or not exists (select 1 from {{ new_rows }} as incoming where incoming.{{ keys[0] }} is null))
        {%- endset -%}
        {{ return({'keep': keep_null_keys ~ ' and not ' ~ matches, 'insert': 'true'}) }}
    {%- elif strategy == 'replace_keys' -%}
        {{ return({'keep': 'not ' ~ matches, 'insert': '_built_at is not null'}) }}
    {%- elif strategy == 'replace_periods' -%}
        {%- set periods -%}
            exists (
                select 1 from {{ new_rows }} as incoming
                where incoming.grain = existing.grain and incoming.period_start = existing.period_start
            )
        {%- endset -%}
        {{ return({'keep': 'not ' ~ periods, 'insert': 'metric_name is not null'}) }}
    {%- else -%}
        {{ exceptions.raise_compiler_error(
            'incremental strategy ' ~ strategy ~ ' has no Spark rewrite (macros/spark/incremental.sql)') }}
    {%- endif -%}
{%- endmacro %}
