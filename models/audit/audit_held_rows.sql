{#- Current rows that another table contradicts, held out of staging with the reason (a row is
    valid on its own, so classify_raw_rows keeps it current; it is the pair that is wrong):

    - orphan_order_id          an order item whose order was never replicated (held until it
                               arrives: a late parent is released by the next build);
    - refund_exceeds_payment   a refund larger than the current amount of its payment;
    - return_exceeds_quantity  a return of more units than its order item holds.

    Each held row counts in audit_row_reconciliation (held_rows, part of current_rows) and is
    missing from its stg_ table by design; the metrics never count it. Grain: one row per
    held (source_table, record_id). -#}

with

order_items as (

    select
        order_item_id,
        order_id,
        quantity,
        _synced_at
    from {{ ref('base_order_items') }}
    where _row_status = 'current'

),

known_orders as (

    select distinct order_id
    from {{ ref('base_orders') }}
    where order_id is not null

),

refunds as (

    select
        refund_id,
        payment_id,
        amount,
        _synced_at
    from {{ ref('base_refunds') }}
    where _row_status = 'current'

),

payments as (

    select
        payment_id,
        amount
    from {{ ref('base_payments') }}
    where _row_status = 'current'

),

returns as (

    select
        return_id,
        order_item_id,
        quantity,
        _synced_at
    from {{ ref('base_returns') }}
    where _row_status = 'current'

),

orphan_items as (

    select
        'order_items' as source_table,
        order_items.order_item_id as record_id,
        'orphan_order_id' as hold_reason,
        order_items._synced_at
    from order_items
    where
        not exists (
            select 1
            from known_orders
            where known_orders.order_id = order_items.order_id
        )

),

excessive_refunds as (

    select
        'refunds' as source_table,
        refunds.refund_id as record_id,
        'refund_exceeds_payment' as hold_reason,
        refunds._synced_at
    from refunds
    inner join payments
        on refunds.payment_id = payments.payment_id
    where refunds.amount > payments.amount

),

excessive_returns as (

    select
        'returns' as source_table,
        returns.return_id as record_id,
        'return_exceeds_quantity' as hold_reason,
        returns._synced_at
    from returns
    inner join order_items
        on returns.order_item_id = order_items.order_item_id
    where returns.quantity > order_items.quantity

),

final as (

    select * from orphan_items
    union all
    select * from excessive_refunds
    union all
    select * from excessive_returns

)

select * from final
