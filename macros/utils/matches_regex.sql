{#- Whether `expression` matches the regular expression `pattern` anywhere (anchor it with ^
    and $ for the whole text): a boolean, null for a null expression. Write the pattern in
    what DuckDB's RE2, PostgreSQL's and Java's regular expressions share.

    Example: {{ matches_regex('code', '^[0-9]+$') }}
      renders  regexp_matches(code, '^[0-9]+$')   (DuckDB; `code ~ '...'` on PostgreSQL,
               `code rlike '...'` on Spark)
    (for '0042': true; for '42a': false) -#}
{% macro matches_regex(expression, pattern) -%}
    {{ return(adapter.dispatch('matches_regex', 'marketmetrics')(expression, pattern)) }}
{%- endmacro %}

{#- PostgreSQL: the `~` operator. -#}
{% macro default__matches_regex(expression, pattern) -%}
    ({{ expression }} ~ '{{ pattern }}')
{%- endmacro %}

{#- DuckDB: regexp_matches(), which matches anywhere in the text. -#}
{% macro duckdb__matches_regex(expression, pattern) -%}
    regexp_matches({{ expression }}, '{{ pattern }}')
{%- endmacro %}

{#- Spark: the `rlike` operator. -#}
{% macro spark__matches_regex(expression, pattern) -%}
    ({{ expression }} rlike '{{ pattern }}')
{%- endmacro %}
