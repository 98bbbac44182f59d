{%- set raw_types = raw_column_types('shipments') -%}
{#- Built only after the raw table's volume check passed (audit_raw_volumes: a truncated
    replica stops the run here, before staging, tests or not). #}
{{ config(pre_hook="{{ refuse_shrunken_raw_table('shipments') }}") }}
-- depends_on: {{ ref('audit_raw_volumes') }}

with

source as (

    {{ raw_rows_to_classify(source('logistics_db', 'shipments'), 'shipment_id', raw_types) }}

),

renamed as (

    select
        -- ids
        {{ typed('shipment_id', 'bigint', raw_types) }} as shipment_id,
        {{ typed('order_id', 'bigint', raw_types) }} as order_id,

        -- strings
        {{ bounded_text('shipments', 'carrier', raw_types) }} as carrier,
        {{ clean_enum('status') }} as status,

        -- timestamps
        {{ utc_instant('created_at', raw_types) }} as created_at,
        {{ utc_instant('updated_at', raw_types) }} as updated_at,

        -- replication
        {{ replication_columns('entity', raw_types, key='shipment_id') }}
    from source

),

{{ classify_raw_rows(
    kind='entity',
    key='shipment_id',
    required=['order_id', 'created_at'],
    enums={'status': raw_enum('shipments', 'status')},
    instants=['created_at'],
) }}
