{%- set raw_types = raw_column_types('auth_events') -%}
{#- Built only after the raw table's volume check passed (audit_raw_volumes: a truncated
    replica stops the run here, before staging, tests or not). #}
{{ config(pre_hook="{{ refuse_shrunken_raw_table('auth_events') }}") }}
-- depends_on: {{ ref('audit_raw_volumes') }}

with

source as (

    {{ raw_rows_to_classify(source('customer_db', 'auth_events'), 'event_id', raw_types) }}

),

renamed as (

    select
        -- ids
        {{ typed('event_id', 'bigint', raw_types) }} as event_id,
        {{ typed('customer_id', 'bigint', raw_types) }} as customer_id,

        -- strings
        {{ clean_enum('event_type') }} as event_type,

        -- personal data (hashed)
        {{ pii_hash('ip_address') }} as ip_hash,

        -- timestamps
        {{ utc_instant('occurred_at', raw_types) }} as occurred_at,

        -- replication
        {{ replication_columns('event', raw_types, key='event_id') }}
    from source

),

{{ classify_raw_rows(
    kind='event',
    key='event_id',
    required=['ip_hash', 'occurred_at'],
    enums={'event_type': raw_enum('auth_events', 'event_type')},
    instants=['occurred_at'],
) }}
