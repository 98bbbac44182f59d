{%- set raw_types = raw_column_types('sellers') -%}
{#- Built only after the raw table's volume check passed (audit_raw_volumes: a truncated
    replica stops the run here, before staging, tests or not). #}
{{ config(pre_hook="{{ refuse_shrunken_raw_table('sellers') }}") }}
-- depends_on: {{ ref('audit_raw_volumes') }}

with

source as (

    {{ raw_rows_to_classify(source('catalog_db', 'sellers'), 'seller_id', raw_types) }}

),

renamed as (

    select
        -- ids
        {{ typed('seller_id', 'bigint', raw_types) }} as seller_id,

        -- strings
        {{ free_text('sellers', 'business_name', raw_types) }} as business_name,
        {{ clean_enum('status') }} as status,

        -- personal data (hashed)
        {{ pii_hash('email') }} as email_hash,

        -- timestamps
        {{ utc_instant('requested_at', raw_types) }} as requested_at,
        {{ utc_instant('joined_at', raw_types) }} as joined_at,
        {{ utc_instant('updated_at', raw_types) }} as updated_at,

        -- replication
        {{ replication_columns('entity', raw_types, key='seller_id') }}
    from source

),

{{ classify_raw_rows(
    kind='entity',
    key='seller_id',
    required=['requested_at'],
    enums={'status': raw_enum('sellers', 'status')},
    instants=['requested_at', 'joined_at'],
    rules={
        'missing_joined_at': "status = 'joined' and joined_at is null",
    },
) }}
