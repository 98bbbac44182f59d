{#- `dbt.type_float()` is `float`: single precision on DuckDB, double on PostgreSQL. Rates and
    percentages must carry the same digits on both engines, so they are double precision. -#}
{% macro type_double() -%}
    {{ return(adapter.dispatch('type_double', 'marketmetrics')()) }}
{%- endmacro %}

{% macro default__type_double() -%}
    double precision
{%- endmacro %}

{% macro spark__type_double() -%}
    double
{%- endmacro %}
