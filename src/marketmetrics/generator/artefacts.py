"""The replicator's side: _synced_at, and the artefacts the contract warns about.

Clean rows get `_synced_at` = their own time + a log-normal lag (seconds to minutes),
or, for the `late` share, hours to days (entities) or days (events). Then, each at
its rate and deterministically:

- duplicate: a clean row delivered again. Entity: same key and updated_at, a later
  _synced_at. Event: identical business columns; half keep the same _synced_at
  (a replayed batch), half arrive later (a re-delivery).
- tombstone: a copy of a key's last version, later updated_at, `_is_deleted` true.
- bad rows: copies of clean rows under a fresh key (beyond the clean ids, so
  quarantining them leaves the clean truth intact), each with one defect: see
  UNKNOWN_ENUM, NEGATIVE, MISSING_REQUIRED, and OWN_TIME for the far-future instant.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from marketmetrics.contract import TABLES
from marketmetrics.generator.config import ArtefactRates
from marketmetrics.generator.frame import ARROW_TYPES, loguniform

KINDS = (
    "clean",
    "duplicate",
    "tombstone",
    "null_key",
    "unknown_enum",
    "negative_amount",
    "future_timestamp",
    "missing_required",
)
BAD_KINDS = KINDS[3:]

# The row's own instant: what _synced_at lags behind, and what a far-future row breaks.
OWN_TIME: dict[str, str] = {
    name: ("updated_at" if t.kind == "entity" else next(c for c in t.columns if c.endswith("_at")))
    for name, t in TABLES.items()
}
# Values outside the contract's lists even after lower() and trim().
UNKNOWN_ENUM: dict[str, tuple[str, str]] = {
    "customers": ("status", "dormant"),
    "auth_events": ("event_type", "mfa_challenge"),
    "sellers": ("status", "pending_review"),
    "products": ("status", "archived"),
    "orders": ("status", "on_hold"),
    "payments": ("method", "crypto"),
    "refunds": ("reason", "chargeback"),
    "shipments": ("status", "lost"),
    "shipment_events": ("status", "lost"),
    "returns": ("reason", "too_late"),
    "web_events": ("event_type", "video_play"),
    "api_request_logs": ("service", "recommendation"),
    "host_metrics": ("service", "recommendation"),
}
# Columns that must not be negative; order_items rotates over its three.
NEGATIVE: dict[str, tuple[str, ...]] = {
    "products": ("list_price",),
    "order_items": ("quantity", "unit_price", "discount_amount"),
    "payments": ("amount",),
    "refunds": ("amount",),
    "returns": ("quantity",),
    "search_logs": ("result_count",),
    "api_request_logs": ("latency_ms",),
    "nps_responses": ("score",),
    "host_metrics": ("cpu_utilization_pct",),
}
# A required non-key column left null.
MISSING_REQUIRED: dict[str, str] = {
    "customers": "signed_up_at",
    "sellers": "requested_at",
    "categories": "name",
    "products": "registered_at",
    "orders": "ordered_at",
    "order_items": "order_id",
    "payments": "requested_at",
    "refunds": "payment_id",
    "shipments": "order_id",
    "returns": "order_item_id",
    **{name: OWN_TIME[name] for name, t in TABLES.items() if t.kind == "event"},
}
FUTURE = datetime(2099, 1, 1, tzinfo=UTC).timestamp()
US = 1_000_000


def count(rate: float, n: int) -> int:
    """At least one when the rate is positive, so small data still has every kind."""
    return 0 if rate <= 0 or n == 0 else max(1, round(rate * n))


def micros(table: pa.Table, column: str) -> np.ndarray:
    return table[column].combine_chunks().cast(pa.int64()).to_numpy(zero_copy_only=False)


def _ts(values_us: np.ndarray) -> pa.Array:
    return pa.array(values_us, type=ARROW_TYPES["timestamptz"])


@dataclass(frozen=True)
class Deletions:
    keys: np.ndarray
    at_us: np.ndarray


def choose_deletions(
    rng: np.random.Generator, name: str, table: pa.Table, rate: float, end_us: int
) -> Deletions:
    """Keys deleted in the source, at an instant after their last version."""
    key = table[TABLES[name].key].to_numpy()
    updated = micros(table, "updated_at")
    order = np.lexsort((updated, key))
    last = order[np.r_[key[order][1:] != key[order][:-1], True]]
    k = count(rate, len(last))
    pick = rng.choice(last, size=k, replace=False) if k else last[:0]
    at = updated[pick] + (loguniform(rng, 3_600, 10 * 86_400, k) * US).astype(np.int64)
    ok = at < end_us
    return Deletions(key[pick][ok], at[ok])


@dataclass(frozen=True)
class Replicated:
    table: pa.Table  # contract columns, sorted by _synced_at
    synced_us: np.ndarray
    row_kind: np.ndarray  # index into KINDS
    counts: dict[str, int]


def replicate_table(
    rng: np.random.Generator,
    name: str,
    clean: pa.Table,
    rates: ArtefactRates,
    deletions: Deletions | None = None,
) -> Replicated:
    spec = TABLES[name]
    entity = spec.kind == "entity"
    n = clean.num_rows
    own = micros(clean, OWN_TIME[name])

    lag = np.minimum(np.exp(np.log(rates.sync_lag_median_seconds) + rng.standard_normal(n)), 1_800)
    late = np.zeros(n, dtype=bool)
    late[rng.choice(n, size=count(rates.late, n), replace=False)] = True
    late_lag = (
        loguniform(rng, 3_600, rates.late_entity_max_days * 86_400, n)
        if entity
        else loguniform(rng, 86_400, rates.late_event_max_days * 86_400, n)
    )
    synced = own + (np.maximum(np.where(late, late_lag, lag), 0.5) * US).astype(np.int64)
    counts = {kind: 0 for kind in KINDS[1:]}
    counts["late"] = int(late.sum())
    counts["versions"] = n - len(pc.unique(clean[spec.key])) if entity else 0

    parts: list[tuple[pa.Table, np.ndarray, np.ndarray, int]] = []  # rows, synced, deleted, kind

    def add(rows: pa.Table, rows_synced: np.ndarray, kind: str, deleted: bool = False) -> None:
        parts.append((rows, rows_synced, np.full(rows.num_rows, deleted), KINDS.index(kind)))
        if kind != "clean":
            counts[kind] += rows.num_rows

    add(clean, synced, "clean")

    k = count(rates.duplicate, n)
    idx = np.sort(rng.choice(n, size=k, replace=False))
    if entity:
        redelivered = loguniform(rng, 60, 6 * 3_600, k)
    else:
        redelivered = np.where(rng.random(k) < 0.5, 0.0, loguniform(rng, 60, 2 * 86_400, k))
    add(clean.take(idx), synced[idx] + (redelivered * US).astype(np.int64), "duplicate")

    if entity and deletions is not None and len(deletions.keys):
        key = clean[spec.key].to_numpy()
        updated = micros(clean, "updated_at")
        order = np.lexsort((updated, key))
        last = order[np.r_[key[order][1:] != key[order][:-1], True]]
        pos = np.searchsorted(key[last], deletions.keys)
        rows = clean.take(last[pos])
        rows = rows.set_column(
            rows.schema.get_field_index("updated_at"), "updated_at", _ts(deletions.at_us)
        )
        lag_us = np.exp(np.log(rates.sync_lag_median_seconds) + rng.standard_normal(len(pos))) * US
        add(rows, deletions.at_us + lag_us.astype(np.int64), "tombstone", deleted=True)

    next_key = int(pc.max(clean[spec.key]).as_py() or 0) + 1
    for kind in BAD_KINDS:
        column = _bad_column(name, kind)
        k = count(getattr(rates, kind), n) if column else 0
        if k == 0 or column is None:
            continue
        idx = rng.integers(0, n, k)
        rows = clean.take(idx)
        key_values = (
            pa.nulls(k, pa.int64())
            if kind == "null_key"
            else pa.array(np.arange(next_key, next_key + k))
        )
        next_key += k
        rows = rows.set_column(rows.schema.get_field_index(spec.key), spec.key, key_values)
        rows = _break(rng, name, rows, kind, column, k)
        add(rows, synced[idx], kind)

    table = pa.concat_tables([p[0] for p in parts])
    all_synced = np.concatenate([p[1] for p in parts])
    if entity:
        table = table.append_column("_is_deleted", pa.array(np.concatenate([p[2] for p in parts])))
    table = table.append_column("_synced_at", _ts(all_synced))
    kinds = np.concatenate([np.full(p[0].num_rows, p[3], dtype=np.int8) for p in parts])
    order = np.argsort(all_synced, kind="stable")
    table = table.take(pa.array(order)).select(list(spec.all_columns))
    return Replicated(table.combine_chunks(), all_synced[order], kinds[order], counts)


def _bad_column(name: str, kind: str) -> str | None:
    return {
        "null_key": TABLES[name].key,
        "unknown_enum": UNKNOWN_ENUM.get(name, (None,))[0],
        "negative_amount": NEGATIVE.get(name, (None,))[0],
        "future_timestamp": OWN_TIME[name],
        "missing_required": MISSING_REQUIRED.get(name),
    }[kind]


def _break(
    rng: np.random.Generator, name: str, rows: pa.Table, kind: str, column: str, k: int
) -> pa.Table:
    def put(col: str, values: pa.Array) -> pa.Table:
        i = rows.schema.get_field_index(col)
        return rows.set_column(i, col, values.cast(rows.schema.field(col).type, safe=False))

    if kind == "unknown_enum":
        return put(column, pa.array([UNKNOWN_ENUM[name][1]] * k))
    if kind == "negative_amount":
        cols = NEGATIVE[name]
        for j, col in enumerate(cols):
            mine = np.arange(k) % len(cols) == j
            current = rows[col].combine_chunks()
            negative = pc.negate(pc.add(pc.abs(current.cast(pa.float64())), 1.0))
            rows = put(col, pc.if_else(pa.array(mine), negative, current.cast(pa.float64())))
        return rows
    if kind == "future_timestamp":
        return put(column, _ts(((FUTURE + rng.uniform(0, 365 * 86_400, k)) * US).astype(np.int64)))
    if kind == "missing_required":
        return put(column, pa.nulls(k, rows.schema.field(column).type))
    return rows
