{%- set raw_types = raw_column_types('nps_responses') -%}
{#- Built only after the raw table's volume check passed (audit_raw_volumes: a truncated
    replica stops the run here, before staging, tests or not). #}
{{ config(pre_hook="{{ refuse_shrunken_raw_table('nps_responses') }}") }}
-- depends_on: {{ ref('audit_raw_volumes') }}

with

source as (

    {{ raw_rows_to_classify(source('customer_db', 'nps_responses'), 'response_id', raw_types) }}

),

renamed as (

    select
        -- ids
        {{ typed('response_id', 'bigint', raw_types) }} as response_id,
        {{ typed('customer_id', 'bigint', raw_types) }} as customer_id,

        -- strings
        {{ free_text('nps_responses', 'comment', raw_types) }} as comment_text,

        -- numerics
        {{ typed('score', 'int', raw_types) }} as score,

        -- timestamps
        {{ utc_instant('responded_at', raw_types) }} as responded_at,

        -- replication
        {{ replication_columns('event', raw_types, key='response_id') }}
    from source

),

{{ classify_raw_rows(
    kind='event',
    key='response_id',
    required=['customer_id', 'score', 'responded_at'],
    instants=['responded_at'],
    rules={
        'invalid_score': "score not between 0 and 10",
    },
) }}
