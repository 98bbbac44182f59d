{%- set raw_types = raw_column_types('returns') -%}
{#- Built only after the raw table's volume check passed (audit_raw_volumes: a truncated
    replica stops the run here, before staging, tests or not). #}
{{ config(pre_hook="{{ refuse_shrunken_raw_table('returns') }}") }}
-- depends_on: {{ ref('audit_raw_volumes') }}

with

source as (

    {{ raw_rows_to_classify(source('logistics_db', 'returns'), 'return_id', raw_types) }}

),

renamed as (

    select
        -- ids
        {{ typed('return_id', 'bigint', raw_types) }} as return_id,
        {{ typed('order_item_id', 'bigint', raw_types) }} as order_item_id,

        -- strings
        {{ clean_enum('reason') }} as reason,
        {{ clean_enum('status') }} as status,

        -- numerics
        {{ typed('quantity', 'int', raw_types) }} as quantity,

        -- timestamps
        {{ utc_instant('requested_at', raw_types) }} as requested_at,
        {{ utc_instant('completed_at', raw_types) }} as completed_at,
        {{ utc_instant('updated_at', raw_types) }} as updated_at,

        -- replication
        {{ replication_columns('entity', raw_types, key='return_id') }}
    from source

),

{{ classify_raw_rows(
    kind='entity',
    key='return_id',
    required=['order_item_id', 'quantity', 'requested_at'],
    enums={'reason': raw_enum('returns', 'reason'), 'status': raw_enum('returns', 'status')},
    instants=['requested_at', 'completed_at'],
    rules={
        'invalid_quantity': "quantity <= 0",
        'missing_completed_at': "status = 'completed' and completed_at is null",
    },
) }}
