{#- A hash of several expressions of one row, null-safe; only compared within one engine.

    Example: {{ row_hash(['completed_date', "case when status = 'completed' then amount end"]) }}
      renders  hash(completed_date, case when status = 'completed' then amount end)   (DuckDB;
               elsewhere the md5 of the values as text, null as '~', joined by '|')
    (equal values, equal hashes: a changed amount of a completed refund changes it) -#}
{% macro row_hash(expressions) -%}
    {{ return(adapter.dispatch('row_hash', 'marketmetrics')(expressions)) }}
{%- endmacro %}

{#- PostgreSQL and Spark: dbt.hash (md5) of the values cast to text, null as '~', joined by '|'. -#}
{% macro default__row_hash(expressions) -%}
    {%- set parts = [] -%}
    {%- for expression in expressions -%}
        {%- do parts.append("coalesce(cast(" ~ expression ~ " as " ~ dbt.type_string() ~ "), '~')") -%}
        {%- if not loop.last -%}{%- do parts.append("'|'") -%}{%- endif -%}
    {%- endfor -%}
    {{ dbt.hash(dbt.concat(parts)) }}
{%- endmacro %}


{#- DuckDB's own 64-bit hash of the values themselves: a tenth of the cost of md5 over text. -#}
{% macro duckdb__row_hash(expressions) -%}
    hash({{ expressions | join(', ') }})
{%- endmacro %}
