"""generate(): the whole truth of a synthetic marketplace, as the replicator saw it.

Every table is held in memory as Arrow, sorted by `_synced_at`, with every entity
version, every event and every injected artefact. A million orders make ~40 million
rows and need a few GB of memory (see the README section on scale); larger scales
should generate several periods with different seeds and load them with
mode="append" rather than grow one history.

Each domain draws from its own random stream (seed + domain name), so adding a column
to one domain does not reshuffle the others.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field
from datetime import date, datetime

import numpy as np
import pyarrow as pa

from marketmetrics.contract import TABLES
from marketmetrics.generator.artefacts import (
    KINDS,
    Deletions,
    choose_deletions,
    replicate_table,
)
from marketmetrics.generator.behaviour import generate_sessions
from marketmetrics.generator.catalog import generate_catalog
from marketmetrics.generator.config import GeneratorConfig
from marketmetrics.generator.customers import (
    auth_events_table,
    customers_table,
    nps_table,
    signups,
)
from marketmetrics.generator.frame import INT_NULL
from marketmetrics.generator.logistics import fulfil
from marketmetrics.generator.orders import generate_orders, orders_table, web_order_count
from marketmetrics.generator.payments import generate_attempts, payments_table, refunds_table
from marketmetrics.generator.system import api_request_logs_table, host_metrics_table
from marketmetrics.generator.timeline import Timeline, to_datetime

TOMBSTONED = ("customers", "products", "orders")


@dataclass
class History:
    """The replicated truth. `tables` hold contract columns in contract order."""

    config: GeneratorConfig
    start: datetime
    end: datetime
    incident_day: date
    incident_gateway: str
    tables: dict[str, pa.Table]
    synced_us: dict[str, np.ndarray]
    row_kinds: dict[str, np.ndarray]
    artefact_counts: dict[str, dict[str, int]] = field(default_factory=dict)

    def clean(self, name: str) -> pa.Table:
        """The rows of `name` the source really had: versions, events, tombstones
        excluded, as are duplicates and bad rows."""
        return self.tables[name].filter(pa.array(self.row_kinds[name] == KINDS.index("clean")))

    def rows_of_kind(self, name: str, kind: str) -> pa.Table:
        return self.tables[name].filter(pa.array(self.row_kinds[name] == KINDS.index(kind)))

    @property
    def row_counts(self) -> dict[str, int]:
        return {name: t.num_rows for name, t in self.tables.items()}


def _stream(seed: int, name: str) -> np.random.Generator:
    return np.random.default_rng([seed, zlib.crc32(name.encode())])


def generate(cfg: GeneratorConfig | None = None) -> History:
    cfg = cfg or GeneratorConfig()
    tl = Timeline.of(cfg)

    def rng(name: str) -> np.random.Generator:
        return _stream(cfg.seed, name)

    catalog = generate_catalog(rng("catalog"), cfg, tl)
    signed_up = signups(rng("signups"), cfg, tl)
    sessions = generate_sessions(rng("sessions"), cfg, tl, catalog, signed_up, web_order_count(cfg))
    orders = generate_orders(rng("orders"), cfg, tl, catalog, sessions, signed_up)
    attempts = generate_attempts(rng("payments"), cfg, tl, orders)
    done = fulfil(rng("fulfilment"), cfg, tl, orders, attempts)

    last_active = np.full(len(signed_up), np.nan)
    known = sessions.customer != INT_NULL
    np.fmax.at(last_active, sessions.customer[known] - 1, sessions.last_event_at[known])
    np.fmax.at(last_active, orders.customer - 1, np.fmax(orders.ordered_at, done.confirmed_at))

    clean: dict[str, pa.Table] = {
        **catalog.tables,
        **sessions.tables,
        **done.tables,
        "customers": customers_table(rng("customers"), tl, signed_up, last_active),
        "auth_events": auth_events_table(
            rng("auth"), cfg, tl, signed_up, sessions.start, sessions.customer
        ),
        "nps_responses": nps_table(rng("nps"), cfg, tl, done.confirmed_at, orders.customer),
        "orders": orders_table(
            tl, orders, sessions.session_ids, attempts.paid_at, done.cancelled_at, done.confirmed_at
        ),
        "order_items": orders.items,
        "payments": payments_table(tl, attempts),
        "refunds": refunds_table(rng("refunds"), tl, done.refunds),
        "api_request_logs": api_request_logs_table(rng("api"), cfg, tl, attempts),
        "host_metrics": host_metrics_table(rng("hosts"), cfg, tl),
    }
    del catalog, sessions, orders, attempts, done

    rates = cfg.artefacts
    end_us = int(tl.end * 1_000_000)
    deletions = {
        name: choose_deletions(rng(f"delete:{name}"), name, clean[name], rates.tombstone, end_us)
        for name in TOMBSTONED
    }
    deletions["order_items"] = _cascade(clean["order_items"], deletions["orders"])

    history = History(
        config=cfg,
        start=to_datetime(tl.start),
        end=to_datetime(tl.end),
        incident_day=cfg.incident_day,
        incident_gateway=cfg.incident_gateway,
        tables={},
        synced_us={},
        row_kinds={},
    )
    for name in TABLES:
        r = replicate_table(
            rng(f"replicate:{name}"), name, clean.pop(name), rates, deletions.get(name)
        )
        history.tables[name] = r.table
        history.synced_us[name] = r.synced_us
        history.row_kinds[name] = r.row_kind
        history.artefact_counts[name] = r.counts
    return history


def _cascade(items: pa.Table, orders: Deletions) -> Deletions:
    """Deleting an order deletes its items a moment later."""
    order_id = items["order_id"].to_numpy()
    hit = np.flatnonzero(np.isin(order_id, orders.keys))
    sorter = np.argsort(orders.keys)
    at = orders.at_us[sorter][np.searchsorted(orders.keys[sorter], order_id[hit])]
    item_id = items["order_item_id"].to_numpy()[hit]
    return Deletions(item_id, at + 1_000_000)
