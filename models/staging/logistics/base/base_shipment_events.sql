{%- set raw_types = raw_column_types('shipment_events') -%}
{#- Built only after the raw table's volume check passed (audit_raw_volumes: a truncated
    replica stops the run here, before staging, tests or not). #}
{{ config(pre_hook="{{ refuse_shrunken_raw_table('shipment_events') }}") }}
-- depends_on: {{ ref('audit_raw_volumes') }}

with

source as (

    {{ raw_rows_to_classify(source('logistics_db', 'shipment_events'), 'event_id', raw_types) }}

),

renamed as (

    select
        -- ids
        {{ typed('event_id', 'bigint', raw_types) }} as event_id,
        {{ typed('shipment_id', 'bigint', raw_types) }} as shipment_id,

        -- strings
        {{ clean_enum('status') }} as status,

        -- timestamps
        {{ utc_instant('occurred_at', raw_types) }} as occurred_at,

        -- replication
        {{ replication_columns('event', raw_types, key='event_id') }}
    from source

),

{{ classify_raw_rows(
    kind='event',
    key='event_id',
    required=['shipment_id', 'occurred_at'],
    enums={'status': raw_enum('shipment_events', 'status')},
    instants=['occurred_at'],
) }}
