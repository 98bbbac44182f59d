{#- What snap_customers reads: the current staged customers plus the replication instant this build of
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

customers as (

    select * from {{ ref('stg_customers') }}

),

replicated as (

    select * from {{ ref('base_customers') }}

),

observed as (

    select max(_synced_at) as observed_through_at
    from replicated
    where _row_status != 'quarantined'

),

final as (

    select
        customers.customer_id,
        customers.email_hash,
        customers.signed_up_at,
        customers.status,
        customers.updated_at,
        customers._synced_at,
        observed.observed_through_at
    from customers
    cross join observed

)

select * from final
