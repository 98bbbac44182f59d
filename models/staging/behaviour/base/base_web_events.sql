{%- set raw_types = raw_column_types('web_events') -%}
{#- Built only after the raw table's volume check passed (audit_raw_volumes: a truncated
    replica stops the run here, before staging, tests or not). #}
{{ config(pre_hook="{{ refuse_shrunken_raw_table('web_events') }}") }}
-- depends_on: {{ ref('audit_raw_volumes') }}

with

source as (

    {{ raw_rows_to_classify(source('behaviour_logs', 'web_events'), 'event_id', raw_types) }}

),

renamed as (

    select
        -- ids
        {{ typed('event_id', 'bigint', raw_types) }} as event_id,
        {{ typed('customer_id', 'bigint', raw_types) }} as customer_id,
        {{ typed('product_id', 'bigint', raw_types) }} as product_id,

        -- strings
        {{ bounded_text('web_events', 'session_id', raw_types) }} as session_id,
        {{ clean_enum('event_type') }} as event_type,
        {{ clean_enum('channel') }} as channel,
        {{ clean_enum('device') }} as device,

        -- timestamps
        {{ utc_instant('occurred_at', raw_types) }} as occurred_at,

        -- replication
        {{ replication_columns('event', raw_types, key='event_id') }}
    from source

),

{{ classify_raw_rows(
    kind='event',
    key='event_id',
    required=['session_id', 'occurred_at'],
    enums={'event_type': raw_enum('web_events', 'event_type'), 'channel': raw_enum('web_events', 'channel'), 'device': raw_enum('web_events', 'device')},
    instants=['occurred_at'],
) }}
