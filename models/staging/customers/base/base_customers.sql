{%- set raw_types = raw_column_types('customers') -%}
{#- Built only after the raw table's volume check passed (audit_raw_volumes: a truncated
    replica stops the run here, before staging, tests or not). #}
{{ config(pre_hook="{{ refuse_shrunken_raw_table('customers') }}") }}
-- depends_on: {{ ref('audit_raw_volumes') }}

with

source as (

    {{ raw_rows_to_classify(source('customer_db', 'customers'), 'customer_id', raw_types) }}

),

renamed as (

    select
        -- ids
        {{ typed('customer_id', 'bigint', raw_types) }} as customer_id,

        -- strings
        {{ clean_enum('status') }} as status,

        -- personal data (hashed)
        {{ pii_hash('email') }} as email_hash,

        -- timestamps
        {{ utc_instant('signed_up_at', raw_types) }} as signed_up_at,
        {{ utc_instant('updated_at', raw_types) }} as updated_at,

        -- replication
        {{ replication_columns('entity', raw_types, key='customer_id') }}
    from source

),

{{ classify_raw_rows(
    kind='entity',
    key='customer_id',
    required=['signed_up_at'],
    enums={'status': raw_enum('customers', 'status')},
    instants=['signed_up_at'],
) }}
