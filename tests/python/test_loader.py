"""Loading raw tables into DuckDB and through Parquet keeps every row and the
contract's types; the naive option lands UTC wall-clock TIMESTAMPs."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.compute as pc
import pytest

from marketmetrics.contract import TABLES
from marketmetrics.generator import GeneratorConfig, generate, replicate
from marketmetrics.loader import load_tables, read_parquet, write_parquet
from marketmetrics.warehouse import Warehouse


def _duck(path: Path) -> Warehouse:
    return Warehouse("duckdb", duckdb_path=path)


@pytest.fixture(scope="module")
def tables() -> dict[str, pa.Table]:
    return replicate(
        generate(GeneratorConfig(seed=11, orders=500, days=14, start_date=date(2026, 3, 1)))
    )


def column_types(path: Path, table: str) -> dict[str, str]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        rows = con.execute(
            "select column_name, data_type from information_schema.columns "
            "where table_schema = 'raw' and table_name = ?",
            [table],
        ).fetchall()
    finally:
        con.close()
    return dict(rows)


def counts(path: Path) -> dict[str, int]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return {n: con.execute(f"select count(*) from raw.{n}").fetchall()[0][0] for n in TABLES}
    finally:
        con.close()


def test_duckdb_round_trip_keeps_rows_and_types(
    tables: dict[str, pa.Table], tmp_path: Path
) -> None:
    path = tmp_path / "w.duckdb"
    loaded = load_tables(tables, _duck(path), mode="replace")
    expected = {n: t.num_rows for n, t in tables.items()}
    assert loaded == expected
    assert counts(path) == expected
    types = column_types(path, "orders")
    assert types["ordered_at"] == "TIMESTAMP WITH TIME ZONE"
    assert types["_is_deleted"] == "BOOLEAN"
    assert column_types(path, "host_metrics")["cpu_utilization_pct"] == "DECIMAL(9,3)"

    con = duckdb.connect(str(path), read_only=True)
    con.execute("set TimeZone = 'UTC'")
    loaded_first = con.execute("select min(ordered_at) from raw.orders").fetchall()[0][0]
    con.close()
    assert loaded_first == pc.min(tables["orders"]["ordered_at"]).as_py()


def test_replace_then_append(tables: dict[str, pa.Table], tmp_path: Path) -> None:
    path = tmp_path / "w.duckdb"
    load_tables(tables, warehouse=_duck(path))
    load_tables(tables, warehouse=_duck(path))
    assert counts(path)["orders"] == tables["orders"].num_rows
    load_tables({"orders": tables["orders"]}, warehouse=_duck(path), mode="append")
    assert counts(path)["orders"] == 2 * tables["orders"].num_rows


def test_naive_timestamps_hold_utc_wall_clock(tables: dict[str, pa.Table], tmp_path: Path) -> None:
    path = tmp_path / "naive.duckdb"
    load_tables(tables, warehouse=_duck(path), naive_timestamps=True)
    types = column_types(path, "web_events")
    assert types["occurred_at"] == "TIMESTAMP" and types["_synced_at"] == "TIMESTAMP"
    con = duckdb.connect(str(path), read_only=True)
    naive = con.execute("select min(occurred_at) from raw.web_events").fetchall()[0][0]
    con.close()
    aware = pc.min(tables["web_events"]["occurred_at"]).as_py()
    assert naive.tzinfo is None and naive == aware.replace(tzinfo=None)


def test_parquet_round_trip(tables: dict[str, pa.Table], tmp_path: Path) -> None:
    write_parquet(tables, tmp_path / "raw")
    back = read_parquet(tmp_path / "raw")
    assert list(back) == list(tables)
    assert all(back[n].equals(tables[n]) for n in tables)


def test_rejects_unknown_tables_and_missing_columns(
    tables: dict[str, pa.Table], tmp_path: Path
) -> None:
    with pytest.raises(ValueError, match="not contract tables"):
        load_tables({"nope": tables["orders"]}, warehouse=_duck(tmp_path / "x.duckdb"))
    with pytest.raises(ValueError, match="missing columns"):
        load_tables(
            {"orders": tables["orders"].drop(["status"])}, warehouse=_duck(tmp_path / "x.duckdb")
        )
