"""The local Spark warehouse as files: where the raw parquet lands, and reading its tables.

dbt-spark's `session` method starts a JVM in every dbt process and keeps its tables as
parquet directories under `<spark home>/warehouse/<schema>.db/<table>/`, with a Derby
metastore beside them that one process may open at a time. So Python does not start Spark
to load or read:

- the loader writes the raw tables as parquet files under `<spark home>/landing/<schema>/
  <table>/`, and every dbt run registers them as external tables first
  (macros/contract/spark_landing.sql, an on-run-start hook);
- readers (tests, the benchmark, the CLI's checks) read the tables Spark wrote through an
  in-memory DuckDB, a view per table directory: the values are Spark's, only the reading is
  not. Views dbt made on Spark hold no files and cannot be read this way.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

# How the parquet files of one landed table are named: one per load, in load order.
_PART = "part-{:05d}.parquet"
_IDENTIFIER = re.compile(r"^[a-z_][a-z0-9_]*$")


def landing_dir(spark_home: Path, schema: str, table: str) -> Path:
    """Where the files of a raw table land (the location of its external table)."""
    return spark_home / "landing" / schema / table


def land_table(
    spark_home: Path, schema: str, table: str, data: pa.Table, *, replace: bool, batch_rows: int
) -> int:
    """Write `data` as one more parquet file of the table (after emptying it when `replace`).

    An empty table still gets one file: Spark reads its schema from it."""
    folder = landing_dir(spark_home, schema, table)
    if replace and folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True, exist_ok=True)
    part = len(list(folder.glob("part-*.parquet")))
    pq.write_table(data, folder / _PART.format(part), row_group_size=batch_rows)
    return data.num_rows


def _table_dirs(spark_home: Path) -> dict[tuple[str, str], Path]:
    """Every table directory Spark wrote, by (schema, table)."""
    found: dict[tuple[str, str], Path] = {}
    root = spark_home / "warehouse"
    if root.is_dir():
        for schema_dir in root.glob("*.db"):
            for table_dir in schema_dir.iterdir():
                if table_dir.is_dir() and any(table_dir.rglob("*.parquet")):
                    found[(schema_dir.name[: -len(".db")], table_dir.name)] = table_dir
    landing = spark_home / "landing"
    if landing.is_dir():
        for schema_dir in landing.iterdir():
            for table_dir in schema_dir.iterdir():
                if any(table_dir.glob("*.parquet")):
                    found.setdefault((schema_dir.name, table_dir.name), table_dir)
    return found


def read_spark_tables(spark_home: Path, sql: str, params: Any = None) -> list[tuple[Any, ...]]:
    """Rows of a read query over the Spark warehouse's tables (DuckDB SQL, `schema.table`)."""
    import duckdb

    con = duckdb.connect(":memory:")
    try:
        con.execute("set TimeZone = 'UTC'")
        schemas: set[str] = set()
        for (schema, table), folder in sorted(_table_dirs(spark_home).items()):
            if not (_IDENTIFIER.match(schema) and _IDENTIFIER.match(table)):
                continue
            if schema not in schemas:
                con.execute(f'create schema if not exists "{schema}"')
                schemas.add(schema)
            if (folder / "_delta_log").is_dir():
                # A Delta table keeps replaced files until vacuumed: its log says which count
                # (DuckDB's delta extension, installed from DuckDB's own repository).
                source = "delta_scan('{}')".format(str(folder).replace("'", "''"))
            else:
                files = str(folder / "**" / "*.parquet").replace("'", "''")
                source = f"read_parquet('{files}', hive_partitioning = true, union_by_name = true)"
            # Spark's timestamps are instants shown in the session's UTC, which staging means
            # by its naive UTC timestamps: read them as such, as the other engines hold them.
            zoned = [
                name
                for name, kind, *_ in con.execute(f"describe select * from {source}").fetchall()
                if kind == "TIMESTAMP WITH TIME ZONE"
            ]
            replaced = ", ".join(f'timezone(\'UTC\', "{name}") as "{name}"' for name in zoned)
            columns = f"* replace ({replaced})" if zoned else "*"
            con.execute(f'create view "{schema}"."{table}" as select {columns} from {source}')
        return con.execute(sql, params).fetchall()
    finally:
        con.close()
