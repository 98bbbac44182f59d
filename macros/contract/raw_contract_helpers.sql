{#- The raw contract for dbt: the sources' YAML (models/staging/<domain>/_<domain>__sources.yml),
    read from dbt's graph when a model compiles, as Python reads the same files
    (src/marketmetrics/contract.py). A contract table is a source table whose meta names its
    `kind`; its columns carry `data_type` and, in their meta, `pii`, `accepted_values` and
    `max_length` (docs/raw_contract.md). The replicator's columns (`_is_deleted`,
    `_synced_at`) are listed in the YAML but are not contract columns here.

    The graph is empty while dbt parses, so the contract is too: these macros return nothing
    then, and a model never takes a ref or source from them (refs must be static).

    Returns {'tables': {name: {'kind', 'key', 'domain', 'source', 'columns': {name: spec}}}}.

    Example: {% set contract = raw_contract() %}
             {{ contract['tables']['payments']['columns']['pg_provider']['accepted_values'] }}
      returns  ['kcp', 'inicis', 'toss_payments', 'nicepay', 'danal', 'kakao']
    and contract['tables']['orders'] is {'kind': 'entity', 'key': 'order_id', 'domain': 'orders',
    'source': 'order_db', 'columns': {'order_id': {'type': 'bigint', 'pii': 'none',
    'accepted_values': none, 'max_length': none}, ...}} -#}
{% macro raw_contract() -%}
    {%- set tables = {} -%}
    {%- if not execute -%}{{ return({'tables': tables}) }}{%- endif -%}
    {%- for node in graph.sources.values() | sort(attribute='unique_id') -%}
        {%- set meta = node.config.get('meta') or node.get('meta') or {} -%}
        {%- if meta.get('kind') -%}
            {%- set columns = {} -%}
            {%- for name, column in node.columns.items() if not name.startswith('_') -%}
                {%- set column_meta = (column.get('config') or {}).get('meta') or column.get('meta') or {} -%}
                {%- do columns.update({name: {
                    'type': column.data_type,
                    'pii': column_meta.get('pii'),
                    'accepted_values': column_meta.get('accepted_values'),
                    'max_length': column_meta.get('max_length')}}) -%}
            {%- endfor -%}
            {%- do tables.update({node.name: {
                'kind': meta['kind'], 'key': meta['key'], 'domain': meta.get('domain'),
                'source': node.source_name, 'columns': columns}}) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return({'tables': tables}) }}
{%- endmacro %}


{#- A column's accepted values in the contract (nothing while dbt parses).

    Example: {{ raw_enum('orders', 'status') }}
      returns  ['created', 'paid', 'cancelled', 'confirmed']
    (a column without accepted values: a compile error) -#}
{% macro raw_enum(table_name, column_name) -%}
    {%- if not execute -%}{{ return([]) }}{%- endif -%}
    {%- set values = raw_column_spec(table_name, column_name).get('accepted_values') -%}
    {%- if not values -%}
        {{ exceptions.raise_compiler_error("raw_enum: the contract has no accepted values for " ~ table_name ~ '.' ~ column_name) }}
    {%- endif -%}
    {{ return(values) }}
{%- endmacro %}


{#- A column of the contract: {type, pii, accepted_values, max_length} (empty while dbt parses).

    Example: {{ raw_column_spec('search_logs', 'query') }}
      returns  {'type': 'text', 'pii': 'free_text', 'accepted_values': none, 'max_length': 500}
    (a column the contract does not have: a compile error) -#}
{% macro raw_column_spec(table_name, column_name) -%}
    {%- if not execute -%}{{ return({}) }}{%- endif -%}
    {%- set table = raw_contract()['tables'].get(table_name) -%}
    {%- set spec = ((table or {}).get('columns') or {}).get(column_name) -%}
    {%- if spec is none -%}
        {{ exceptions.raise_compiler_error("the raw contract has no column " ~ table_name ~ '.' ~ column_name) }}
    {%- endif -%}
    {{ return(spec) }}
{%- endmacro %}


{#- The contract's tables: name, the dbt source that holds it, key and kind. The audit models
    union over this list (their refs to the base models are written out in each of them).

    Example: {% for table in raw_tables() %} {{ table.name }} {{ table.key }} {% endfor %}
      where raw_tables()[0] is {'name': 'search_logs', 'source': 'behaviour_logs',
      'key': 'search_id', 'kind': 'event'} (sorted by source, then table) -#}
{% macro raw_tables() -%}
    {%- set out = [] -%}
    {%- for name, table in raw_contract()['tables'].items() -%}
        {%- do out.append({'name': name, 'source': table['source'], 'key': table['key'], 'kind': table['kind']}) -%}
    {%- endfor -%}
    {{ return(out) }}
{%- endmacro %}
