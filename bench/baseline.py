"""The single-pass baseline: what the raw tables cost to read once, on the same warehouse.

One SQL statement per raw table, run right after the load and before any dbt build: keep the
current version of each key (entities: the newest `updated_at`, then `_synced_at`, and not
deleted; events: the first delivery), and aggregate it once into daily base metrics in the
reporting time zone: rows per local day of the table's first business instant (and per status
where the table has one), with the sum of every numeric column. Each result is written to a
table in the schema `bench_baseline`, as a model would be.

It does no validation, no quarantine, no history, no dimensions, no incremental bookkeeping
and no tests: a floor, not a competitor. The builds are reported as multiples of it.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from marketmetrics.contract import TABLES, Table

SCHEMA = "bench_baseline"
TIME_ZONE = "Asia/Seoul"


def _date_column(table: Table) -> str:
    instants = [c for c, t in table.columns.items() if t == "timestamptz" and c != "updated_at"]
    return instants[0] if instants else "_synced_at"


def _measures(table: Table) -> list[str]:
    return [
        column
        for column, kind in table.columns.items()
        if kind in ("bigint", "int", "numeric") and not column.endswith("_id")
    ]


def baseline_sql(table: Table) -> str:
    """The statement that computes one table's daily base metrics (both engines)."""
    if table.kind == "entity":
        newest_first = "updated_at desc, _synced_at desc"
        live = "and not _is_deleted"
    else:
        newest_first = "_synced_at asc"
        live = ""
    status = "status" if "status" in table.columns else None
    groups = ["metric_date", *([status] if status else [])]
    columns = [
        f"cast({_date_column(table)} at time zone '{TIME_ZONE}' as date) as metric_date",
        *([status] if status else []),
        "count(*) as row_count",
        *(f"sum({m}) as {m}_sum" for m in _measures(table)),
    ]
    select_list = ",\n    ".join(columns)
    return f"""create table {SCHEMA}.{table.name}_daily as
select
    {select_list}
from (
    select
        *,
        row_number() over (partition by {table.key} order by {newest_first}) as version_rank
    from raw.{table.name}
) as versions
where version_rank = 1 {live}
group by {", ".join(f"{i + 1}" for i in range(len(groups)))}"""


def run_baseline(
    engine: str, *, duckdb_path: Path | None = None, conninfo: str | None = None
) -> dict[str, Any]:
    """Run the baseline; seconds in all and per table."""
    statements = {name: baseline_sql(table) for name, table in TABLES.items()}
    per_table: dict[str, float] = {}
    started = time.perf_counter()
    if engine == "duckdb":
        import duckdb

        # The same limits as the dbt profile's defaults (profiles.yml.example).
        con = duckdb.connect(
            str(duckdb_path),
            config={"memory_limit": "4GB", "threads": 2, "preserve_insertion_order": False},
        )
        try:
            con.execute(f"drop schema if exists {SCHEMA} cascade")
            con.execute(f"create schema {SCHEMA}")
            for name, sql in statements.items():
                t0 = time.perf_counter()
                con.execute(sql)
                per_table[name] = round(time.perf_counter() - t0, 2)
            seconds = time.perf_counter() - started
            con.execute(f"drop schema {SCHEMA} cascade")
        finally:
            con.close()
    else:
        import psycopg

        with psycopg.connect(conninfo, autocommit=True) as con:
            con.execute(f"drop schema if exists {SCHEMA} cascade")
            con.execute(f"create schema {SCHEMA}")
            for name, sql in statements.items():
                t0 = time.perf_counter()
                con.execute(sql)  # type: ignore[arg-type]
                per_table[name] = round(time.perf_counter() - t0, 2)
            seconds = time.perf_counter() - started
            con.execute(f"drop schema {SCHEMA} cascade")
    return {"seconds": round(seconds, 2), "per_table": per_table}
