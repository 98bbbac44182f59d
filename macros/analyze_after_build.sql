{#- A post-hook of every model, seed and snapshot (dbt_project.yml): fresh planner statistics
    for the table just built, so the next model plans its joins on real row counts.
    PostgreSQL's autovacuum analyzes a new table only after a delay, which in one `dbt build`
    is after its readers ran; DuckDB keeps its statistics as it writes, so elsewhere this is
    nothing. A snapshot without statistics made `fct_product_first_displays` plan a nested
    loop over 100 K products (200 estimated) that ran for over 18 minutes at 1 M orders.

    Example: +post-hook: "{{ analyze_after_build() }}"   (dbt_project.yml)
      renders, on PostgreSQL after a table, incremental model, seed or snapshot,
               analyze "marketmetrics"."marts"."fct_orders"
      and nothing after a view or on DuckDB and Spark -#}
{% macro analyze_after_build() -%}
    {{ return(adapter.dispatch('analyze_after_build', 'marketmetrics')()) }}
{%- endmacro %}

{#- DuckDB and Spark: nothing (DuckDB keeps its statistics as it writes). -#}
{% macro default__analyze_after_build() -%}
{%- endmacro %}

{#- PostgreSQL: `analyze` the relation just built, unless it is a view. -#}
{% macro postgres__analyze_after_build() -%}
    {%- if config.get("materialized") in ("table", "incremental", "seed", "snapshot") -%}
        analyze {{ this }}
    {%- endif -%}
{%- endmacro %}
