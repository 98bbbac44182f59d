"""What happens after payment: cancellations, shipments, returns, confirmation.

A few paid orders are cancelled before anything ships. The rest ship: inbound at the
warehouse, outbound, in delivery, delivered 1-5 days after payment (long tail); a
few come back to the sender instead. Buyers confirm the purchase days after delivery
(or the platform does after 7 days); items may be returned first, with a refund.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from marketmetrics.contract import ENUMS
from marketmetrics.generator.config import GeneratorConfig
from marketmetrics.generator.frame import Cat, lognormal, to_table, versions, weighted_codes
from marketmetrics.generator.orders import Orders
from marketmetrics.generator.payments import Attempts, RefundRequests
from marketmetrics.generator.timeline import DAY, HOUR, Timeline

CARRIERS = ("cj_logistics", "hanjin", "lotte", "logen", "epost")
CARRIER_WEIGHTS = (0.45, 0.2, 0.2, 0.1, 0.05)
RETURN_REASON_WEIGHTS = (0.45, 0.2, 0.12, 0.13, 0.1)
SHIPMENT_STATUS = ENUMS[("shipment_events", "status")]
REFUND_REASON = ENUMS[("refunds", "reason")]


@dataclass(frozen=True)
class Fulfilment:
    cancelled_at: np.ndarray  # per order, all causes (NaN = not cancelled)
    confirmed_at: np.ndarray
    refunds: RefundRequests
    tables: dict[str, pa.Table]


def fulfil(
    rng: np.random.Generator,
    cfg: GeneratorConfig,
    tl: Timeline,
    orders: Orders,
    attempts: Attempts,
) -> Fulfilment:
    n = len(orders.ordered_at)
    paid = attempts.paid_at
    is_paid = ~np.isnan(paid)
    cancel_paid = is_paid & (rng.random(n) < cfg.paid_cancel_rate)
    paid_cancelled_at = np.where(
        cancel_paid, paid + lognormal(rng, 1.5 * HOUR, 1.0, n) + 60, np.nan
    )

    ship = np.flatnonzero(is_paid & ~cancel_paid)
    s = len(ship)
    p = paid[ship]
    inbound = p + 1800 + lognormal(rng, 8 * HOUR, 0.6, s)
    delivered = np.maximum(p + 0.5 * DAY + lognormal(rng, 1.3 * DAY, 0.55, s), inbound + 4 * HOUR)
    span = delivered - inbound
    outbound = inbound + span * rng.uniform(0.1, 0.3, s)
    in_delivery = inbound + span * rng.uniform(0.5, 0.8, s)
    to_sender = rng.random(s) < 0.008
    returned = np.where(to_sender, in_delivery + rng.uniform(1, 3, s) * DAY, np.nan)
    delivered = np.where(to_sender, np.nan, delivered)

    shipments, shipment_events = _shipment_tables(
        rng, tl, ship, [inbound, outbound, in_delivery, delivered, returned]
    )
    rts_cancelled_at = np.full(n, np.nan)
    rts_cancelled_at[ship] = returned + HOUR

    delivered_at = np.full(n, np.nan)
    delivered_at[ship] = delivered
    returns, resolved_by_order, return_refunds = _returns(
        rng, cfg, tl, orders, delivered_at, attempts.approved_payment
    )

    auto = rng.random(n) < 0.55
    confirm_delay = np.where(auto, 7 * DAY + rng.uniform(0, HOUR, n), rng.uniform(0.5, 7, n) * DAY)
    confirmed = np.fmax(
        delivered_at + confirm_delay, resolved_by_order + rng.uniform(0.5, 2, n) * DAY
    )
    confirmed = np.where(np.isnan(delivered_at), np.nan, confirmed)

    cancelled = np.fmin(np.fmin(attempts.unpaid_cancelled_at, paid_cancelled_at), rts_cancelled_at)

    # Refunds: the whole payment for a cancelled paid order, the returned goods'
    # amount for a completed return, and a small goodwill refund on a few orders.
    refunded = np.flatnonzero(is_paid & ~np.isnan(np.fmin(paid_cancelled_at, rts_cancelled_at)))
    goodwill = np.flatnonzero(~np.isnan(delivered_at) & (rng.random(n) < 0.004))
    goodwill_payment = attempts.approved_payment[goodwill]
    refunds = RefundRequests(
        payment=np.concatenate(
            [attempts.approved_payment[refunded], return_refunds.payment, goodwill_payment]
        ),
        amount=np.concatenate(
            [
                attempts.amount[attempts.approved_payment[refunded]],
                return_refunds.amount,
                np.maximum(
                    100,
                    np.round(
                        attempts.amount[goodwill_payment] * rng.uniform(0.1, 0.3, len(goodwill)), -2
                    ),
                ).astype(np.int64),
            ]
        ),
        reason=np.concatenate(
            [
                np.full(len(refunded), REFUND_REASON.index("order_cancelled")),
                return_refunds.reason,
                np.full(len(goodwill), REFUND_REASON.index("other")),
            ]
        ),
        requested_at=np.concatenate(
            [
                np.fmin(paid_cancelled_at, rts_cancelled_at)[refunded],
                return_refunds.requested_at,
                delivered_at[goodwill] + rng.uniform(1, 5, len(goodwill)) * DAY,
            ]
        ),
    )
    keep = refunds.requested_at < tl.end
    refunds = RefundRequests(
        *(getattr(refunds, f)[keep] for f in ("payment", "amount", "reason", "requested_at"))
    )
    return Fulfilment(
        cancelled_at=cancelled,
        confirmed_at=confirmed,
        refunds=refunds,
        tables={"shipments": shipments, "shipment_events": shipment_events, "returns": returns},
    )


def _shipment_tables(
    rng: np.random.Generator, tl: Timeline, ship: np.ndarray, stages: list[np.ndarray]
) -> tuple[pa.Table, pa.Table]:
    # Shipment ids follow creation (the inbound scan).
    order = np.argsort(stages[0], kind="stable")
    ship = ship[order]
    stages = [s[order] for s in stages]
    s = len(ship)
    carrier = weighted_codes(rng, s, CARRIER_WEIGHTS)
    v = versions(
        [(t, SHIPMENT_STATUS.index(st)) for t, st in zip(stages, SHIPMENT_STATUS, strict=True)],
        tl.end,
    )
    shipments = to_table(
        "shipments",
        {
            "shipment_id": v.idx + 1,
            "order_id": ship[v.idx] + 1,
            "carrier": Cat(carrier[v.idx], CARRIERS),
            "status": Cat(v.status, SHIPMENT_STATUS),
            "created_at": stages[0][v.idx],
            "updated_at": v.at,
        },
    )
    # Every version is one event; events are numbered in time order.
    by_time = np.argsort(v.at, kind="stable")
    events = to_table(
        "shipment_events",
        {
            "event_id": np.arange(1, len(by_time) + 1),
            "shipment_id": v.idx[by_time] + 1,
            "status": Cat(v.status[by_time], SHIPMENT_STATUS),
            "occurred_at": v.at[by_time],
        },
    )
    return shipments, events


def _returns(
    rng: np.random.Generator,
    cfg: GeneratorConfig,
    tl: Timeline,
    orders: Orders,
    delivered_at: np.ndarray,
    approved_payment: np.ndarray,
) -> tuple[pa.Table, np.ndarray, RefundRequests]:
    """Returns of delivered items; per order, when its last return was resolved."""
    item_delivered = delivered_at[orders.item_order]
    r = np.flatnonzero(
        ~np.isnan(item_delivered) & (rng.random(len(item_delivered)) < cfg.return_rate)
    )
    requested = item_delivered[r] + np.minimum(lognormal(rng, 2 * DAY, 0.8, len(r)), 7 * DAY)
    order = np.argsort(requested, kind="stable")
    r, requested = r[order], requested[order]
    m = len(r)
    collected = requested + rng.uniform(0.5, 3, m) * DAY
    resolved = collected + rng.uniform(0.5, 3, m) * DAY
    rejected = rng.random(m) < 0.12
    completed = np.where(rejected, np.nan, resolved)
    rejected_at = np.where(rejected, resolved, np.nan)
    quantity = 1 + (rng.random(m) * orders.item_quantity[r]).astype(np.int64)
    reason = weighted_codes(rng, m, RETURN_REASON_WEIGHTS)
    statuses = ENUMS[("returns", "status")]
    v = versions(
        [
            (requested, statuses.index("requested")),
            (collected, statuses.index("collected")),
            (completed, statuses.index("completed")),
            (rejected_at, statuses.index("rejected")),
        ],
        tl.end,
    )
    table = to_table(
        "returns",
        {
            "return_id": v.idx + 1,
            "order_item_id": r[v.idx] + 1,
            "quantity": quantity[v.idx],
            "reason": Cat(reason[v.idx], ENUMS[("returns", "reason")]),
            "status": Cat(v.status, statuses),
            "requested_at": requested[v.idx],
            "completed_at": v.shown(completed),
            "updated_at": v.at,
        },
    )
    resolved_by_order = np.full(len(delivered_at), np.nan)
    np.fmax.at(resolved_by_order, orders.item_order[r], resolved)
    done = ~rejected
    item = r[done]
    amount = quantity[done] * orders.item_price[item] - np.round(
        orders.item_discount[item] * quantity[done] / orders.item_quantity[item]
    ).astype(np.int64)
    refunds = RefundRequests(
        payment=approved_payment[orders.item_order[item]],
        amount=amount,
        reason=np.full(int(done.sum()), REFUND_REASON.index("return")),
        requested_at=completed[done] + 600,
    )
    return table, resolved_by_order, refunds
