{#- The size of every raw table at every build, kept across full refreshes: the volume check of
    write-audit-publish (docs/decisions.md). Each build appends one row per raw table with its
    row count and the count of the last accepted check before it (the baseline). A count that
    fell more than `raw_shrink_tolerance` below the baseline is not accepted: an emptied or
    truncated replica. Its test then fails, and dbt skips the base tables and everything after
    them (their pre-hook refuses too, in a run without tests), so readers keep the last good
    tables and the snapshots never close keys on a shrunken source. A rejected check does not become
    the baseline, so the build stays blocked until the source is whole again or someone accepts
    the shrink once (`--vars '{raw_shrink_tolerance: 1}'`). -#}
{{ config(
    materialized='incremental',
    incremental_strategy='append',
    full_refresh=false,
    on_schema_change='fail',
) }}
{%- set tables = raw_tables() -%}
{#- The contract's tables are read from dbt's graph when this runs; their sources are written
    out here because dbt orders its DAG from what it sees while parsing. -#}
-- depends_on: {{ source('system_logs', 'api_request_logs') }}
-- depends_on: {{ source('customer_db', 'auth_events') }}
-- depends_on: {{ source('catalog_db', 'categories') }}
-- depends_on: {{ source('customer_db', 'customers') }}
-- depends_on: {{ source('system_logs', 'host_metrics') }}
-- depends_on: {{ source('customer_db', 'nps_responses') }}
-- depends_on: {{ source('order_db', 'order_items') }}
-- depends_on: {{ source('order_db', 'orders') }}
-- depends_on: {{ source('payment_db', 'payments') }}
-- depends_on: {{ source('catalog_db', 'products') }}
-- depends_on: {{ source('payment_db', 'refunds') }}
-- depends_on: {{ source('logistics_db', 'returns') }}
-- depends_on: {{ source('behaviour_logs', 'search_logs') }}
-- depends_on: {{ source('catalog_db', 'sellers') }}
-- depends_on: {{ source('logistics_db', 'shipment_events') }}
-- depends_on: {{ source('logistics_db', 'shipments') }}
-- depends_on: {{ source('behaviour_logs', 'web_events') }}
{% set tolerance = var('raw_shrink_tolerance') | float -%}
{#- The first model to read the raw tables: a missing table or contract column stops the run
    here with one error naming it (raw_column_types), not with the engine's own. -#}
{%- for table in tables -%}
    {%- do raw_column_types(table.name) -%}
{%- endfor %}

with

counted as (

    {% for table in tables -%}
        select
            '{{ table.name }}' as source_table,
            count(*) as raw_rows
        from {{ source(table.source, table.name) }}
        {% if not loop.last %}union all
        {% endif -%}
    {%- endfor %}

),

baseline as (

    {% if is_incremental() -%}
        select
            source_table,
            raw_rows as baseline_raw_rows
        from (
            select
                source_table,
                raw_rows,
                row_number() over (partition by source_table order by checked_at desc) as recency
            from {{ this }}
            where volume_accepted
        ) as accepted_checks
        where recency = 1
    {%- else -%}
        select
            cast(null as {{ dbt.type_string() }}) as source_table,
            cast(null as {{ dbt.type_bigint() }}) as baseline_raw_rows
        where 1 = 0
    {%- endif %}

),

final as (

    select
        {{ build_clock() }} as checked_at,
        counted.source_table,
        cast(counted.raw_rows as {{ dbt.type_bigint() }}) as raw_rows,
        baseline.baseline_raw_rows,
        cast({{ tolerance }} as {{ type_double() }}) as shrink_tolerance,
        coalesce(
            counted.raw_rows >= baseline.baseline_raw_rows * (1 - {{ tolerance }}),
            true
        ) as volume_accepted
    from counted
    left join baseline
        on counted.source_table = baseline.source_table

)

select * from final
