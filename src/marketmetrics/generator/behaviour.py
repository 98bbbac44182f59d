"""Web sessions, their events, and searches.

A session has one channel and one device. Logged-in sessions belong to a customer who
had signed up by then; about a quarter of sessions end in an order (see
GeneratorConfig on why so many). Converting sessions run the funnel to the end:
page_view ... add_to_cart, checkout_start; the others stop somewhere along it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from marketmetrics.contract import ENUMS
from marketmetrics.generator.catalog import Catalog
from marketmetrics.generator.config import GeneratorConfig
from marketmetrics.generator.frame import (
    INT_NULL,
    Cat,
    gumbel_top_k,
    int_text,
    join,
    lognormal,
    pick_before,
    to_table,
    weighted_codes,
)
from marketmetrics.generator.timeline import Timeline

CHANNEL_WEIGHTS = (0.30, 0.25, 0.15, 0.12, 0.08, 0.10)
CHANNEL_CONVERSION = (1.3, 1.0, 0.9, 0.6, 1.4, 0.8)
DEVICE_WEIGHTS = (0.40, 0.25, 0.35)
DEVICE_CONVERSION = (1.0, 1.25, 1.1)
# Event mix inside a session after its first page_view (page_view, product_view, ...).
BROWSE_MIX = (0.30, 0.36, 0.20, 0.10, 0.04)

# (query, popularity weight); the misspelt or nonsense ones find nothing.
QUERIES = (
    ("원피스", 9), ("운동화", 8), ("노트북", 7), ("선크림", 7), ("에어팟", 6), ("생수", 6),
    ("라면", 6), ("쿠션", 5), ("샴푸", 5), ("캠핑 의자", 4), ("요가 매트", 4), ("레고", 4),
    ("기저귀", 4), ("패딩", 4), ("가디건", 3), ("블루투스 이어폰", 3), ("텀블러", 3),
    ("소설", 2), ("한우", 3), ("비타민", 3), ("nike", 4), ("adidas", 3), ("iphone case", 3),
    ("galaxy s25", 3), ("air fryer", 2), ("protein", 2), ("gaming mouse", 2), ("lego", 2),
)  # fmt: skip
ZERO_RESULT_QUERIES = (("아이퐁", 1.5), ("노투북", 1.2), ("갤럭시s99", 0.8), ("asdf", 0.6),
                       ("ㅇㅇ", 0.8), ("qwerty", 0.4))  # fmt: skip


@dataclass(frozen=True)
class Sessions:
    start: np.ndarray  # ascending: session i is 's-' + (i + 1)
    customer: np.ndarray  # customer_id or INT_NULL
    session_ids: pa.Array
    converting: np.ndarray  # indices of sessions that place an order
    checkout_at: np.ndarray  # their checkout_start instants
    cart_product: np.ndarray  # the product (index) they put in the cart
    last_event_at: np.ndarray  # per session
    tables: dict[str, pa.Table]


def generate_sessions(
    rng: np.random.Generator,
    cfg: GeneratorConfig,
    tl: Timeline,
    catalog: Catalog,
    signed_up: np.ndarray,
    web_orders: int,
) -> Sessions:
    n = max(web_orders, round(cfg.orders * cfg.sessions_per_order))
    start = np.sort(tl.sample(rng, n))
    channel = weighted_codes(rng, n, CHANNEL_WEIGHTS)
    device = weighted_codes(rng, n, DEVICE_WEIGHTS)
    logged_in = rng.random(n) >= cfg.anonymous_session_share
    customer = np.where(logged_in, pick_before(rng, signed_up, start) + 1, INT_NULL)
    weight = (
        np.array(CHANNEL_CONVERSION)[channel] * np.array(DEVICE_CONVERSION)[device] * logged_in
        + 1e-12
    )
    converting = gumbel_top_k(rng, weight, web_orders)
    is_conv = np.zeros(n, dtype=bool)
    is_conv[converting] = True

    count = np.where(is_conv, 4 + rng.poisson(1.2, n), 1 + rng.poisson(1.6, n))
    first = np.concatenate([[0], np.cumsum(count)[:-1]])
    total = int(count.sum())
    session = np.repeat(np.arange(n), count)
    gap = rng.exponential(45, total) + 2
    gap[first] = 0
    clock = np.cumsum(gap)
    at = start[session] + clock - clock[first][session]

    kinds = ENUMS[("web_events", "event_type")]
    etype = weighted_codes(rng, total, BROWSE_MIX)
    # Converting sessions browse (no early checkout) then add to cart and check out.
    conv_event = is_conv[session]
    browse = weighted_codes(rng, total, BROWSE_MIX[:3])
    etype = np.where(conv_event, browse, etype)
    last = first + count - 1
    etype[last[is_conv]] = kinds.index("checkout_start")
    etype[last[is_conv] - 1] = kinds.index("add_to_cart")
    etype[first] = kinds.index("page_view")
    product = catalog.pick_products(rng, at)
    # The product checked out is the one put in the cart.
    product[last[is_conv]] = product[last[is_conv] - 1]
    product_id = np.where(etype == kinds.index("page_view"), INT_NULL, product + 1)

    session_ids = join("s-", int_text(np.arange(1, n + 1), 7))
    keep = np.flatnonzero(at < tl.end)
    web_events = to_table(
        "web_events",
        {
            "event_id": np.arange(1, len(keep) + 1),
            "session_id": session_ids.take(pa.array(session[keep])),
            "customer_id": customer[session[keep]],
            "event_type": Cat(etype[keep], kinds),
            "product_id": product_id[keep],
            "channel": Cat(channel[session[keep]], ENUMS[("web_events", "channel")]),
            "device": Cat(device[session[keep]], ENUMS[("web_events", "device")]),
            "occurred_at": at[keep],
        },
    )
    search_logs = _searches(rng, cfg, tl, catalog, start, at[last], customer, session_ids)
    return Sessions(
        start=start,
        customer=customer,
        session_ids=session_ids,
        converting=converting,
        checkout_at=at[last[converting]],
        cart_product=product[last[converting]],
        last_event_at=at[last],
        tables={"web_events": web_events, "search_logs": search_logs},
    )


def _searches(
    rng: np.random.Generator,
    cfg: GeneratorConfig,
    tl: Timeline,
    catalog: Catalog,
    start: np.ndarray,
    end: np.ndarray,
    customer: np.ndarray,
    session_ids: pa.Array,
) -> pa.Table:
    count = rng.poisson(cfg.searches_per_session, len(start))
    session = np.repeat(np.arange(len(start)), count)
    m = len(session)
    at = start[session] + rng.random(m) * (end[session] - start[session] + 30)
    vocab = QUERIES + ZERO_RESULT_QUERIES
    query = weighted_codes(rng, m, [w for _, w in vocab])
    zero = (query >= len(QUERIES)) | (rng.random(m) < 0.025)
    results = np.where(zero, 0, np.maximum(1, lognormal(rng, 120, 1.2, m))).astype(np.int64)
    clicked = ~zero & (rng.random(m) < 0.35)
    product = np.where(clicked, catalog.pick_products(rng, at) + 1, INT_NULL)
    keep = np.flatnonzero(at < tl.end)
    keep = keep[np.argsort(at[keep], kind="stable")]
    return to_table(
        "search_logs",
        {
            "search_id": np.arange(1, len(keep) + 1),
            "session_id": session_ids.take(pa.array(session[keep])),
            "customer_id": customer[session[keep]],
            "query": Cat(query[keep], tuple(q for q, _ in vocab)),
            "result_count": results[keep],
            "clicked_product_id": product[keep],
            "searched_at": at[keep],
        },
    )
