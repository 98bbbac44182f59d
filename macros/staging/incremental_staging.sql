{#- Base models are incremental "by touched keys": a run re-classifies every raw row of each key
    that received a row since the last build, and replaces that key's rows in the base table.

    A row's fate depends only on the other raw rows of its key (classify_raw_rows ranks within
    `_reject_reason, key`), so re-classifying all rows of a touched key together gives exactly
    what a full refresh gives, and an untouched key's rows are already right. That holds under
    the replicator's contract: a batch carries one `_synced_at` or increasing ones, and a row is
    never delivered with a `_synced_at` at or before one already loaded (no backdating). A
    backdated row would stay unclassified until the next `--full-refresh`, and
    audit_row_reconciliation would report it as unaccounted.

    A row quarantined as `future_synced_at` (its replication time ahead of the build's clock)
    does not count towards the watermark: it would hide every later row. Its key stays touched
    until the clock passes it.

    Two kinds of row cannot be told apart by key and watermark, so they are always
    re-classified:
      - rows with a null `_synced_at` (they have no place against the watermark): their keys
        count as touched on every run;
      - rows with a null key: they all share one window partition, so a new one moves the rank of
        the old ones, and a null key never matches a delete. The `reclassify_keys` strategy
        below deletes them all and the model re-inserts them all. Both kinds are quarantined
        and rare.

    Schema changes fail the run (`on_schema_change='fail'`): a new column appended to an
    incremental base table would stay null on rows of untouched keys, where a full refresh fills
    it, so a changed base model needs `dbt build --full-refresh`.

    The body of a base model's `source` CTE (the model is incremental with the strategy
    `reclassify_keys` on its key, set in its own config):

        source as ({{ raw_rows_to_classify(source('order_db', 'orders'), 'order_id', raw_types) }}),

    `column_types` is the model's raw_column_types(...) mapping, so the raw `_synced_at` is
    converted to naive UTC exactly as the base table's `_synced_at` was. Keys are compared as
    bigint, the type every base model casts its key to.

    Example: source as ({{ raw_rows_to_classify(source('order_db', 'orders'), 'order_id', raw_types) }}),
      renders, on a full build,  select * from <raw.orders>
      and on an incremental run (raw types as the contract's),
               select * from <raw.orders>
               where cast(order_id as bigint) in (
                   select cast(order_id as bigint) from <raw.orders>
                   where not coalesce((_synced_at at time zone 'UTC') <= (
                       select max(_synced_at) from <this model>
                       where _reject_reason is distinct from 'future_synced_at'), false))
               union all
               select * from <raw.orders> where cast(order_id as bigint) is null -#}
{% macro raw_rows_to_classify(source_relation, key, column_types) -%}
    {#- The key as the base model types it: text or a float key parses exactly as there. #}
    {%- set raw_key = typed(key, 'bigint', column_types) %}
    select * from {{ source_relation }}
    {%- if is_incremental() %}
    where {{ raw_key }} in (
        select {{ raw_key }}
        from {{ source_relation }}
        {#- Not known to be at or before the watermark: newer, or no _synced_at at all. #}
        where not coalesce(
            {{ utc_instant('_synced_at', column_types) }} <= (
                select max(_synced_at) from {{ this }}
                where _reject_reason is distinct from 'future_synced_at'
            ),
            false
        )
    )
    {#- A union rather than `or`, so that both engines plan the `in` as a semi-join. #}
    union all
    select * from {{ source_relation }}
    where {{ raw_key }} is null
    {%- endif %}
{%- endmacro %}


{#- dbt's delete+insert on `unique_key`, plus the delete of every null-key row: the model
    re-selects all of them (see raw_rows_to_classify), and `key in (...)` never matches a null.
    The incremental strategy `reclassify_keys` of the base models.

    Example: {{ get_incremental_reclassify_keys_sql({'target_relation': 'staging.base_orders',
                 'temp_relation': 'base_orders__dbt_tmp', 'unique_key': 'order_id', ...}) }}
      renders  delete from staging.base_orders
               where order_id is null;

               delete from staging.base_orders
               where (order_id) in (select (order_id) from base_orders__dbt_tmp);

               insert into staging.base_orders (<columns>)
               (select <columns> from base_orders__dbt_tmp)   (dbt's delete+insert, DuckDB) -#}
{% macro get_incremental_reclassify_keys_sql(arg_dict) -%}
    delete from {{ arg_dict['target_relation'] }}
    where {{ arg_dict['unique_key'] }} is null;

    {{ get_incremental_delete_insert_sql(arg_dict) }}
{%- endmacro %}
