{#- A post-hook of every model (dbt_project.yml): on PostgreSQL, an index on each stamp column
    the next run reads by its newest value, so a scheduled run finds its rows without a scan of
    the whole table:
        _synced_at      the incremental watermark (max(_synced_at) of the model itself)
        _classified_at  the keys touched since a mart's build (_classified_at > max(_built_at))
        _built_at       the marts' own watermark and the rows a scoped test reads
        _computed_at    the periods a metric values model recomputed (scoped tests)
    PostgreSQL names the index itself (a name left over on the table a full refresh replaces
    cannot collide), and an incremental model keeps its index from run to run: one is created
    only for a stamp column no index of the table starts with. One statement per model, the
    table's columns read by the server: no catalog round trip from dbt. DuckDB and Spark:
    nothing (DuckDB's zone maps already skip what a filter on a stamp excludes).

    Example: +post-hook: "{{ index_stamps() }}"   (dbt_project.yml)
      renders, on PostgreSQL after a table or incremental model,
               do $$ declare stamp name; begin
                   for stamp in select a.attname from pg_attribute as a
                       where a.attrelid = '"marts"."fct_orders"'::regclass
                         and a.attname in ('_synced_at', '_classified_at', '_built_at', '_computed_at')
                         and not exists (<an index of the table starting with it>)
                   loop execute format('create index on %s (%I)', '"marts"."fct_orders"', stamp);
                   end loop; end $$ -#}
{% macro index_stamps() -%}
    {{ return(adapter.dispatch('index_stamps', 'marketmetrics')()) }}
{%- endmacro %}

{% macro default__index_stamps() -%}
{%- endmacro %}

{% macro postgres__index_stamps() -%}
    {%- if config.get("materialized") in ("table", "incremental") -%}
        {%- set relation = this.include(database=false) -%}
do $$
declare
    stamp name;
begin
    for stamp in
        select a.attname
        from pg_attribute as a
        where
            a.attrelid = '{{ relation }}'::regclass
            and not a.attisdropped
            and a.attname in ('_synced_at', '_classified_at', '_built_at', '_computed_at')
            and not exists (
                select 1
                from pg_index as i
                where i.indrelid = a.attrelid and i.indkey[0] = a.attnum
            )
    loop
        execute format('create index on %s (%I)', '{{ relation }}', stamp);
    end loop;
end $$
    {%- endif -%}
{%- endmacro %}
