{#- Entity marts incremental by touched keys.

    Every base model stamps the rows it (re)classifies with `_classified_at`, the dbt
    invocation's start (run_started_at): a touched key has all its raw rows re-classified, so
    all of them carry the new stamp (macros/staging/incremental_staging.sql). An entity mart
    stamps the rows it writes with `_built_at`, its own invocation's start. Both stamps come
    from one clock, and a mart is always built after the base models it reads in the same
    invocation, so

        a raw row changed since the mart was last built  <=>  _classified_at > max(_built_at)

    whatever the lateness of the row and whichever table it came from (one watermark per
    mart, not one per input table: the tables of one sync need not arrive together).

    An incremental build of a mart then:
      1. collects the keys its changed inputs touch (reclassified_keys: rows of its own base
         model and of the inputs it joins, both the new and the previous version's foreign
         keys, since every version of a touched key is re-classified; rebuilt_keys: rows of
         upstream marts rewritten since);
      2. recomputes its rows for those keys only, from the same SQL as a full build;
      3. replaces them (the replace_keys strategy): deletes every touched key, inserts the
         recomputed rows. A touched key with no row left (a tombstone, an item whose order
         vanished) is only deleted: the model adds one sentinel row per touched key, all null
         but the key and with a null `_built_at`, and the strategy never inserts those.

    A run that touches no key, or only keys that end with no row, leaves max(_built_at)
    where it was: the next run re-reads those rows, which is harmless (the result is the
    same). A full refresh of a base model re-stamps every row, so every key is recomputed.
    A changed seed (commission or fee rates) or a changed model needs `--full-refresh`, as
    for every incremental model. -#}


{#- This invocation's start as a timestamp: the `_built_at` of the rows a mart writes.

    Example: {{ build_clock() }} as _built_at
      renders  cast('2026-03-04 09:12:40.123456' as timestamp) as _built_at
    (run_started_at: the same instant in every model of one dbt invocation) -#}
{% macro build_clock() -%}
    cast('{{ run_started_at.strftime("%Y-%m-%d %H:%M:%S.%f") }}' as {{ dbt.type_timestamp() }})
{%- endmacro %}


{#- When this model last wrote a row (1900 when it has none): a scalar subquery.

    Example: where _classified_at > {{ last_built_at() }}
      renders  where _classified_at > (
                   select coalesce(max(_built_at), cast('1900-01-01' as timestamp))
                   from <this model>) -#}
{% macro last_built_at() -%}
    (
        select coalesce(max(_built_at), cast('1900-01-01' as {{ dbt.type_timestamp() }}))
        from {{ this }}
    )
{%- endmacro %}


{#- `column` of the rows of base model `model` re-classified since this model's last build.
    A select, one part of a model's `touched` CTE.

    Example: {{ reclassified_keys('base_orders', 'order_id') }}
      renders  select order_id
               from <staging.base_orders>
               where _classified_at > (select coalesce(max(_built_at), cast('1900-01-01' as timestamp))
                                       from <this model>) -#}
{% macro reclassified_keys(model, column) -%}
    select {{ column }}
    from {{ ref(model) }}
    where _classified_at > {{ last_built_at() }}
{%- endmacro %}


{#- `column` of the rows of mart `model` rewritten since this model's last build. A select,
    one part of a model's `touched` CTE.

    Example: {{ rebuilt_keys('fct_orders', 'order_id') }}
      renders  select order_id
               from <marts.fct_orders>
               where _built_at > (select coalesce(max(_built_at), cast('1900-01-01' as timestamp))
                                  from <this model>) -#}
{% macro rebuilt_keys(model, column) -%}
    select {{ column }}
    from {{ ref(model) }}
    where _built_at > {{ last_built_at() }}
{%- endmacro %}


{#- On an incremental run, one sentinel row per key of `touched_cte`: that key, every other
    column null (and so `_built_at`): deleted with the key, never inserted (see above). Nothing
    on a full build. The sentinel takes the stored table's column list and types, so a model
    whose columns changed fails here with a column-count error and needs a full refresh. Body of
    the model's `key_sentinels` CTE, which its last select appends to `final`:

    Example: key_sentinels as ({{ key_sentinels('final', 'touched', 'order_id') }})

             select * from final
             union all
             select * from key_sentinels
      renders, on an incremental run of fct_orders (order_id, customer_id, ..., _built_at),
               select touched.order_id as order_id, cast(null as BIGINT) as customer_id, ...,
                   cast(null as TIMESTAMP) as _built_at
               from touched   (DuckDB's type names)
      and on a full build  select * from final where 1 = 0 -#}
{% macro key_sentinels(final_cte, touched_cte, keys) -%}
    {%- set keys = [keys] if keys is string else keys -%}
    {%- if is_incremental() and execute %}
    select
        {%- for column in adapter.get_columns_in_relation(this) %}
        {% if column.name | lower in keys -%}
            {{ touched_cte }}.{{ column.name }}
        {%- else -%}
            cast(null as {{ column.data_type }})
        {%- endif %} as {{ column.name }}{{ ',' if not loop.last }}
        {%- endfor %}
    from {{ touched_cte }}
    {%- else %}
    select * from {{ final_cte }}
    where 1 = 0
    {%- endif %}
{%- endmacro %}


{#- The incremental strategy of the entity marts: delete every key of the new rows and of the
    sentinels, insert the new rows.

    Example: {{ get_incremental_replace_keys_sql({'target_relation': 'marts.fct_orders',
                 'temp_relation': 'fct_orders__dbt_tmp', 'unique_key': 'order_id',
                 'dest_columns': [<order_id>, <status>, <_built_at>]}) }}
      renders  delete from marts.fct_orders
               where order_id in (select order_id from fct_orders__dbt_tmp);

               insert into marts.fct_orders ("order_id", "status", "_built_at")
               select "order_id", "status", "_built_at"
               from fct_orders__dbt_tmp
               where _built_at is not null
    (a composite key deletes with `using fct_orders__dbt_tmp where <each key equal>`) -#}
{% macro get_incremental_replace_keys_sql(arg_dict) -%}
    {%- set target = arg_dict['target_relation'] -%}
    {%- set source = arg_dict['temp_relation'] -%}
    {%- set keys = arg_dict['unique_key'] -%}
    {%- set keys = [keys] if keys is string else keys -%}
    {%- set columns = arg_dict['dest_columns'] | map(attribute='quoted') | join(', ') -%}
    delete from {{ target }}
    {%- if keys | length == 1 %}
    where {{ keys[0] }} in (select {{ keys[0] }} from {{ source }});
    {%- else %}
    using {{ source }}
    where
        {%- for key in keys %}
        {{ source }}.{{ key }} = {{ target }}.{{ key }}{{ ' and' if not loop.last }}
        {%- endfor %};
    {%- endif %}

    insert into {{ target }} ({{ columns }})
    select {{ columns }}
    from {{ source }}
    where _built_at is not null
{%- endmacro %}


{#- Whether model `name` is an entity mart incremental by touched keys (its rows carry
    `_built_at`). Known only once the graph is: false at parse time.

    Example: {{ is_keyed_incremental('fct_orders') }}   returns true
             {{ is_keyed_incremental('stg_orders') }}   returns false -#}
{% macro is_keyed_incremental(name) -%}
    {%- if execute -%}
        {%- for node in graph.nodes.values() if node.resource_type == 'model' and node.name == name -%}
            {{ return(node.config.get('incremental_strategy') == 'replace_keys') }}
        {%- endfor -%}
    {%- endif -%}
    {{ return(false) }}
{%- endmacro %}
