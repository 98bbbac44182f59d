{#- One character by its code point, as a SQL expression: chr(8203) on DuckDB and PostgreSQL;
    Spark's chr() wraps at 256, so there it is a `\uXXXX` string literal.

    Example: replace(name, {{ unicode_char(8203) }}, '')
      renders  replace(name, chr(8203), '')   (DuckDB, PostgreSQL; '\u200b' on Spark)
    (removes every zero-width space U+200B from name) -#}
{% macro unicode_char(code) -%}
    {{ return(adapter.dispatch('unicode_char', 'marketmetrics')(code)) }}
{%- endmacro %}

{#- DuckDB and PostgreSQL: chr() of the code point. -#}
{% macro default__unicode_char(code) -%}
    chr({{ code }})
{%- endmacro %}

{#- Spark: a `\uXXXX` escape in a string literal (its chr() wraps at 256). -#}
{% macro spark__unicode_char(code) -%}
    '\u{{ '%04x' % code }}'
{%- endmacro %}
