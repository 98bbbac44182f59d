"""Load raw tables into DuckDB or PostgreSQL, and round-trip them through Parquet.

The DDL comes from the contract (contract.ENGINE_TYPES), never from the Arrow
schema, so a table lands with the same column types whoever produced it. Rows
stream in record batches: DuckDB scans the Arrow data in place, PostgreSQL gets
CSV chunks through COPY, so memory stays bounded by a batch, not by a table.

`naive_timestamps=True` lands instants as TIMESTAMP holding the UTC wall-clock time,
as some replicators do; staging must accept both.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Literal

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from marketmetrics.contract import ENGINE_TYPES, TABLES
from marketmetrics.warehouse import Engine, Warehouse

Mode = Literal["replace", "append"]
# Told of each part of a table written: (table, rows).
Progress = Callable[[str, int], None]
BATCH_ROWS = 100_000
NAIVE_TYPES = {"duckdb": "TIMESTAMP", "postgres": "timestamp"}


def _column_types(name: str, engine: Engine, naive: bool) -> dict[str, str]:
    types = ENGINE_TYPES[engine]
    return {
        col: NAIVE_TYPES[engine] if naive and logical == "timestamptz" else types[logical]
        for col, logical in TABLES[name].all_columns.items()
    }


def _contract_shape(name: str, table: pa.Table, naive: bool) -> pa.Table:
    """The contract's columns in order (extra columns dropped); with naive=True the
    instants become UTC wall-clock timestamps without a zone."""
    missing = [c for c in TABLES[name].all_columns if c not in table.column_names]
    if missing:
        raise ValueError(f"{name}: missing columns {missing}")
    table = table.select(list(TABLES[name].all_columns))
    if naive:
        fields = [
            pa.field(f.name, pa.timestamp(f.type.unit)) if pa.types.is_timestamp(f.type) else f
            for f in table.schema
        ]
        table = table.cast(pa.schema(fields))
    return table


def _quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def _ddl(schema: str, name: str, types: Mapping[str, str]) -> str:
    cols = ",\n  ".join(f"{_quote(c)} {t}" for c, t in types.items())
    return f"create table {_quote(schema)}.{_quote(name)} (\n  {cols}\n)"


def load_tables(
    tables: Mapping[str, pa.Table],
    warehouse: Warehouse,
    *,
    schema: str | None = None,
    mode: Mode = "replace",
    naive_timestamps: bool = False,
    progress: Progress | None = None,
) -> dict[str, int]:
    """Load each table into the warehouse's raw schema (or `schema`); returns the rows loaded
    per table. `progress(table, rows)` is told of each part written (a progress bar).

    mode="replace" drops and recreates each table; mode="append" creates it if
    missing and appends.
    """
    unknown = set(tables) - set(TABLES)
    if unknown:
        raise ValueError(f"not contract tables: {sorted(unknown)}")
    if mode not in ("replace", "append"):
        raise ValueError(f"mode must be replace or append, not {mode!r}")
    schema = schema or warehouse.schemas.raw
    if warehouse.engine == "duckdb":
        assert warehouse.duckdb_path is not None
        return _load_duckdb(
            tables, Path(warehouse.duckdb_path), schema, mode, naive_timestamps, progress
        )
    if warehouse.engine == "spark":
        assert warehouse.spark_home is not None
        if naive_timestamps:
            raise ValueError("naive timestamps are a DuckDB and PostgreSQL replicator's habit")
        return _load_spark(tables, Path(warehouse.spark_home), schema, mode, progress)
    assert warehouse.conninfo is not None
    return _load_postgres(tables, warehouse.conninfo, schema, mode, naive_timestamps, progress)


def _load_duckdb(
    tables: Mapping[str, pa.Table],
    path: Path,
    schema: str,
    mode: Mode,
    naive: bool,
    progress: Progress | None = None,
) -> dict[str, int]:
    import duckdb

    path.parent.mkdir(parents=True, exist_ok=True)
    loaded: dict[str, int] = {}
    con = duckdb.connect(str(path))
    try:
        con.execute("set TimeZone = 'UTC'")
        con.execute("set preserve_insertion_order = false")
        con.execute(f"create schema if not exists {_quote(schema)}")
        for name, table in tables.items():
            types = _column_types(name, "duckdb", naive)
            data = _contract_shape(name, table, naive)
            target = f"{_quote(schema)}.{_quote(name)}"
            if mode == "replace":
                con.execute(f"drop table if exists {target}")
            con.execute(
                _ddl(schema, name, types).replace("create table", "create table if not exists", 1)
            )
            casts = ", ".join(f"cast({_quote(c)} as {t})" for c, t in types.items())
            reader = pa.RecordBatchReader.from_batches(
                data.schema, data.to_batches(max_chunksize=BATCH_ROWS)
            )
            con.register("_incoming", reader)
            try:
                con.execute(f"insert into {target} select {casts} from _incoming")
            finally:
                con.unregister("_incoming")
            loaded[name] = data.num_rows
            if progress:
                progress(name, data.num_rows)
    finally:
        con.close()
    return loaded


def _load_postgres(
    tables: Mapping[str, pa.Table],
    conninfo: str,
    schema: str,
    mode: Mode,
    naive: bool,
    progress: Progress | None = None,
) -> dict[str, int]:
    import psycopg

    loaded: dict[str, int] = {}
    with psycopg.connect(conninfo, autocommit=False) as con:
        con.execute("set timezone = 'UTC'")
        con.execute(f"create schema if not exists {_quote(schema)}")
        for name, table in tables.items():
            types = _column_types(name, "postgres", naive)
            data = _contract_shape(name, table, naive)
            target = f"{_quote(schema)}.{_quote(name)}"
            if mode == "replace":
                con.execute(f"drop table if exists {target}")
            con.execute(
                _ddl(schema, name, types).replace("create table", "create table if not exists", 1)
            )
            columns = ", ".join(_quote(c) for c in types)
            # CSV from Arrow's C++ writer: strings are always quoted, so "" is an empty
            # string and an unquoted empty field is NULL, as COPY's CSV format reads them.
            options = pacsv.WriteOptions(include_header=False, batch_size=BATCH_ROWS)
            with (
                con.cursor() as cur,
                cur.copy(f"copy {target} ({columns}) from stdin (format csv)") as copy,
            ):
                for batch in data.to_batches(max_chunksize=BATCH_ROWS):
                    buffer = io.BytesIO()
                    pacsv.write_csv(batch, buffer, options)
                    copy.write(buffer.getbuffer())
                    if progress:
                        progress(name, batch.num_rows)
            # Fresh statistics, so the first build plans on the rows just loaded.
            con.execute(f"analyze {target}")
            con.commit()
            loaded[name] = data.num_rows
    return loaded


def _load_spark(
    tables: Mapping[str, pa.Table],
    spark_home: Path,
    schema: str,
    mode: Mode,
    progress: Progress | None = None,
) -> dict[str, int]:
    """Land each table as parquet files for the local Spark session (spark_files.py); the
    next dbt run registers them. The contract's types are cast here, as the DDL does on the
    other engines. The files hold the generator's Arrow type of each logical type, which
    the Spark DDL declares alike (macros/contract/spark_landing.sql)."""
    from marketmetrics.generator.frame import ARROW_TYPES
    from marketmetrics.spark_files import land_table

    loaded: dict[str, int] = {}
    for name, table in tables.items():
        data = _contract_shape(name, table, False)
        target = pa.schema(
            [pa.field(c, ARROW_TYPES[t]) for c, t in TABLES[name].all_columns.items()]
        )
        rows = land_table(
            spark_home,
            schema,
            name,
            data.cast(target),
            replace=mode == "replace",
            batch_rows=BATCH_ROWS,
        )
        loaded[name] = rows
        if progress:
            progress(name, rows)
    return loaded


def write_parquet(tables: Mapping[str, pa.Table], directory: str | Path) -> list[Path]:
    """One `<table>.parquet` per table; returns the files written."""
    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, table in tables.items():
        path = out / f"{name}.parquet"
        pq.write_table(table, path, compression="zstd")
        written.append(path)
    return written


def read_parquet(directory: str | Path) -> dict[str, pa.Table]:
    """Every contract table found in `directory`, keyed by table name."""
    root = Path(directory)
    return {
        name: pq.read_table(root / f"{name}.parquet")
        for name in TABLES
        if (root / f"{name}.parquet").exists()
    }
