{#- Snapshots on Spark (docs/spark.md). dbt-spark's snapshot merges into the table, which only
    Delta, Iceberg or Hudi tables allow, and refuses parquet. This materialization keeps dbt's
    snapshot logic (its strategies, its staging of inserts, updates and deletes) and applies the
    changes by the format's means:

    - Delta, Iceberg, Hudi (`file_format` config): dbt-spark's MERGE (spark__snapshot_merge_sql);
    - parquet, as on a local session: a rewrite. The table's rows, each open version that the
      staging closes given its `dbt_valid_to`, plus the staged inserts, go to
      `<snapshot>__dbt_rewrite`, which then overwrites the snapshot.

    The result is the table dbt's merge gives on the other engines. -#}

{% materialization snapshot, adapter='spark' %}
    {%- set file_format = config.get('file_format') or 'parquet' -%}
    {%- set grant_config = config.get('grants') -%}
    {%- set columns = config.get('snapshot_table_column_names') or get_snapshot_table_column_names() -%}
    {%- set exists, target_relation = get_or_create_relation(
        database=none, schema=model.schema, identifier=model.get('alias', model.get('name')),
        type='table') -%}
    {%- if not adapter.check_schema_exists(model.database, model.schema) -%}
        {%- do create_schema(api.Relation.create(database=none, schema=model.schema)) -%}
    {%- endif -%}

    {{ run_hooks(pre_hooks) }}
    {%- set strategy = strategy_dispatch(config.get('strategy'))(
        model, 'snapshotted_data', 'source_data', model['config'], exists) -%}

    {%- if not exists -%}
        {%- call statement('main') -%}
            {{ create_table_as(False, target_relation, build_snapshot_table(strategy, model['compiled_code'])) }}
        {%- endcall -%}
    {%- else -%}
        {%- set staging = api.Relation.create(
            identifier=target_relation.identifier ~ '__dbt_tmp', schema=none, database=none, type='view') -%}
        {%- call statement('staging') -%}
            {{ create_table_as(True, staging, snapshot_staging_table(strategy, sql, target_relation)) }}
        {%- endcall -%}
        {%- set internal = ['dbt_change_type', 'dbt_unique_key'] -%}
        {%- set missing = adapter.get_missing_columns(staging, target_relation)
            | rejectattr('name', 'in', internal) | list -%}
        {%- do create_columns(target_relation, missing) -%}
        {%- set target_columns = adapter.get_columns_in_relation(target_relation) | map(attribute='name') | list -%}

        {%- if file_format in ['delta', 'iceberg', 'hudi'] -%}
            {%- call statement('main') -%}
                {{ snapshot_merge_sql(target=target_relation, source=staging,
                    insert_cols=target_columns | map('string') | list) }}
            {%- endcall -%}
        {%- else -%}
            {%- set rows -%}
                select
                    {%- for column in target_columns %}
                    {%- if column == columns.dbt_valid_to %}
                    case when closing.dbt_scd_id is not null then closing.valid_to
                        else existing.{{ column }} end as {{ column }}
                    {%- else %}
                    existing.{{ column }}
                    {%- endif %}{{ ',' if not loop.last }}
                    {%- endfor %}
                from {{ target_relation }} as existing
                left join (
                    select {{ columns.dbt_scd_id }} as dbt_scd_id, min({{ columns.dbt_valid_to }}) as valid_to
                    from {{ staging }}
                    where dbt_change_type in ('update', 'delete')
                    group by {{ columns.dbt_scd_id }}
                ) as closing
                    on closing.dbt_scd_id = existing.{{ columns.dbt_scd_id }}
                    and existing.{{ columns.dbt_valid_to }} is null
                union all
                select {{ target_columns | join(', ') }}
                from {{ staging }}
                where dbt_change_type = 'insert'
            {%- endset -%}
            {%- do spark_overwrite_through_copy(target_relation, rows) -%}
        {%- endif -%}
    {%- endif -%}

    {%- do apply_grants(target_relation, grant_config, should_revoke(exists, full_refresh_mode)) -%}
    {%- do persist_docs(target_relation, model) -%}
    {{ run_hooks(post_hooks) }}
    {{ return({'relations': [target_relation]}) }}
{% endmaterialization %}
