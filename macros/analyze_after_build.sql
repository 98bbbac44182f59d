{#- A post-hook of every model, seed and snapshot (dbt_project.yml): fresh planner statistics
    for the table just built, so the next model plans its joins on real row counts.
    PostgreSQL's autovacuum analyzes a new table only after a delay, which in one `dbt build`
    is after its readers ran; DuckDB keeps its statistics as it writes, so elsewhere this is
    nothing. A snapshot without statistics made `fct_product_first_displays` plan a nested
    loop over 100 K products (200 estimated) that ran for over 18 minutes at 1 M orders.

    Example: +post-hook: "{{ analyze_after_build() }}"   (dbt_project.yml)
      renders, on PostgreSQL after a table, incremental model, seed or snapshot,
               analyze "marketmetrics"."marts"."fct_orders"
      and nothing after a view or on DuckDB and Spark
    Given a relation (a table a hook wrote: audit.dbt_test_results), it analyzes that one:
      {{ analyze_after_build(test_results_relation()) }}
      renders  analyze "marketmetrics"."audit"."dbt_test_results"   (PostgreSQL) -#}
{% macro analyze_after_build(relation=none) -%}
    {{ return(adapter.dispatch('analyze_after_build', 'marketmetrics')(relation)) }}
{%- endmacro %}

{#- DuckDB and Spark: nothing (DuckDB keeps its statistics as it writes). -#}
{% macro default__analyze_after_build(relation=none) -%}
{%- endmacro %}

{#- PostgreSQL: `analyze` the given relation, or the one just built unless it is a view. -#}
{% macro postgres__analyze_after_build(relation=none) -%}
    {%- if relation is not none -%}
        analyze {{ relation }}
    {%- elif config.get("materialized") in ("table", "incremental", "seed", "snapshot") -%}
        analyze {{ this }}
    {%- endif -%}
{%- endmacro %}
