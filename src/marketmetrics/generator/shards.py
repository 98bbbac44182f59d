"""generate_shards(): a marketplace too large for memory, as independent shards.

generate() holds a whole history in memory (about 40 M rows and a few GB per million
orders). Past a few million orders the project generates shards instead: shard i is the
history generate() makes for its share of the orders with seed `seed + i`, over the same
days, with every id moved into its own range (bigint ids + i * SHARD_ID_STRIDE; the text
session ids and host names prefixed `s<i>-`), so the shards never share a key. Only one shard
is in memory at a time: the caller loads each (mode="append" after the first) and drops it.

The union is one marketplace of shard-sized independent markets: same calendar and the same
category names, each shard its own customers, sellers, catalog, gateways' incident day and
hosts. Shard 0 is exactly generate() of its config, so a one-shard run is the plain one.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

import pyarrow as pa
import pyarrow.compute as pc

from marketmetrics.contract import TABLES
from marketmetrics.generator.config import GeneratorConfig
from marketmetrics.generator.history import History, generate

SHARD_ID_STRIDE = 10**10
DEFAULT_SHARD_ORDERS = 1_000_000
PREFIXED_TEXT = ("session_id", "host")


def shard_configs(
    cfg: GeneratorConfig, shard_orders: int = DEFAULT_SHARD_ORDERS
) -> list[GeneratorConfig]:
    """Configs of the shards: the orders split as evenly as possible, seeds seed + i."""
    if shard_orders < 1:
        raise ValueError("shard_orders must be at least 1")
    shards = max(1, -(-cfg.orders // shard_orders))
    base, extra = divmod(cfg.orders, shards)
    return [
        dataclasses.replace(cfg, orders=base + (1 if i < extra else 0), seed=cfg.seed + i)
        for i in range(shards)
    ]


def offset_shard(tables: dict[str, pa.Table], shard: int) -> dict[str, pa.Table]:
    """`tables` with every id moved into shard `shard`'s range (shard 0 unchanged)."""
    if shard == 0:
        return tables
    moved = {}
    for name, table in tables.items():
        contract = TABLES[name]
        for column, kind in contract.columns.items():
            index = table.schema.get_field_index(column)
            field = table.schema.field(index)
            values = table.column(index)
            if kind == "bigint" and column.endswith("_id"):
                values = pc.add(values, pa.scalar(shard * SHARD_ID_STRIDE, field.type))
            elif kind == "text" and column in PREFIXED_TEXT:
                values = pc.binary_join_element_wise(f"s{shard}-", values, "")
            else:
                continue
            table = table.set_column(index, field, values.cast(field.type))
        moved[name] = table
    return moved


def generate_shards(
    cfg: GeneratorConfig, shard_orders: int = DEFAULT_SHARD_ORDERS
) -> Iterator[tuple[int, History]]:
    """(i, history of shard i) for each shard, one at a time."""
    for i, shard_cfg in enumerate(shard_configs(cfg, shard_orders)):
        history = generate(shard_cfg)
        history.tables = offset_shard(history.tables, i)
        yield i, history
