{#- Unicode canonical composition (NFC) of a text: a decomposed `e` + combining accent is the
    composed `é`, so text that looks the same compares equal.

    Example: {{ nfc('category_name') }}
      renders  nfc_normalize(category_name)   (DuckDB; normalize(category_name, NFC) on
               PostgreSQL, ICU's Normalizer.compose on Spark)
    (for 'e' followed by U+0301: 'é', one character; null stays null) -#}
{% macro nfc(expression) -%}
    {{ return(adapter.dispatch('nfc', 'marketmetrics')(expression)) }}
{%- endmacro %}

{#- PostgreSQL: normalize(..., NFC). -#}
{% macro default__nfc(expression) -%}
    normalize({{ expression }}, NFC)
{%- endmacro %}

{#- DuckDB: its built-in nfc_normalize(). -#}
{% macro duckdb__nfc(expression) -%}
    nfc_normalize({{ expression }})
{%- endmacro %}

{#- Spark SQL has no normalize(): ICU's composition (NFC, `compat` false), which Spark ships
    for its collations, called through reflect(). -#}
{% macro spark__nfc(expression) -%}
    {#- reflect() fails on a null argument instead of returning null. #}
    case when {{ expression }} is not null
        then reflect('com.ibm.icu.text.Normalizer', 'compose', {{ expression }}, false)
    end
{%- endmacro %}
