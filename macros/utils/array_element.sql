{#- The element at a 1-based position of an array.

    Example: {{ array_element('grouped.percentiles_1', 2) }}
      renders  grouped.percentiles_1[2]   (DuckDB, PostgreSQL; element_at(..., 2) on Spark)
    (for the array [8.5, 12.0, 30.25]: 12.0) -#}
{% macro array_element(array_expression, position) -%}
    {{ return(adapter.dispatch('array_element', 'marketmetrics')(array_expression, position)) }}
{%- endmacro %}

{#- DuckDB and PostgreSQL: the subscript, 1-based on both. -#}
{% macro default__array_element(array_expression, position) -%}
    {{ array_expression }}[{{ position }}]
{%- endmacro %}

{#- Spark's subscript is 0-based; element_at() is 1-based. -#}
{% macro spark__array_element(array_expression, position) -%}
    element_at({{ array_expression }}, {{ position }})
{%- endmacro %}
