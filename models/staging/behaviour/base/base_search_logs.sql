{%- set raw_types = raw_column_types('search_logs') -%}
{#- Built only after the raw table's volume check passed (audit_raw_volumes: a truncated
    replica stops the run here, before staging, tests or not). #}
{{ config(pre_hook="{{ refuse_shrunken_raw_table('search_logs') }}") }}
-- depends_on: {{ ref('audit_raw_volumes') }}

with

source as (

    {{ raw_rows_to_classify(source('behaviour_logs', 'search_logs'), 'search_id', raw_types) }}

),

renamed as (

    select
        -- ids
        {{ typed('search_id', 'bigint', raw_types) }} as search_id,
        {{ typed('customer_id', 'bigint', raw_types) }} as customer_id,
        {{ typed('clicked_product_id', 'bigint', raw_types) }} as clicked_product_id,

        -- strings
        {{ bounded_text('search_logs', 'session_id', raw_types) }} as session_id,
        {{ free_text('search_logs', 'query', raw_types) }} as query,

        -- numerics
        {{ typed('result_count', 'int', raw_types) }} as result_count,

        -- timestamps
        {{ utc_instant('searched_at', raw_types) }} as searched_at,

        -- replication
        {{ replication_columns('event', raw_types, key='search_id') }}
    from source

),

{{ classify_raw_rows(
    kind='event',
    key='search_id',
    required=['session_id', 'result_count', 'searched_at'],
    non_negative=['result_count'],
    instants=['searched_at'],
) }}
