"""The test harness itself: the throwaway cluster, the dbt wrapper and the fixtures.

If these fail, every other test's failure is suspect, so they stay fast and run first
(conftest.py orders it first; `test_harness` is also cheap to run alone).
"""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import psycopg
import pytest

from marketmetrics.dbt_runner import DbtError, DbtProject, ProfileMissing, ensure_profiles
from marketmetrics.pgcluster import PgCluster, PgUnavailable

if TYPE_CHECKING:
    from conftest import Warehouse

REPO_ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.postgres
def test_cluster_accepts_tcp_connections(pg_cluster: PgCluster) -> None:
    with psycopg.connect(pg_cluster.conninfo) as con:
        rows = con.execute(
            "select host(inet_server_addr()), inet_server_port(), current_database(),"
            " current_setting('fsync'), current_setting('TimeZone')"
        ).fetchall()
    assert rows == [("127.0.0.1", pg_cluster.port, pg_cluster.dbname, "off", "UTC")]
    assert pg_cluster.env()["PGPORT"] == str(pg_cluster.port)


@pytest.mark.postgres
def test_cluster_is_removed_on_exit_even_after_an_error(pg_cluster: PgCluster) -> None:
    # Reuses the session cluster only to know PostgreSQL works here; starts its own.
    with pytest.raises(ZeroDivisionError), PgCluster(dbname="scratch") as pg:
        root = pg.root
        assert root is not None and (root / "data" / "postmaster.pid").exists()
        with psycopg.connect(pg.conninfo) as con:
            assert con.execute("select 1").fetchall() == [(1,)]
        1 / 0  # noqa: B018 - the point is an exception inside the block
    assert not root.exists()
    with pytest.raises(psycopg.OperationalError):
        psycopg.connect(pg.conninfo_for("scratch"), connect_timeout=2)


def test_missing_binaries_raise_pg_unavailable(tmp_path: Path) -> None:
    with pytest.raises(PgUnavailable, match="lacks initdb"):
        PgCluster(pg_bin=tmp_path).start()


def test_ensure_profiles_copies_the_example(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("DBT_PROFILES_DIR", raising=False)
    (tmp_path / "profiles.yml.example").write_text("marketmetrics: {}\n")
    # Copied into the project, where plain `dbt` reads it first.
    assert ensure_profiles(tmp_path) == tmp_path
    assert (tmp_path / "profiles.yml").read_text() == "marketmetrics: {}\n"
    # One's own profile is kept, never overwritten by the example.
    (tmp_path / "profiles.yml").write_text("mine: {}\n")
    assert ensure_profiles(tmp_path) == tmp_path
    assert (tmp_path / "profiles.yml").read_text() == "mine: {}\n"

    elsewhere = tmp_path / "elsewhere"
    monkeypatch.setenv("DBT_PROFILES_DIR", str(elsewhere))
    # A DBT_PROFILES_DIR without a profiles.yml is a clear error, not dbt's own later.
    with pytest.raises(ProfileMissing, match="holds no profiles.yml"):
        ensure_profiles(tmp_path)
    elsewhere.mkdir()
    (elsewhere / "profiles.yml").write_text("theirs: {}\n")
    assert ensure_profiles(tmp_path) == elsewhere


def test_ensure_profiles_on_this_project_gives_a_profile(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DBT_PROFILES_DIR", raising=False)
    assert (ensure_profiles(REPO_ROOT) / "profiles.yml").is_file()


def test_dbt_debug_connects(warehouse: Warehouse) -> None:
    result = warehouse.dbt.run("debug")
    assert "All checks passed" in result.stdout
    assert f"target='{warehouse.engine}'" in result.stdout or warehouse.engine in result.stdout


def test_dbt_parse_writes_into_its_own_target_path(warehouse: Warehouse) -> None:
    warehouse.dbt.run("parse")
    assert warehouse.dbt.target_path is not None
    assert (warehouse.dbt.target_path / "manifest.json").is_file()
    assert warehouse.dbt.target_path != REPO_ROOT / "target"


def test_dbt_failure_raises_with_the_error_text(warehouse: Warehouse) -> None:
    with pytest.raises(DbtError) as info:
        warehouse.dbt.run("compile", "--inline", "select {{ no_such_macro() }}")
    message = str(info.value)
    assert "no_such_macro" in message and "is undefined" in message
    assert f"target {warehouse.engine}" in message
    assert info.value.result.returncode != 0


def test_dbt_vars_are_passed_as_json(profiles_dir: Path, tmp_path: Path) -> None:
    # Engine-independent, so it runs once, on a scratch DuckDB file.
    dbt = DbtProject(
        project_dir=REPO_ROOT,
        profiles_dir=profiles_dir,
        target="duckdb",
        env_overrides={"DBT_DUCKDB_PATH": str(tmp_path / "vars.duckdb")},
        target_path=tmp_path / "target",
        log_path=tmp_path / "logs",
    )
    inline = ("compile", "--inline", "select '{{ var(\"probe\") }}' as probe")
    result = dbt.run(*inline, vars={"probe": "a b"})
    assert "'a b' as probe" in result.stdout
    # dbt re-parses the whole project when the vars change; DbtProject keeps a parse per set
    # of vars, so going back to earlier vars reuses theirs (a partial parse).
    full = "Unable to do partial parsing"
    other = dbt.run(*inline, vars={"probe": "c"})
    assert "'c' as probe" in other.stdout and full in other.stdout
    again = dbt.run(*inline, vars={"probe": "a b"})
    assert "'a b' as probe" in again.stdout
    assert full not in again.stdout, again.tail()


def test_query_and_reset(warehouse: Warehouse) -> None:
    assert warehouse.query("select 1 + 1") == [(2,)]
    warehouse.execute("create schema if not exists raw; create table raw.probe (x integer)")
    warehouse.execute("insert into raw.probe values (41), (1)")
    assert warehouse.query("select sum(x) from raw.probe") == [(42,)]
    warehouse.reset()
    schemas = {
        row[0] for row in warehouse.query("select schema_name from information_schema.schemata")
    }
    assert schemas.isdisjoint(warehouse.schemas)


def test_query_parameters_are_written_the_same_on_every_engine(warehouse: Warehouse) -> None:
    """`%s`, as psycopg takes it, on DuckDB too (its own placeholder is `?`)."""
    assert warehouse.query("select cast(%s as integer) + 1, %s", [41, "kcp"]) == [(42, "kcp")]


def test_modules_get_their_own_storage(warehouse: Warehouse) -> None:
    if warehouse.engine == "duckdb":
        assert warehouse.duckdb_path is not None
        assert warehouse.env["DBT_DUCKDB_PATH"] == str(warehouse.duckdb_path)
    else:
        assert warehouse.conninfo is not None
        dbname = warehouse.env["PGDATABASE"]
        assert dbname.startswith("mm_") and f"dbname={dbname}" in warehouse.conninfo
        assert dbname != os.environ.get("PGDATABASE", "marketmetrics")


def test_load_lands_arrow_tables_in_raw(warehouse: Warehouse) -> None:
    pytest.importorskip("marketmetrics.loader", reason="the loader is not written yet")
    import pyarrow as pa

    synced = datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC)
    categories = pa.table(
        {
            "category_id": pa.array([1, 2], pa.int64()),
            "parent_category_id": pa.array([None, 1], pa.int64()),
            "name": pa.array(["fashion", "shoes"]),
            "updated_at": pa.array([synced, synced], pa.timestamp("us", tz="UTC")),
            "_is_deleted": pa.array([False, False]),
            "_synced_at": pa.array([synced, synced], pa.timestamp("us", tz="UTC")),
        }
    )
    warehouse.load({"categories": categories})
    assert warehouse.query("select count(*), max(name) from raw.categories") == [(2, "shoes")]
    warehouse.reset()
