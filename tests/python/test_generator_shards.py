"""Sharded generation (generator/shards.py): bounded memory for 10 M orders, no shared keys."""

from __future__ import annotations

import pyarrow.compute as pc

from marketmetrics.contract import TABLES
from marketmetrics.generator import GeneratorConfig, generate, replicate
from marketmetrics.generator.shards import SHARD_ID_STRIDE, generate_shards, shard_configs

CFG = GeneratorConfig(seed=11, orders=650, days=12)


def test_orders_split_evenly_with_a_seed_per_shard() -> None:
    configs = shard_configs(CFG, shard_orders=250)
    assert [c.orders for c in configs] == [217, 217, 216]
    assert [c.seed for c in configs] == [11, 12, 13]
    assert {c.days for c in configs} == {12}
    assert [c.orders for c in shard_configs(CFG, shard_orders=10_000)] == [650]


def test_shards_are_disjoint_and_shard_zero_is_the_plain_history() -> None:
    shards = list(generate_shards(CFG, shard_orders=250))
    assert [i for i, _ in shards] == [0, 1, 2]

    plain = replicate(generate(shard_configs(CFG, shard_orders=250)[0]))
    first = replicate(shards[0][1])
    assert all(first[name].equals(plain[name]) for name in TABLES)

    for name, table in TABLES.items():
        id_columns = [c for c, k in table.columns.items() if k == "bigint" and c.endswith("_id")]
        seen: set[int] = set()
        for i, history in shards:
            rows = history.tables[name]
            for column in id_columns:
                values = pc.drop_null(rows[column])
                if len(values) == 0:
                    continue
                # Every id of shard i lies in its own range, foreign keys included.
                assert pc.min(values).as_py() >= i * SHARD_ID_STRIDE, (name, column, i)
                assert pc.max(values).as_py() < (i + 1) * SHARD_ID_STRIDE, (name, column, i)
            keys = set(pc.drop_null(rows[table.key]).to_pylist())
            assert not keys & seen, name
            seen |= keys

    sessions = pc.drop_null(shards[2][1].tables["orders"]["session_id"]).to_pylist()
    assert sessions and all(s.startswith("s2-") for s in sessions)
    hosts = set(shards[1][1].tables["host_metrics"]["host"].to_pylist()) - {None}
    assert hosts and all(h.startswith("s1-") for h in hosts)


def test_the_cli_generates_past_the_shard_size_in_shards(tmp_path, monkeypatch) -> None:
    import marketmetrics.generator.shards as shards
    from marketmetrics.cli import main
    from marketmetrics.loader import read_parquet

    monkeypatch.setattr(shards, "DEFAULT_SHARD_ORDERS", 300)
    out = tmp_path / "raw"
    args = ["generate", "--target", "parquet", "--orders", "650", "--days", "12"]
    assert main([*args, "--seed", "11", "--out-dir", str(out)]) == 0
    tables = read_parquet(out)
    orders = pc.drop_null(tables["orders"]["order_id"]).to_numpy()
    assert sorted(set(orders // SHARD_ID_STRIDE)) == [0, 1, 2]
    expected = sum(replicate(h)["orders"].num_rows for _, h in generate_shards(CFG, 300))
    assert tables["orders"].num_rows == expected
