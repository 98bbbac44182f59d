{#- Schemas are named exactly as configured (`raw`, `staging`, `marts`, ...), on both engines,
    instead of dbt's default `<target schema>_<custom schema>`: BI tools and analysts read
    stable names. A node without a custom schema lands in the target's schema.

    Example: {{ generate_schema_name('marts', node) }}   returns marts
             {{ generate_schema_name(none, node) }}      returns the target's schema (main on
                                                         the DuckDB profile) -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
