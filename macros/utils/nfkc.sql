{#- Unicode compatibility normalisation (NFKC): full-width `ｍｅ＠ｅｘａｍｐｌｅ．ｃｏｍ` is
    `me@example.com`, `０１０－１２３４` is `010-1234`, every look-alike space is a space. DuckDB
    has no NFKC of its own: the project registers one on dbt's connections
    (src/marketmetrics/duckdb_functions.py, a dbt-duckdb plugin in profiles.yml.example).

    Example: {{ nfkc('query') }}
      renders  nfkc_normalize(query)   (DuckDB; normalize(query, NFKC) on PostgreSQL, ICU's
               Normalizer.compose on Spark)
    (for '０１０－１２３４': '010-1234') -#}
{% macro nfkc(expression) -%}
    {{ return(adapter.dispatch('nfkc', 'marketmetrics')(expression)) }}
{%- endmacro %}

{#- PostgreSQL: normalize(..., NFKC). -#}
{% macro default__nfkc(expression) -%}
    normalize({{ expression }}, NFKC)
{%- endmacro %}

{#- DuckDB: the project's nfkc_normalize() (src/marketmetrics/duckdb_functions.py). -#}
{% macro duckdb__nfkc(expression) -%}
    nfkc_normalize({{ expression }})
{%- endmacro %}

{#- ICU's composition with `compat` true is NFKC. -#}
{% macro spark__nfkc(expression) -%}
    case when {{ expression }} is not null
        then reflect('com.ibm.icu.text.Normalizer', 'compose', {{ expression }}, true)
    end
{%- endmacro %}
