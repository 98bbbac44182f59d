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


def _local_date(column: str, engine: str) -> str:
    if engine == "spark":
        return f"cast(from_utc_timestamp({column}, '{TIME_ZONE}') as date)"
    return f"cast({column} at time zone '{TIME_ZONE}' as date)"


def baseline_sql(table: Table, engine: str = "duckdb") -> str:
    """The statement that computes one table's daily base metrics on `engine`."""
    if table.kind == "entity":
        newest_first = "updated_at desc, _synced_at desc"
        live = "and not _is_deleted"
    else:
        newest_first = "_synced_at asc"
        live = ""
    status = "status" if "status" in table.columns else None
    groups = ["metric_date", *([status] if status else [])]
    columns = [
        f"{_local_date(_date_column(table), engine)} as metric_date",
        *([status] if status else []),
        "count(*) as row_count",
        *(f"sum({m}) as {m}_sum" for m in _measures(table)),
    ]
    select_list = ",\n    ".join(columns)
    using = " using parquet" if engine == "spark" else ""
    return f"""create table {SCHEMA}.{table.name}_daily{using} as
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


# Spark's baseline runs in its own local session (as many cores as dbt's), over the raw parquet
# files the loader landed, with an in-memory catalog: the metastore stays free for dbt, and the
# JVM's start is not timed, as dbt's own start is not part of a model's time either.
_SPARK_BASELINE = """
import json, sys, time
from pyspark.sql import SparkSession
job = json.loads(sys.stdin.read())
spark = (SparkSession.builder.master(job["master"]).config("spark.ui.enabled", "false")
    .config("spark.sql.session.timeZone", "UTC")
    .config("spark.sql.shuffle.partitions", "4")
    .config("spark.driver.memory", job["driver_memory"])
    .config("spark.sql.warehouse.dir", job["out"]).getOrCreate())
for schema in ("raw", job["schema"]):
    spark.sql(f"create database if not exists {schema}")
for name, folder in job["raw"].items():
    spark.sql(f"create table raw.{name} using parquet location '{folder}'")
per_table = {}
started = time.perf_counter()
for name, sql in job["statements"].items():
    t0 = time.perf_counter()
    spark.sql(sql).collect()
    per_table[name] = round(time.perf_counter() - t0, 2)
seconds = time.perf_counter() - started
print(json.dumps({"seconds": round(seconds, 2), "per_table": per_table}))
"""


def _run_spark(statements: dict[str, str], spark_home: Path) -> dict[str, Any]:
    import json
    import os
    import shutil
    import subprocess
    import sys

    from marketmetrics.spark_files import landing_dir

    out = spark_home / "bench_baseline"
    job = {
        "master": os.environ.get("DBT_SPARK_MASTER", "local[2]"),
        "driver_memory": os.environ.get("DBT_SPARK_DRIVER_MEMORY", "2g"),
        "out": str(out),
        "schema": SCHEMA,
        "raw": {name: str(landing_dir(spark_home, "raw", name)) for name in TABLES},
        "statements": statements,
    }
    try:
        done = subprocess.run(
            [sys.executable, "-c", _SPARK_BASELINE],
            input=json.dumps(job),
            capture_output=True,
            text=True,
            check=True,
        )
    finally:
        shutil.rmtree(out, ignore_errors=True)
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def run_baseline(
    engine: str,
    *,
    duckdb_path: Path | None = None,
    conninfo: str | None = None,
    spark_home: Path | None = None,
) -> dict[str, Any]:
    """Run the baseline; seconds in all and per table."""
    statements = {name: baseline_sql(table, engine) for name, table in TABLES.items()}
    per_table: dict[str, float] = {}
    if engine == "spark":
        assert spark_home is not None
        return _run_spark(statements, spark_home)
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
