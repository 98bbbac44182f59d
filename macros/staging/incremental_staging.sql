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

    Two kinds of row cannot be placed against the watermark: rows with a null `_synced_at`,
    and rows with a null key (they all share one window partition, so a new one moves the rank
    of the old ones, and a null key never matches a delete). Both are quarantined and rare.
    Raw tables only grow (refuse_shrunken_raw_table stops a run on a shrunken one) and the
    base table holds each raw row once, so a new row of either kind shows as a difference
    between two counts, raw and base, of the rows with a null `_synced_at` (or a null key):
      - when the `_synced_at` counts differ, the keys of all rows without `_synced_at` count
        as touched;
      - when the null-key counts differ, every null-key row is re-classified: the
        `reclassify_keys` strategy below deletes them all and the model re-inserts them all.
    A sync that brings neither re-classifies none of them, so a sync with no new rows stamps
    no row at all.

    Schema changes fail the run (`on_schema_change='fail'`): a new column appended to an
    incremental base table would stay null on rows of untouched keys, where a full refresh fills
    it, so a changed base model needs `dbt build --full-refresh`.

    The body of a base model's `source` CTE (the model is incremental with the strategy
    `reclassify_keys` on its key, set in its own config):

        source as ({{ raw_rows_to_classify(source('order_db', 'orders'), 'order_id', raw_types) }}),

    `column_types` is the model's raw_column_types(...) mapping: a raw `_synced_at` stored as an
    instant is compared as stored with the watermark converted back to an instant (the same
    order, and the engine skips row groups by their min/max); one stored as text is converted
    to naive UTC exactly as the base table's `_synced_at` was. Keys are compared as
    bigint, the type every base model casts its key to.

    Example: source as ({{ raw_rows_to_classify(source('order_db', 'orders'), 'order_id', raw_types) }}),
      renders, on a full build,  select * from <raw.orders>
      and on an incremental run (raw types as the contract's),
               select * from <raw.orders>
               where cast(order_id as bigint) in (
                   select cast(order_id as bigint) from <raw.orders>
                   where _synced_at > ((
                             select max(_synced_at) from <this model>
                             where _reject_reason is distinct from 'future_synced_at')
                             at time zone 'UTC')
                      or (select max(_synced_at) ...) is null
                      or (_synced_at is null and (select count(*) from <raw.orders>
                              where _synced_at is null)
                          != (select count(*) from <this model> where _synced_at is null)))
               union all
               select * from <raw.orders> where cast(order_id as bigint) is null
               and (select count(*) from <raw.orders> where cast(order_id as bigint) is null)
                   != (select count(*) from <this model> where order_id is null) -#}
{% macro raw_rows_to_classify(source_relation, key, column_types) -%}
    {#- The key as the base model types it: text or a float key parses exactly as there. #}
    {%- set raw_key = typed(key, 'bigint', column_types) %}
    {%- set watermark -%}
        (
            select max(_synced_at) from {{ this }}
            where _reject_reason is distinct from 'future_synced_at'
        )
    {%- endset %}
    {#- Raw instants compared as stored, against the watermark converted once, so that the
        engine skips the row groups below it; text is converted row by row (its parse can fail,
        and a failed parse is a missing _synced_at). #}
    {%- set synced_type = (column_types.get('_synced_at') or '') | lower %}
    {%- if is_text_type(synced_type) %}
        {%- set raw_synced_at = utc_instant('_synced_at', column_types) %}
        {%- set raw_watermark = watermark %}
    {%- elif 'with time zone' in synced_type or synced_type == 'timestamptz' %}
        {%- set raw_synced_at = '_synced_at' %}
        {%- set raw_watermark = utc_as_instant(watermark) %}
    {%- else %}
        {%- set raw_synced_at = '_synced_at' %}
        {%- set raw_watermark = watermark %}
    {%- endif %}
    select * from {{ source_relation }}
    {%- if is_incremental() %}
    where {{ raw_key }} in (
        select {{ raw_key }}
        from {{ source_relation }}
        where {{ raw_synced_at }} > {{ raw_watermark }}
            or {{ watermark }} is null
            {#- No _synced_at: touched only when such a row arrived since the last build. #}
            or (
                {{ raw_synced_at }} is null
                and {{ new_rows_where(source_relation, raw_synced_at ~ ' is null', '_synced_at is null') }}
            )
    )
    {#- A union rather than `or`, so that both engines plan the `in` as a semi-join. #}
    union all
    select * from {{ source_relation }}
    where {{ raw_key }} is null
        and {{ new_rows_where(source_relation, raw_key ~ ' is null', key ~ ' is null') }}
    {%- endif %}
{%- endmacro %}


{#- True when raw rows matching `raw_condition` arrived since this base model's last build:
    the raw table holds more of them than the base table (`condition`, on its typed columns).
    Raw tables only grow and the base table holds each raw row once, so the counts differ
    exactly when a new one arrived. An expression of the incremental run.

    Example: {{ new_rows_where(source('order_db', 'orders'), 'order_id is null', 'order_id is null') }}
      renders  (select count(*) from <raw.orders> where order_id is null)
               != (select count(*) from <this model> where order_id is null) -#}
{% macro new_rows_where(source_relation, raw_condition, condition) -%}
    (select count(*) from {{ source_relation }} where {{ raw_condition }})
        != (select count(*) from {{ this }} where {{ condition }})
{%- endmacro %}


{#- dbt's delete+insert on `unique_key`, plus the delete of every null-key row when the model
    re-selected them (see raw_rows_to_classify: all of them or none; `key in (...)` never
    matches a null). The incremental strategy `reclassify_keys` of the base models.

    Example: {{ get_incremental_reclassify_keys_sql({'target_relation': 'staging.base_orders',
                 'temp_relation': 'base_orders__dbt_tmp', 'unique_key': 'order_id', ...}) }}
      renders  delete from staging.base_orders
               where order_id is null
                   and exists (select 1 from base_orders__dbt_tmp where order_id is null);

               delete from staging.base_orders
               where (order_id) in (select (order_id) from base_orders__dbt_tmp);

               insert into staging.base_orders (<columns>)
               (select <columns> from base_orders__dbt_tmp)   (dbt's delete+insert, DuckDB) -#}
{% macro get_incremental_reclassify_keys_sql(arg_dict) -%}
    {%- set key = arg_dict['unique_key'] %}
    delete from {{ arg_dict['target_relation'] }}
    where {{ key }} is null
        and exists (select 1 from {{ arg_dict['temp_relation'] }} where {{ key }} is null);

    {{ get_incremental_delete_insert_sql(arg_dict) }}
{%- endmacro %}
