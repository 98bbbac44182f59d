{#- A post-hook of every model (dbt_project.yml): on PostgreSQL, an index on each stamp column
    the next run reads by its newest value, so a scheduled run finds its rows without a scan of
    the whole table:
        _synced_at      the incremental watermark (max(_synced_at) of the model itself)
        _classified_at  the keys touched since a mart's build (_classified_at > max(_built_at))
        _built_at       the marts' own watermark and the rows a scoped test reads
        _computed_at    the periods a metric values model recomputed (scoped tests)
    PostgreSQL names the index itself (a name left over on the table a full refresh replaces
    cannot collide), and an incremental model keeps its index from run to run: one is created
    only when no index of the table starts with that column. DuckDB and Spark: nothing
    (DuckDB's zone maps already skip what a filter on a stamp excludes).

    Example: +post-hook: "{{ index_stamps() }}"   (dbt_project.yml)
      renders, on PostgreSQL after fct_orders (a table with _built_at),
               do $$ begin if not exists (select 1 from pg_index ... attname = '_built_at')
               then create index on "marts"."fct_orders" ("_built_at"); end if; end $$ -#}
{% macro index_stamps() -%}
    {{ return(adapter.dispatch('index_stamps', 'marketmetrics')()) }}
{%- endmacro %}

{% macro default__index_stamps() -%}
{%- endmacro %}

{% macro postgres__index_stamps() -%}
    {%- if execute and config.get("materialized") in ("table", "incremental") -%}
        {%- set relation = this.include(database=false) -%}
        {%- set names = adapter.get_columns_in_relation(this) | map(attribute='name') | map('lower') | list -%}
        {%- for stamp in ['_synced_at', '_classified_at', '_built_at', '_computed_at'] if stamp in names %}
do $$ begin
    if not exists (
        select 1
        from pg_index as i
        inner join pg_attribute as a on a.attrelid = i.indrelid and a.attnum = i.indkey[0]
        where i.indrelid = '{{ relation }}'::regclass and a.attname = '{{ stamp }}'
    ) then
        create index on {{ relation }} ("{{ stamp }}");
    end if;
end $$;
        {%- endfor -%}
    {%- endif -%}
{%- endmacro %}
