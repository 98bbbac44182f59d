{#- The raw contract for dbt: read from the macro generated from catalog/raw_contract.yml
    (macros/contract/raw_contract.sql), the one copy Python reads too. -#}

{% macro raw_contract() -%}
    {{ return(fromyaml(raw_contract_yaml())) }}
{%- endmacro %}


{% macro raw_enum(table_name, column_name) -%}
    {%- set table = raw_contract()['tables'].get(table_name) -%}
    {%- set enums = (table or {}).get('enums') or {} -%}
    {%- if column_name not in enums -%}
        {{ exceptions.raise_compiler_error("raw_enum: the contract has no enumeration " ~ table_name ~ '.' ~ column_name) }}
    {%- endif -%}
    {{ return(enums[column_name]) }}
{%- endmacro %}


{#- The staged raw tables: name, the dbt source that holds it, key and kind, in the contract's
    order. The audit models union over this list. -#}
{% macro raw_tables() -%}
    {%- set out = [] -%}
    {%- for name, table in raw_contract()['tables'].items() -%}
        {%- do out.append({'name': name, 'source': table['source'], 'key': table['key'], 'kind': table['kind']}) -%}
    {%- endfor -%}
    {{ return(out) }}
{%- endmacro %}
