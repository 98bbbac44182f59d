{#- Every enumerated value of the raw contract has a label, and every label names a contract
    value: the seed and macros/contract/raw_contract.sql cannot drift apart. -#}
{%- set enum_columns = [
    ('customers', 'status'), ('auth_events', 'event_type'), ('sellers', 'status'),
    ('products', 'status'), ('orders', 'status'), ('payments', 'method'), ('payments', 'status'),
    ('payments', 'pg_provider'), ('api_request_logs', 'upstream_provider'),
    ('refunds', 'reason'), ('refunds', 'status'), ('shipment_events', 'status'),
    ('shipments', 'status'), ('returns', 'reason'), ('returns', 'status'),
    ('web_events', 'event_type'), ('web_events', 'channel'), ('web_events', 'device'),
    ('api_request_logs', 'service'), ('host_metrics', 'service'),
] -%}

{%- set rows = [] -%}
{%- for table_name, column_name in enum_columns -%}
    {%- for value in raw_enum(table_name, column_name) -%}
        {%- do rows.append([table_name, column_name, value]) -%}
    {%- endfor -%}
{%- endfor %}

with

contract as (
    {{ literal_rows(['table_name', 'column_name', 'enum_value'], rows) }}

),

labels as (

    select
        table_name,
        column_name,
        enum_value
    from {{ ref('enum_labels') }}

),

missing_label as (

    select
        'missing label' as problem,
        contract.table_name,
        contract.column_name,
        contract.enum_value
    from contract
    where not exists (
            select 1 from labels
            where labels.table_name = contract.table_name
                and labels.column_name = contract.column_name
                and labels.enum_value = contract.enum_value
        )

),

unknown_value as (

    select
        'label for a value outside the contract' as problem,
        labels.table_name,
        labels.column_name,
        labels.enum_value
    from labels
    where not exists (
            select 1 from contract
            where contract.table_name = labels.table_name
                and contract.column_name = labels.column_name
                and contract.enum_value = labels.enum_value
        )

)

select * from missing_label
union all
select * from unknown_value
