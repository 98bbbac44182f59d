{#- Rows each raw table received per local day (by `_synced_at`), kept between runs so that a
    sync recounts only the days its rows fall on: every row staging did not quarantine. Read by
    dq_source_volumes_daily, which adds the usual volume (a small table: tables x days).

    Incremental: a base model stamps every row it (re)classifies with `_classified_at`, so the
    days to recount are those of the rows classified since this model last wrote
    (`_classified_at > max(_built_at)`: one watermark, as every base model runs before this one
    in each invocation). Each such day is counted again from all its rows, read from one day
    before the earliest touched instant on (a local day lies within a day of each of its
    instants; the days after it within that reach are counted too and dropped), and replaces
    its previous count (delete+insert on table and day). A touched day
    left with no row is written with 0 rows, so a count never outlives its rows. A run that
    classified nothing reads each base table's stamp and writes nothing. -#}
{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key=['source_table', 'synced_date'],
    on_schema_change='fail',
) }}
{%- set tables = raw_tables() -%}
{#- The contract's tables are read from dbt's graph when this runs; their models are written
    out here because dbt orders its DAG from refs it sees while parsing. -#}
-- depends_on: {{ ref('base_api_request_logs') }}
-- depends_on: {{ ref('base_auth_events') }}
-- depends_on: {{ ref('base_categories') }}
-- depends_on: {{ ref('base_customers') }}
-- depends_on: {{ ref('base_host_metrics') }}
-- depends_on: {{ ref('base_nps_responses') }}
-- depends_on: {{ ref('base_order_items') }}
-- depends_on: {{ ref('base_orders') }}
-- depends_on: {{ ref('base_payments') }}
-- depends_on: {{ ref('base_products') }}
-- depends_on: {{ ref('base_refunds') }}
-- depends_on: {{ ref('base_returns') }}
-- depends_on: {{ ref('base_search_logs') }}
-- depends_on: {{ ref('base_sellers') }}
-- depends_on: {{ ref('base_shipment_events') }}
-- depends_on: {{ ref('base_shipments') }}
-- depends_on: {{ ref('base_web_events') }}

with

{% if is_incremental() -%}
-- the local days of the rows classified since this model last wrote, per table; a row
-- without _synced_at falls on no day (it is quarantined, never counted here)
touched as (

    {% for table in tables -%}
        select
            '{{ table.name }}' as source_table,
            {{ local_date('_synced_at') }} as synced_date,
            min(_synced_at) as first_synced_at
        from {{ ref('base_' ~ table.name) }}
        where _classified_at > {{ last_built_at() }} and _synced_at is not null
        group by {{ local_date('_synced_at') }}
        {% if not loop.last %}union all
        {% endif -%}
    {%- endfor %}

),

-- a local day lies within a day of each of its instants: the rows to read start a day before
-- the earliest touched instant (the days after it are counted too, and dropped in `days`)
since as (

    select
        source_table,
        {{ dbt.dateadd('day', -1, 'min(first_synced_at)') }} as synced_from
    from touched
    group by source_table

),

{% endif -%}
counted as (

    {% for table in tables -%}
        select
            '{{ table.name }}' as source_table,
            {{ local_date('base._synced_at') }} as synced_date,
            count(*) as synced_rows
        from {{ ref('base_' ~ table.name) }} as base
        {%- if is_incremental() %}
        {#- A join, not a scalar subquery in the where clause: the engine compares instants
            first and converts to local dates only the rows from the earliest touched day on. #}
        inner join since
            on since.source_table = '{{ table.name }}' and base._synced_at >= since.synced_from
        {%- endif %}
        where base._row_status != 'quarantined'
        group by {{ local_date('base._synced_at') }}
        {% if not loop.last %}union all
        {% endif -%}
    {%- endfor %}

),

days as (

    {% if is_incremental() -%}
        select
            touched.source_table,
            touched.synced_date,
            coalesce(counted.synced_rows, 0) as synced_rows
        from touched
        left join counted
            on
                touched.source_table = counted.source_table
                and touched.synced_date = counted.synced_date
    {%- else -%}
        select
            source_table,
            synced_date,
            synced_rows
        from counted
    {%- endif %}

),

final as (

    select
        cast(source_table as {{ dbt.type_string() }}) as source_table,
        synced_date,
        cast(synced_rows as {{ dbt.type_bigint() }}) as synced_rows,
        {{ build_clock() }} as _built_at
    from days

)

select * from final
