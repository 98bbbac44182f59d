"""Column helpers shared by the domain modules.

Domains compute in numpy: instants are float seconds since the epoch (NaN = null),
integers are int64 with INT_NULL for null, and low-cardinality text is a `Cat`
(codes into a tuple of values). Only `to_table` turns that into Arrow with the
contract's types, so the arithmetic stays vectorised and the types stay in one place.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeAlias

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from marketmetrics.contract import TABLES, LogicalType

INT_NULL = np.iinfo(np.int64).min

ARROW_TYPES: dict[LogicalType, pa.DataType] = {
    "bigint": pa.int64(),
    "int": pa.int32(),
    "text": pa.string(),
    "timestamptz": pa.timestamp("us", tz="UTC"),
    "boolean": pa.bool_(),
    "numeric": pa.decimal128(9, 3),
}


@dataclass(frozen=True)
class Cat:
    """Categorical text: `values[codes]`, code -1 = null."""

    codes: np.ndarray
    values: tuple[str, ...]

    def take(self, idx: np.ndarray) -> Cat:
        return Cat(self.codes[idx], self.values)

    def code(self, value: str) -> int:
        return self.values.index(value)

    def to_arrow(self) -> pa.Array:
        codes = pa.array(self.codes.astype(np.int32), mask=self.codes < 0)
        return pa.DictionaryArray.from_arrays(codes, pa.array(self.values, pa.string())).cast(
            pa.string()
        )


Column: TypeAlias = np.ndarray | Cat | pa.Array


def take(col: Column, idx: np.ndarray) -> Column:
    if isinstance(col, pa.Array):
        return col.take(pa.array(idx, pa.int64()))
    if isinstance(col, Cat):
        return col.take(idx)
    return col[idx]


def weighted_codes(rng: np.random.Generator, n: int, weights: Sequence[float]) -> np.ndarray:
    w = np.asarray(weights, dtype=float)
    return rng.choice(len(w), size=n, p=w / w.sum()).astype(np.int32)


def lognormal(rng: np.random.Generator, median: float, sigma: float, n: int) -> np.ndarray:
    """Long-tailed positive durations: median is exact, sigma sets the tail."""
    return median * np.exp(sigma * rng.standard_normal(n))


def loguniform(rng: np.random.Generator, low: float, high: float, n: int) -> np.ndarray:
    return np.exp(rng.uniform(np.log(low), np.log(high), n))


def pick_before(
    rng: np.random.Generator, available_at: np.ndarray, at: np.ndarray, skew: float = 1.0
) -> np.ndarray:
    """For each instant in `at`, an index into `available_at` (sorted ascending) of an
    item available by then. skew > 1 favours early items (older customers and products
    have had longer to become popular). Where nothing is available yet, item 0."""
    k = np.searchsorted(available_at, at, side="right")
    u = rng.random(len(at)) ** skew
    return np.minimum((u * k).astype(np.int64), np.maximum(k - 1, 0))


def gumbel_top_k(rng: np.random.Generator, weights: np.ndarray, k: int) -> np.ndarray:
    """k distinct indices drawn with probability proportional to weights, vectorised."""
    k = min(k, len(weights))
    keys = np.log(weights) - np.log(-np.log(rng.random(len(weights))))
    return np.sort(np.argpartition(-keys, k - 1)[:k]) if k else np.empty(0, np.int64)


def join(*parts: pa.Array | str) -> pa.Array:
    """Element-wise concatenation of string arrays and literals."""
    return pc.binary_join_element_wise(*parts, "")


def int_text(values: np.ndarray, width: int = 0) -> pa.Array:
    text = pc.cast(pa.array(values), pa.string())
    return pc.utf8_lpad(text, width, padding="0") if width else text


def pick_text(rng: np.random.Generator, pool: Sequence[str], n: int, weights=None) -> pa.Array:
    codes = weighted_codes(rng, n, weights if weights is not None else [1.0] * len(pool))
    return Cat(codes, tuple(pool)).to_arrow()


def _timestamps(seconds: np.ndarray) -> pa.Array:
    null = np.isnan(seconds)
    # Whole milliseconds: sources rarely carry more, and float seconds are exact to ~0.2 us.
    micros = np.where(null, 0, np.round(np.nan_to_num(seconds) * 1e3)).astype(np.int64) * 1000
    return pa.array(micros, type=ARROW_TYPES["timestamptz"], mask=null)


def to_arrow(col: Column, logical: LogicalType) -> pa.Array:
    target = ARROW_TYPES[logical]
    if isinstance(col, Cat):
        return col.to_arrow()
    if isinstance(col, pa.ChunkedArray):
        col = col.combine_chunks()
    if isinstance(col, pa.Array):
        return col if col.type == target else col.cast(target)
    if logical == "timestamptz":
        return _timestamps(col.astype(float))
    if logical in ("bigint", "int"):
        return pa.array(col.astype(np.int64), mask=col == INT_NULL).cast(target)
    if logical == "numeric":
        null = np.isnan(col)
        rounded = pa.array(np.round(np.nan_to_num(col), 3), mask=null)
        return pc.cast(rounded, target, safe=False)
    return pa.array(col, type=target)


def to_table(name: str, columns: dict[str, Column]) -> pa.Table:
    """The contract's business columns of `name`, in order, with the contract's types."""
    spec = TABLES[name].columns
    missing = set(spec) - set(columns)
    if missing:
        raise ValueError(f"{name}: no values for {sorted(missing)}")
    return pa.table({c: to_arrow(columns[c], t) for c, t in spec.items()})


@dataclass(frozen=True)
class Versions:
    """The rows of an entity's versions: `idx` the entity, `at` the version's instant,
    `status` the status code in force at that instant."""

    idx: np.ndarray
    at: np.ndarray
    status: np.ndarray

    def shown(self, milestone: np.ndarray) -> np.ndarray:
        """A milestone instant as a version shows it: null until it has happened."""
        values = milestone[self.idx]
        return np.where(values <= self.at, values, np.nan)


def versions(stages: Sequence[tuple[np.ndarray, int | np.ndarray | None]], end: float) -> Versions:
    """One version per entity per stage that happened by `end`.

    Each stage is (instants, status): NaN instants mean the entity never reached it;
    status None means the stage changed something other than the status. A version's
    status is that of the latest status-changing stage at or before its instant.
    """
    idx_parts, at_parts = [], []
    for times, _ in stages:
        sel = np.flatnonzero(times <= end)
        idx_parts.append(sel)
        at_parts.append(times[sel])
    idx = np.concatenate(idx_parts)
    at = np.concatenate(at_parts)
    best = np.full(len(idx), -np.inf)
    status = np.full(len(idx), -1, dtype=np.int32)
    for times, code in stages:
        if code is None:
            continue
        t = times[idx]
        hit = (t <= at) & (t >= best)
        best = np.where(hit, t, best)
        codes = code[idx] if isinstance(code, np.ndarray) else np.full(len(idx), code)
        status = np.where(hit, codes, status)
    return Versions(idx, at, status)
