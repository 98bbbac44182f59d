{#- What snap_orders reads: the current staged orders plus the replication instant this build of
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

orders as (

    select * from {{ ref('stg_orders') }}

),

replicated as (

    select * from {{ ref('base_orders') }}

),

observed as (

    select max(_synced_at) as observed_through_at
    from replicated
    where _row_status != 'quarantined'

),

final as (

    select
        orders.order_id,
        orders.customer_id,
        orders.session_id,
        orders.ordered_at,
        orders.paid_at,
        orders.cancelled_at,
        orders.confirmed_at,
        orders.status,
        orders.updated_at,
        orders._synced_at,
        observed.observed_through_at
    from orders
    cross join observed

)

select * from final
