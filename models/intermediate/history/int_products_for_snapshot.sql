{#- What snap_products reads: the current staged products plus the replication instant this build of
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

products as (

    select * from {{ ref('stg_products') }}

),

replicated as (

    select * from {{ ref('base_products') }}

),

observed as (

    select max(_synced_at) as observed_through_at
    from replicated
    where _row_status != 'quarantined'

),

final as (

    select
        products.product_id,
        products.seller_id,
        products.category_id,
        products.product_name,
        products.list_price,
        products.registered_at,
        products.status,
        products.updated_at,
        products._synced_at,
        observed.observed_through_at
    from products
    cross join observed

)

select * from final
