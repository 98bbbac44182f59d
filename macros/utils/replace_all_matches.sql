{#- Every match of `pattern` replaced (PostgreSQL and DuckDB need the 'g' flag; Spark
    replaces every match and reads a fourth argument as a position).

    Example: {{ replace_all_matches('query', '[0-9]+', '#') }}
      renders  regexp_replace(query, '[0-9]+', '#', 'g')   (DuckDB, PostgreSQL; no 'g' on Spark)
    (for 'a1b22': 'a#b#') -#}
{% macro replace_all_matches(expression, pattern, replacement) -%}
    {{ return(adapter.dispatch('replace_all_matches', 'marketmetrics')(expression, pattern, replacement)) }}
{%- endmacro %}

{#- DuckDB and PostgreSQL: regexp_replace() with the 'g' (global) flag. -#}
{% macro default__replace_all_matches(expression, pattern, replacement) -%}
    regexp_replace({{ expression }}, '{{ pattern }}', '{{ replacement }}', 'g')
{%- endmacro %}

{#- Spark reads backslash escapes in string literals: doubled, a pattern's `\x01` reaches Java
    as written. -#}
{% macro spark__replace_all_matches(expression, pattern, replacement) -%}
    regexp_replace({{ expression }}, '{{ pattern | replace('\\', '\\\\') }}', '{{ replacement }}')
{%- endmacro %}
