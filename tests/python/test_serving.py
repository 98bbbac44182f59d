"""The DuckDB serving copy: what readers open, and why a build or a bad load never hurts them.

Through the CLI, as the scheduler runs it, on the hand-built foundation fixture:
- a build publishes marts and metric tables, and no personal data, to the serving copy;
- a build killed part-way leaves the serving copy as it was, and the re-run ends equal to
  the clean build (a build with no new data changes no row);
- a reader holding the serving copy open does not block a build, and keeps its old copy;
- a truncated raw table fails the audit: the build says why, and nothing is replaced.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from fixtures.foundation_raw import raw_tables
from marketmetrics.cli import main
from marketmetrics.serving import serving_path_for

# The same build the scheduler runs, less the unit tests (they test SQL, not data).
# The marts under a renamed schema (its dbt var, given to the CLI once): the build writes
# there, and the serving copy publishes it under that name.
MARTS = "analytics"
BUILD = [
    "build",
    "--vars",
    f"{{marts_schema: {MARTS}}}",
    "--",
    "--exclude-resource-type",
    "unit_test",
]


def _personal_values() -> set[str]:
    values = set()
    for name, table in raw_tables().items():
        for column in table.column_names:
            if column in {"email", "phone", "name", "ip_address"} and not (
                name in {"categories", "products"} and column == "name"
            ):
                values |= {str(v).strip().lower() for v in table[column].to_pylist() if v}
    return values


def _contents(path: Path) -> dict[str, list[tuple]]:
    """Every published table's rows, bookkeeping stamps (`_` columns) aside, sorted.

    The data-quality report (`dq_*`) reports on each build (test results, freshness clock):
    two builds differ there by design, so it is compared by its table list only.
    """
    con = duckdb.connect(str(path), read_only=True)
    try:
        out = {}
        for schema, table in con.execute(
            "select table_schema, table_name from information_schema.tables "
            "where table_schema <> 'main' order by 1, 2"
        ).fetchall():
            if table.startswith("dq_"):
                out[f"{schema}.{table}"] = []
                continue
            columns = [
                c
                for (c,) in con.execute(
                    "select column_name from information_schema.columns "
                    "where table_schema = ? and table_name = ? order by ordinal_position",
                    [schema, table],
                ).fetchall()
                if not c.startswith("_")
            ]
            selected = ", ".join(f'"{c}"' for c in columns)
            rows = con.execute(f'select {selected} from "{schema}"."{table}"').fetchall()
            out[f"{schema}.{table}"] = sorted(rows, key=repr)
        return out
    finally:
        con.close()


@pytest.fixture(scope="module")
def served(tmp_path_factory, profiles_dir):
    work = tmp_path_factory.mktemp("serving")
    path = work / "warehouse.duckdb"
    saved = {k: os.environ.get(k) for k in ("DBT_PROFILES_DIR", "DBT_DUCKDB_PATH")}
    os.environ["DBT_PROFILES_DIR"] = str(profiles_dir)
    os.environ["DBT_DUCKDB_PATH"] = str(path)
    from marketmetrics.loader import load_tables
    from marketmetrics.warehouse import Warehouse

    load_tables(raw_tables(), Warehouse("duckdb", duckdb_path=path))
    assert main(BUILD) == 0
    serving = serving_path_for(path)
    yield path, serving, _contents(serving)
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


def test_the_serving_copy_holds_marts_and_metrics_and_no_personal_data(served):
    path, serving, contents = served
    assert oct(serving.stat().st_mode & 0o777) == "0o644"
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    schemas = {name.split(".")[0] for name in contents}
    assert schemas == {MARTS, "metrics"}
    for table in (f"{MARTS}.fct_orders", f"{MARTS}.dim_customers", "metrics.metrics_daily"):
        assert table in contents
    con = duckdb.connect(str(serving), read_only=True)
    try:
        columns = con.execute(
            "select table_schema, table_name, column_name, data_type "
            "from information_schema.columns where table_schema <> 'main'"
        ).fetchall()
        # No pseudonym (the classification's personal columns: test_personal_data).
        assert not [c for c in columns if c[2].endswith("_hash")]
        # dim_customers keeps its rows, without the e-mail pseudonym.
        assert "email_hash" not in {c[2] for c in columns if c[1] == "dim_customers"}
        assert con.execute(f"select count(*) from {MARTS}.dim_customers").fetchall()[0][0] > 0
        # No raw e-mail, phone, name or IP anywhere in any text column.
        personal = _personal_values()
        assert personal
        for schema, table, column, data_type in columns:
            if data_type != "VARCHAR":
                continue
            values = con.execute(
                f'select distinct lower(trim("{column}")) from "{schema}"."{table}"'
            ).fetchall()
            assert not personal & {v for (v,) in values}, (table, column)
        # The descriptions travel with the copy: BI tools show them.
        warehouse = duckdb.connect(str(path), read_only=True)
        try:
            sql = (
                "select comment from duckdb_columns() where schema_name = 'metrics' "
                "and table_name = 'metrics_daily' and column_name = 'metric_value'"
            )
            described = warehouse.execute(sql).fetchall()
        finally:
            warehouse.close()
        assert described[0][0] and con.execute(sql).fetchall() == described
        (table_comment,) = con.execute(
            f"select comment from duckdb_tables() where schema_name = '{MARTS}' "
            "and table_name = 'fct_orders'"
        ).fetchall()[0]
        assert table_comment and "order" in table_comment.lower()
    finally:
        con.close()


def _start_build() -> subprocess.Popen:
    code = "import sys; from marketmetrics.cli import main; sys.exit(main(sys.argv[1:]))"
    return subprocess.Popen(
        [sys.executable, "-c", code, *BUILD],
        env=dict(os.environ),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def test_a_killed_build_and_a_reader_leave_the_serving_copy_whole(served):
    path, serving, clean = served
    reader = duckdb.connect(str(serving), read_only=True)
    try:
        published = reader.execute("select published_at from main.publication").fetchall()
        build = _start_build()
        # Kill it part-way: once dbt writes the warehouse (DuckDB's write-ahead log appears).
        wal = path.with_name(path.name + ".wal")
        deadline = time.monotonic() + 120
        while build.poll() is None and not wal.exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        time.sleep(3)
        assert build.poll() is None, "the build ended before it could be killed"
        os.killpg(build.pid, signal.SIGKILL)
        build.wait()
        assert _contents(serving) == clean
        # The re-run, with the reader still holding the old copy open: not blocked, and it
        # ends equal to the clean build (no new data changes no row).
        assert main(BUILD) == 0
        assert _contents(serving) == clean
        assert reader.execute("select published_at from main.publication").fetchall() == published
        assert reader.execute(f"select count(*) from {MARTS}.fct_orders").fetchall()[0][0] > 0
    finally:
        reader.close()


def test_a_failed_audit_keeps_the_last_good_copy(served, capsys):
    path, serving, clean = served
    before = serving.stat().st_mtime_ns
    con = duckdb.connect(str(path))
    con.execute("create table raw.customers_saved as select * from raw.customers")
    con.execute("delete from raw.customers")
    con.close()
    try:
        capsys.readouterr()
        assert main(BUILD) == 1
        err = capsys.readouterr().err
        # The volume check stops the run before the base tables: nothing after it is rebuilt.
        audit_line = next(line for line in err.splitlines() if "the audit failed (" in line)
        assert "audit_raw_table_did_not_shrink" in audit_line
        assert "audit_every_raw_row_accounted_for" not in audit_line
        assert f"the serving copy {serving} still holds the build published at" in err
        assert "Traceback" not in err
        assert serving.stat().st_mtime_ns == before
        assert _contents(serving) == clean
        # Publishing by hand is refused too, with the table named.
        assert main(["publish"]) == 1
        assert "customers: 0 raw rows, down from 13" in capsys.readouterr().err
    finally:
        con = duckdb.connect(str(path))
        con.execute("insert into raw.customers select * from raw.customers_saved")
        con.execute("drop table raw.customers_saved")
        con.close()
