{#- What snap_sellers reads: the current staged sellers plus the replication instant this build of
    staging saw (the newest non-quarantined raw row: a function of the data, not of the clock,
    so a replay gives the same history). A table rebuilt only by a run whose audit passed
    (refuse_unless_audited, macros/staging/audit_gate.sql): a snapshot, however it is run,
    reads the last audited state. -#}
{{ config(
    materialized='table',
    tags=['snapshot_source'],
    pre_hook="{{ refuse_unless_audited() }}",
) }}
-- depends_on: {{ ref('audit_row_reconciliation') }}

with

sellers as (

    select * from {{ ref('stg_sellers') }}

),

replicated as (

    select * from {{ ref('base_sellers') }}

),

observed as (

    select max(_synced_at) as observed_through_at
    from replicated
    where _row_status != 'quarantined'

),

final as (

    select
        sellers.seller_id,
        sellers.business_name,
        sellers.email_hash,
        sellers.requested_at,
        sellers.joined_at,
        sellers.status,
        sellers.updated_at,
        sellers._synced_at,
        observed.observed_through_at
    from sellers
    cross join observed

)

select * from final
