"""Payment attempts and refunds.

Each order gets attempts until one is approved (at most four): an attempt fails on
the gateway's side (a few percent; the incident gateway fails far more on the
incident day), fails on the customer's side (declined card, no balance), or is
abandoned. The order's method decides the gateway (pg_provider); points need none.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from marketmetrics.contract import ENUMS
from marketmetrics.generator.config import GeneratorConfig
from marketmetrics.generator.frame import (
    Cat,
    lognormal,
    to_table,
    versions,
    weighted_codes,
)
from marketmetrics.generator.orders import Orders
from marketmetrics.generator.timeline import HOUR, Timeline

METHODS = ENUMS[("payments", "method")]
METHOD_WEIGHTS = (0.45, 0.06, 0.04, 0.05, 0.14, 0.13, 0.10, 0.03)
PROVIDERS = ("kcp", "inicis", "toss_payments", "nicepay", "danal")
# Which gateway carries each method (rows follow METHODS, columns PROVIDERS).
ROUTING = np.array(
    [
        [0.35, 0.30, 0.15, 0.20, 0.0],  # card
        [0.0, 0.4, 0.6, 0.0, 0.0],  # bank_transfer
        [0.5, 0.0, 0.0, 0.5, 0.0],  # virtual_account
        [0.0, 0.3, 0.0, 0.0, 0.7],  # mobile
        [0.6, 0.0, 0.0, 0.4, 0.0],  # kakaopay
        [0.0, 0.5, 0.0, 0.5, 0.0],  # naverpay
        [0.0, 0.0, 1.0, 0.0, 0.0],  # tosspay
        [0.0, 0.0, 0.0, 0.0, 0.0],  # points: no gateway
    ]
)
GATEWAY_FAILURE = np.array([0.012, 0.015, 0.008, 0.018, 0.02])
CUSTOMER_FAILURE = np.array([0.05, 0.04, 0.0, 0.06, 0.03, 0.03, 0.025, 0.04])
# The customer closes the payment window (status cancelled): common on mobile.
ABANDON = np.array([0.12, 0.12, 0.2, 0.12, 0.09, 0.09, 0.08, 0.03])
# Median seconds from request to completion; a virtual account waits for the deposit.
PROCESSING_MEDIAN = np.array([2.5, 4.0, 2 * HOUR, 6.0, 1.8, 1.8, 1.5, 0.4])
PROCESSING_SIGMA = np.array([0.7, 0.6, 1.0, 0.6, 0.7, 0.7, 0.7, 0.5])
GATEWAY_CODES = ("PG_TIMEOUT", "PG_SYSTEM_ERROR", "PG_NETWORK_ERROR")
CUSTOMER_CODES = ("CARD_DECLINED", "INSUFFICIENT_BALANCE", "LIMIT_EXCEEDED", "INVALID_CARD_INFO",
                  "AUTH_FAILED", "INSUFFICIENT_POINTS")  # fmt: skip
FAILURE_CODES = GATEWAY_CODES + CUSTOMER_CODES
TIMEOUT_SECONDS = 30.0

APPROVED, FAILED, CANCELLED = (
    ENUMS[("payments", "status")].index(s) for s in ("approved", "failed", "cancelled")
)


@dataclass(frozen=True)
class Attempts:
    """Payment attempts in payment_id order (payment_id = index + 1)."""

    order: np.ndarray
    method: np.ndarray
    provider: np.ndarray  # index into PROVIDERS, -1 = none (points)
    requested_at: np.ndarray
    outcome: np.ndarray  # APPROVED / FAILED / CANCELLED
    failure_code: np.ndarray  # index into FAILURE_CODES, -1 = none
    gateway_failure: np.ndarray  # bool
    finished_at: np.ndarray  # completed_at, or when abandoned
    amount: np.ndarray
    paid_at: np.ndarray  # per order, NaN = never paid
    approved_payment: np.ndarray  # per order, payment index or -1
    unpaid_cancelled_at: np.ndarray  # per order: cancelled after failed payment


def _route(rng: np.random.Generator, method: np.ndarray) -> np.ndarray:
    cum = np.cumsum(ROUTING[method], axis=1)
    provider = (rng.random(len(method))[:, None] >= cum).sum(axis=1)
    return np.where(method == METHODS.index("points"), -1, np.minimum(provider, len(PROVIDERS) - 1))


def generate_attempts(
    rng: np.random.Generator, cfg: GeneratorConfig, tl: Timeline, orders: Orders
) -> Attempts:
    n = len(orders.ordered_at)
    incident_gw = PROVIDERS.index(cfg.incident_gateway) if cfg.incident_gateway in PROVIDERS else -2
    active = np.arange(n)
    method = weighted_codes(rng, n, METHOD_WEIGHTS)
    at = orders.ordered_at + 5 + lognormal(rng, 25, 0.6, n)
    parts: list[dict[str, np.ndarray]] = []
    paid_at = np.full(n, np.nan)
    last_end = np.full(n, np.nan)
    for _ in range(4):
        m = len(active)
        if m == 0:
            break
        provider = _route(rng, method)
        incident = (provider == incident_gw) & tl.in_incident(at)
        p_gateway = np.where(provider >= 0, GATEWAY_FAILURE[np.maximum(provider, 0)], 0.0)
        p_gateway = np.where(incident, cfg.incident_failure_rate, p_gateway)
        gateway_fail = rng.random(m) < p_gateway
        customer_fail = ~gateway_fail & (rng.random(m) < CUSTOMER_FAILURE[method])
        abandoned = ~gateway_fail & ~customer_fail & (rng.random(m) < ABANDON[method])
        outcome = np.select(
            [gateway_fail | customer_fail, abandoned], [FAILED, CANCELLED], APPROVED
        )

        seconds = PROCESSING_MEDIAN[method] * np.exp(
            PROCESSING_SIGMA[method] * rng.standard_normal(m)
        )
        seconds = np.where(
            gateway_fail, np.minimum(lognormal(rng, 8, 0.8, m), TIMEOUT_SECONDS), seconds
        )
        seconds = np.where(incident, seconds * cfg.incident_latency_factor, seconds)
        seconds = np.maximum(seconds, 0.05)
        va = method == METHODS.index("virtual_account")
        give_up = np.where(va, 24 * HOUR, rng.uniform(30, 900, m))
        finished = at + np.where(abandoned, give_up, seconds)

        code = np.full(m, -1)
        code = np.where(gateway_fail, rng.integers(0, len(GATEWAY_CODES), m), code)
        card = method == METHODS.index("card")
        points = method == METHODS.index("points")
        wallet_code = np.where(
            rng.random(m) < 0.6,
            FAILURE_CODES.index("AUTH_FAILED"),
            FAILURE_CODES.index("INSUFFICIENT_BALANCE"),
        )
        customer_code = np.select(
            [card, points],
            [
                len(GATEWAY_CODES) + rng.integers(0, 4, m),
                FAILURE_CODES.index("INSUFFICIENT_POINTS"),
            ],
            wallet_code,
        )
        code = np.where(customer_fail, customer_code, code)

        parts.append(
            {
                "order": active, "method": method, "provider": provider, "requested_at": at,
                "outcome": outcome, "failure_code": code, "gateway_failure": gateway_fail,
                "finished_at": finished,
            }
        )  # fmt: skip
        approved = outcome == APPROVED
        paid_at[active[approved]] = finished[approved]
        last_end[active] = finished
        # Most customers try again, some with another method.
        retry = ~approved & (rng.random(m) < np.where(abandoned, 0.8, 0.75))
        active, method, finished = active[retry], method[retry], finished[retry]
        switch = rng.random(len(active)) < 0.3
        method = np.where(switch, weighted_codes(rng, len(active), METHOD_WEIGHTS), method)
        at = finished + 20 + lognormal(rng, 40, 0.8, len(active))

    cols = {k: np.concatenate([p[k] for p in parts]) for k in parts[0]}
    order = np.argsort(cols["requested_at"], kind="stable")
    cols = {k: v[order] for k, v in cols.items()}
    approved_payment = np.full(n, -1)
    ok = np.flatnonzero(cols["outcome"] == APPROVED)
    approved_payment[cols["order"][ok]] = ok
    unpaid = np.isnan(paid_at) & (rng.random(n) < 0.8)
    unpaid_cancelled = np.where(unpaid, last_end + rng.uniform(300, 2 * HOUR, n), np.nan)
    return Attempts(
        amount=orders.amount[cols["order"]],
        paid_at=paid_at,
        approved_payment=approved_payment,
        unpaid_cancelled_at=unpaid_cancelled,
        **cols,
    )


def payments_table(tl: Timeline, a: Attempts) -> pa.Table:
    statuses = ENUMS[("payments", "status")]
    completed = np.where(a.outcome == CANCELLED, np.nan, a.finished_at)
    v = versions(
        [
            (a.requested_at, statuses.index("requested")),
            (a.finished_at, a.outcome),
        ],
        tl.end,
    )
    final = v.at > a.requested_at[v.idx]
    code = np.where(final, a.failure_code[v.idx], -1).astype(np.int32)
    return to_table(
        "payments",
        {
            "payment_id": v.idx + 1,
            "order_id": a.order[v.idx] + 1,
            "method": Cat(a.method[v.idx].astype(np.int32), METHODS),
            "pg_provider": Cat(a.provider[v.idx].astype(np.int32), PROVIDERS),
            "amount": a.amount[v.idx],
            "status": Cat(v.status, statuses),
            "failure_code": Cat(code, FAILURE_CODES),
            "requested_at": a.requested_at[v.idx],
            "completed_at": v.shown(completed),
            "updated_at": v.at,
        },
    )


@dataclass(frozen=True)
class RefundRequests:
    payment: np.ndarray
    amount: np.ndarray
    reason: np.ndarray  # index into the reason enum
    requested_at: np.ndarray


def refunds_table(rng: np.random.Generator, tl: Timeline, r: RefundRequests) -> pa.Table:
    order = np.argsort(r.requested_at, kind="stable")
    payment, amount, reason, requested = (
        r.payment[order],
        r.amount[order],
        r.reason[order],
        r.requested_at[order],
    )
    n = len(order)
    done = requested + lognormal(rng, 3 * HOUR, 1.0, n) + 60
    failed = rng.random(n) < 0.02
    completed = np.where(failed, np.nan, done)
    failed_at = np.where(failed, done, np.nan)
    statuses = ENUMS[("refunds", "status")]
    v = versions(
        [
            (requested, statuses.index("requested")),
            (completed, statuses.index("completed")),
            (failed_at, statuses.index("failed")),
        ],
        tl.end,
    )
    return to_table(
        "refunds",
        {
            "refund_id": v.idx + 1,
            "payment_id": payment[v.idx] + 1,
            "amount": amount[v.idx],
            "reason": Cat(reason[v.idx].astype(np.int32), ENUMS[("refunds", "reason")]),
            "status": Cat(v.status, statuses),
            "requested_at": requested[v.idx],
            "completed_at": v.shown(completed),
            "updated_at": v.at,
        },
    )
