{#- `dbt.type_float()` is `float`: single precision on DuckDB, double on PostgreSQL. Rates and
    percentages must carry the same digits on both engines, so they are double precision.

    Example: cast(metric_value as {{ type_double() }})
      renders  cast(metric_value as double precision)   (DuckDB, PostgreSQL; `double` on Spark) -#}
{% macro type_double() -%}
    {{ return(adapter.dispatch('type_double', 'marketmetrics')()) }}
{%- endmacro %}

{#- DuckDB and PostgreSQL: the SQL standard's name. -#}
{% macro default__type_double() -%}
    double precision
{%- endmacro %}

{#- Spark has no `double precision`, only `double`. -#}
{% macro spark__type_double() -%}
    double
{%- endmacro %}
