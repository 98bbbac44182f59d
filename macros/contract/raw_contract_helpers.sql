{#- The raw contract for dbt: read from the macro generated from catalog/raw_contract.yml
    (macros/contract/raw_contract.sql), the one copy Python reads too. -#}

{% macro raw_contract() -%}
    {{ return(fromyaml(raw_contract_yaml())) }}
{%- endmacro %}


{#- A column's accepted values in the contract. -#}
{% macro raw_enum(table_name, column_name) -%}
    {%- set values = raw_column_spec(table_name, column_name).get('accepted_values') -%}
    {%- if not values -%}
        {{ exceptions.raise_compiler_error("raw_enum: the contract has no accepted values for " ~ table_name ~ '.' ~ column_name) }}
    {%- endif -%}
    {{ return(values) }}
{%- endmacro %}


{#- A column of the contract: {type, pii, accepted_values?, max_length?}. -#}
{% macro raw_column_spec(table_name, column_name) -%}
    {%- set table = raw_contract()['tables'].get(table_name) -%}
    {%- set spec = ((table or {}).get('columns') or {}).get(column_name) -%}
    {%- if spec is none -%}
        {{ exceptions.raise_compiler_error("the raw contract has no column " ~ table_name ~ '.' ~ column_name) }}
    {%- endif -%}
    {{ return(spec) }}
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
