"""The serving copy: the DuckDB file that BI tools, notebooks and the dashboard read.

The warehouse file holds the raw tables, personal data included, and is written by every
build; a reader that opens it blocks the build (DuckDB takes a file lock) and sees tables
half-way through a run. So after each build whose audit passed, `publish` copies the reader
schemas (marts and metric tables) into a new file beside it, without any column that holds
personal data, and renames it over the previous copy. A rename is atomic: a reader opens
either the old copy or the new one, never a half-written one, and a reader holding the old
copy open keeps reading it (it keeps the old file's inode) while the build goes on.

What readers may see follows the classification of personal data (docs/access.md): the raw
contract classes every raw column, the reader models' YAML classes the pseudonyms that reach
the marts, and `audit_reader_columns` lists every reader column with its class. Only the
columns it publishes are copied, the same ones the BI role may read on PostgreSQL. Staging
has already dropped names, phones and clear e-mails and IPs, and masked contact details in
free text.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from marketmetrics.warehouse import Warehouse, serving_path_for


class AuditFailed(RuntimeError):
    """The warehouse's last audit did not pass: nothing is published."""


@dataclass(frozen=True)
class Publication:
    path: Path
    tables: int
    dropped_columns: tuple[str, ...]
    seconds: float


def audit_failures(con, catalog: str = "warehouse", audit_schema: str = "audit") -> list[str]:
    """One sentence per raw table whose audit failed in the warehouse's last build: its rows
    unaccounted for or its quarantine above its share (audit_row_reconciliation), or a latest
    volume check that was rejected (audit_raw_volumes; such a check stops the run before the
    reconciliation, which then still shows the last good build)."""
    rows = con.execute(
        f"select source_table, unaccounted_rows, quarantined_rows, raw_rows, "
        f"quarantine_within_limit "
        f'from "{catalog}"."{audit_schema}".audit_row_reconciliation '
        f"where not (unaccounted_rows = 0 and quarantine_within_limit) "
        f"order by source_table"
    ).fetchall()
    out = []
    for table, unaccounted, quarantined, raw, quarantine_ok in rows:
        if unaccounted:
            out.append(f"{table}: {unaccounted:,} raw rows unaccounted for")
        if not quarantine_ok:
            out.append(f"{table}: {quarantined:,} of {raw:,} rows quarantined, above its share")
    volumes = con.execute(
        f"select source_table, raw_rows, baseline_raw_rows "
        f'from "{catalog}"."{audit_schema}".audit_raw_volumes '
        f"where not volume_accepted and checked_at = ("
        f'select max(checked_at) from "{catalog}"."{audit_schema}".audit_raw_volumes) '
        f"order by source_table"
    ).fetchall()
    for table, raw, baseline in volumes:
        out.append(f"{table}: {raw:,} raw rows, down from {baseline:,} at the last good build")
    return out


def publish(warehouse: Warehouse, serving: Path | None = None) -> Publication:
    """Copy the reader schemas of the DuckDB `warehouse` (marts and metric tables, under the
    names dbt gave them) into a new file, then rename it over `serving`.

    Refuses (AuditFailed) when the warehouse's last audit failed. The warehouse file is left
    readable by its owner only: it holds personal data, the serving copy does not.
    """
    import duckdb

    if warehouse.engine != "duckdb" or warehouse.duckdb_path is None:
        raise ValueError("the serving copy is DuckDB's; PostgreSQL readers use the BI role")
    schemas = warehouse.schemas.readers
    audit_schema = warehouse.schemas.audit
    source = Path(warehouse.duckdb_path)
    started = time.perf_counter()
    serving = serving or serving_path_for(source)
    serving.parent.mkdir(parents=True, exist_ok=True)
    tmp = serving.with_name(f".{serving.name}.{os.getpid()}.tmp")
    tmp.unlink(missing_ok=True)
    dropped: list[str] = []
    tables = 0
    con = duckdb.connect(str(tmp))
    try:
        literal = str(source).replace("'", "''")
        con.execute(f"attach '{literal}' as warehouse (read_only)")
        failures = audit_failures(con, audit_schema=audit_schema)
        if failures:
            raise AuditFailed("; ".join(failures))
        personal = _personal_columns(con, audit_schema)
        listed = con.execute(
            "select table_schema, table_name from information_schema.tables "
            "where table_catalog = 'warehouse' and table_schema in ("
            + ", ".join("?" for _ in schemas)
            + ") order by table_schema, table_name",
            list(schemas),
        ).fetchall()
        for schema, table in listed:
            columns = [
                name
                for (name,) in con.execute(
                    "select column_name from information_schema.columns "
                    "where table_catalog = 'warehouse' and table_schema = ? and table_name = ? "
                    "order by ordinal_position",
                    [schema, table],
                ).fetchall()
            ]
            kept = [c for c in columns if (schema, table, c) not in personal]
            dropped += [f"{schema}.{table}.{c}" for c in columns if c not in kept]
            con.execute(f'create schema if not exists "{schema}"')
            selected = ", ".join(f'"{c}"' for c in kept)
            con.execute(
                f'create table "{schema}"."{table}" as '
                f'select {selected} from warehouse."{schema}"."{table}"'
            )
            _copy_comments(con, schema, table, kept)
            tables += 1
        con.execute(
            "create table main.publication as select ? as published_at, ? as tables",
            [datetime.now(UTC).replace(tzinfo=None), tables],
        )
        con.execute("detach warehouse")
        con.execute("checkpoint")
    except BaseException:
        con.close()
        tmp.unlink(missing_ok=True)
        raise
    con.close()
    os.chmod(tmp, 0o644)
    os.replace(tmp, serving)
    for path in (source, source.with_name(source.name + ".wal")):
        if path.exists():
            os.chmod(path, 0o600)
    return Publication(serving, tables, tuple(dropped), time.perf_counter() - started)


def _personal_columns(con: Any, audit_schema: str) -> set[tuple[str, str, str]]:
    """(schema, table, column) of every reader column classed as personal data
    (audit_reader_columns): the columns the copy leaves out."""
    exists = con.execute(
        "select count(*) from information_schema.tables where table_catalog = 'warehouse' "
        "and table_schema = ? and table_name = 'audit_reader_columns'",
        [audit_schema],
    ).fetchall()[0][0]
    if not exists:
        raise AuditFailed(
            f"{audit_schema}.audit_reader_columns, which says what readers may see, is not built "
            "yet: run a build first"
        )
    rows = con.execute(
        "select relation_schema, relation_name, column_name "
        f'from warehouse."{audit_schema}".audit_reader_columns where not is_published'
    ).fetchall()
    return {(schema, table, column) for schema, table, column in rows}


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _copy_comments(con: Any, schema: str, table: str, kept: list[str]) -> None:
    """The descriptions dbt persisted on the warehouse table (persist_docs), on the copy."""
    where = "database_name = 'warehouse' and schema_name = ? and table_name = ?"
    found = con.execute(
        f"select comment from duckdb_tables() where {where} union all "
        "select comment from duckdb_views() where database_name = 'warehouse' "
        "and schema_name = ? and view_name = ?",
        [schema, table, schema, table],
    ).fetchall()
    comment = next((text for (text,) in found if text), None)
    target = f'"{schema}"."{table}"'
    if comment:
        con.execute(f"comment on table {target} is {_literal(comment)}")
    for column, text in con.execute(
        f"select column_name, comment from duckdb_columns() where {where} "
        "and comment is not null and comment <> ''",
        [schema, table],
    ).fetchall():
        if column in kept:
            con.execute(f'comment on column {target}."{column}" is {_literal(text)}')


def published_at(serving: Path) -> datetime | None:
    """When the serving copy was published, or None when there is none."""
    import duckdb

    if not serving.exists():
        return None
    con = duckdb.connect(str(serving), read_only=True)
    try:
        return con.execute("select published_at from main.publication").fetchall()[0][0]
    finally:
        con.close()
