"""Orders and their items.

Web orders come from converting sessions a minute or so after checkout_start; app
orders (session_id null) are drawn from the traffic curve. Order ids follow
ordered_at, as an auto-increment would. Items price at the product's list price,
with a discount on about a third of them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from marketmetrics.contract import ENUMS
from marketmetrics.generator.behaviour import Sessions
from marketmetrics.generator.catalog import Catalog
from marketmetrics.generator.config import GeneratorConfig
from marketmetrics.generator.frame import (
    Cat,
    Versions,
    pick_before,
    to_table,
    versions,
    weighted_codes,
)
from marketmetrics.generator.timeline import Timeline

QUANTITY_WEIGHTS = (0.80, 0.14, 0.04, 0.02)


@dataclass(frozen=True)
class Orders:
    ordered_at: np.ndarray  # ascending: order_id = index + 1
    customer: np.ndarray
    session: np.ndarray  # session index or -1
    amount: np.ndarray  # Σ item amounts
    item_order: np.ndarray  # per item: order index (item id = index + 1)
    item_quantity: np.ndarray
    item_price: np.ndarray
    item_discount: np.ndarray
    items: pa.Table


def web_order_count(cfg: GeneratorConfig) -> int:
    return cfg.orders - round(cfg.orders * cfg.app_order_share)


def generate_orders(
    rng: np.random.Generator,
    cfg: GeneratorConfig,
    tl: Timeline,
    catalog: Catalog,
    sessions: Sessions,
    signed_up: np.ndarray,
) -> Orders:
    conv = sessions.converting
    web_at = sessions.checkout_at + 10 + rng.exponential(60, len(conv))
    n_app = cfg.orders - len(conv)
    app_at = tl.sample(rng, n_app)
    at = np.concatenate([web_at, app_at])
    customer = np.concatenate([sessions.customer[conv], pick_before(rng, signed_up, app_at) + 1])
    session = np.concatenate([conv, np.full(n_app, -1)])
    cart = np.concatenate([sessions.cart_product, np.full(n_app, -1)])
    keep = np.flatnonzero(at < tl.end)
    keep = keep[np.argsort(at[keep], kind="stable")]
    at, customer, session, cart = at[keep], customer[keep], session[keep], cart[keep]
    n = len(at)

    count = np.minimum(1 + rng.poisson(0.6, n), 8)
    item_order = np.repeat(np.arange(n), count)
    first = np.concatenate([[0], np.cumsum(count)[:-1]])
    product = catalog.pick_products(rng, at[item_order])
    has_cart = cart >= 0
    product[first[has_cart]] = cart[has_cart]
    m = len(item_order)
    quantity = weighted_codes(rng, m, QUANTITY_WEIGHTS).astype(np.int64) + 1
    price = catalog.product_price[product]
    gross = quantity * price
    discount = np.where(
        rng.random(m) < 0.3, np.round(gross * rng.uniform(0.05, 0.2, m), -2), 0
    ).astype(np.int64)
    amount = np.bincount(item_order, weights=gross - discount, minlength=n).astype(np.int64)
    items = to_table(
        "order_items",
        {
            "order_item_id": np.arange(1, m + 1),
            "order_id": item_order + 1,
            "product_id": product + 1,
            "seller_id": catalog.product_seller[product],
            "quantity": quantity,
            "unit_price": price,
            "discount_amount": discount,
            "updated_at": at[item_order],
        },
    )
    return Orders(
        ordered_at=at,
        customer=customer,
        session=session,
        amount=amount,
        item_order=item_order,
        item_quantity=quantity,
        item_price=price,
        item_discount=discount,
        items=items,
    )


def orders_table(
    tl: Timeline,
    orders: Orders,
    session_ids: pa.Array,
    paid_at: np.ndarray,
    cancelled_at: np.ndarray,
    confirmed_at: np.ndarray,
) -> pa.Table:
    status = ENUMS[("orders", "status")]
    v: Versions = versions(
        [
            (orders.ordered_at, status.index("created")),
            (paid_at, status.index("paid")),
            (cancelled_at, status.index("cancelled")),
            (confirmed_at, status.index("confirmed")),
        ],
        tl.end,
    )
    session = orders.session[v.idx]
    # A null index takes a null: app orders have no session.
    session_text = session_ids.take(pa.array(session, mask=session < 0))
    return to_table(
        "orders",
        {
            "order_id": v.idx + 1,
            "customer_id": orders.customer[v.idx],
            "session_id": session_text,
            "status": Cat(v.status, status),
            "ordered_at": orders.ordered_at[v.idx],
            "paid_at": v.shown(paid_at),
            "cancelled_at": v.shown(cancelled_at),
            "confirmed_at": v.shown(confirmed_at),
            "updated_at": v.at,
        },
    )
