"""Shared fixtures: a throwaway PostgreSQL cluster and a per-module warehouse on each engine.

A test module asks for `warehouse` and runs once per engine:

    def test_orders(warehouse):
        warehouse.load({"orders": table})
        warehouse.dbt.run("build", "--select", "+fct_orders")
        assert warehouse.query("select count(*) from marts.fct_orders") == [(3,)]

The warehouse is module-scoped because a dbt build costs seconds: a module builds once
and asserts many things. Each module gets its own DuckDB file or PostgreSQL database
(and its own dbt target directory), so modules cannot see each other's tables.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from fixtures.webhook import Hook
from marketmetrics.dbt_runner import DbtProject, Engine, query
from marketmetrics.pgcluster import PgCluster, PgUnavailable
from marketmetrics.warehouse import Schemas
from marketmetrics.warehouse import Warehouse as WarehouseSpec

if TYPE_CHECKING:
    import pyarrow as pa

REPO_ROOT = Path(__file__).resolve().parents[2]

ENGINES: list[Any] = ["duckdb", pytest.param("postgres", marks=pytest.mark.postgres)]
# The third engine runs where a module asks for it (a Spark build costs minutes): the metric
# fixture and tests/python/test_spark.py.
SPARK: Any = pytest.param("spark", marks=pytest.mark.spark)

# Every schema the project writes (see dbt_project.yml vars); `reset()` drops them all.
PROJECT_SCHEMAS = (
    "raw",
    "staging",
    "intermediate",
    "marts",
    "metrics",
    "snapshots",
    "audit",
    "reference",
)

# The pseudonym key every test warehouse holds (installed as `marketmetrics pii-key` would):
# PostgreSQL, the production target, refuses to build without one. `reset()` keeps it, as an
# operator's key outlives a rebuild.
TEST_PII_KEY = b"test-pseudonym-key-not-a-secret"


# The harness's own tests first (if they fail, every other failure is suspect), then the
# modules that take longest, longest first (from CI's --durations): `--dist loadfile` hands
# modules to the workers in collection order, so starting these early keeps one worker from
# running a ten-minute module alone at the end while the other has nothing left.
MODULE_ORDER = (
    "test_harness.py",
    "test_spark.py",
    "test_metric_values.py",
    "test_superset.py",
    "test_incremental.py",
    "test_history_gate.py",
    "test_sync_job.py",
    "test_dashboard.py",
    "test_snapshots.py",
    "test_scheduling_doc.py",
    "test_add_a_metric.py",
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Modules in MODULE_ORDER's order, then the others (a stable sort: the order inside a
    module and among the other modules is kept)."""

    def rank(item: pytest.Item) -> int:
        name = item.path.name
        return MODULE_ORDER.index(name) if name in MODULE_ORDER else len(MODULE_ORDER)

    items.sort(key=rank)


def _in_ci() -> bool:
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[PgCluster]:
    """One PostgreSQL cluster for the session; modules take their own database in it.

    Locally a machine without PostgreSQL skips the postgres tests; in CI it fails,
    because a silently skipped engine is an untested engine.
    """
    try:
        cluster = PgCluster().start()
    except PgUnavailable as exc:
        if _in_ci():
            pytest.fail(f"PostgreSQL is required in CI: {exc}", pytrace=False)
        pytest.skip(f"PostgreSQL unavailable: {exc}")
    try:
        # The project's roles exist cluster-wide: dbt's grants name the BI role.
        from marketmetrics.roles import setup_roles

        setup_roles(cluster.conninfo)
        yield cluster
    finally:
        cluster.stop()


def spark_unavailable() -> str | None:
    """Why a local Spark session cannot start here, or None."""
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        return "no Java runtime (`make java` installs Debian's openjdk-17-jre-headless)"
    try:
        import pyspark  # noqa: F401
    except ImportError:
        return "pyspark is not installed (pip install -e '.[spark]')"
    return None


@pytest.fixture(scope="session")
def profiles_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The checked-in example profile, copied: tests never use a developer's own profile.

    Every connection detail in it comes from environment variables, which the
    warehouse fixture sets, so a personal `profiles.yml` or `$DBT_PROFILES_DIR`
    pointing at a real warehouse cannot be touched by a test run.
    """
    out = tmp_path_factory.mktemp("profiles")
    shutil.copyfile(REPO_ROOT / "profiles.yml.example", out / "profiles.yml")
    return out


@dataclass
class Warehouse:
    """One engine's warehouse for one test module, with dbt bound to it."""

    engine: Engine
    dbt: DbtProject
    env: dict[str, str]
    duckdb_path: Path | None = None
    conninfo: str | None = None
    spark_home: Path | None = None
    schemas: tuple[str, ...] = PROJECT_SCHEMAS

    @property
    def spec(self) -> WarehouseSpec:
        """The package's description of this warehouse (what the CLI resolves), with the
        schema names of the dbt vars the module's dbt is bound to."""
        return WarehouseSpec(
            engine=self.engine,
            duckdb_path=self.duckdb_path,
            conninfo=self.conninfo,
            spark_home=self.spark_home,
            schemas=Schemas.from_vars(self.dbt.vars),
        )

    def query(self, sql: str, params: Any = None) -> list[tuple[Any, ...]]:
        """Rows of a read query (DuckDB opened read-only, so run it between dbt calls)."""
        return query(
            self.engine,
            sql,
            duckdb_path=self.duckdb_path,
            conninfo=self.conninfo,
            spark_home=self.spark_home,
            params=params,
        )

    def execute(self, sql: str) -> None:
        """Run a statement that writes (DDL, fixes to raw rows) outside dbt."""
        if self.engine == "spark":
            raise NotImplementedError("Spark is written by dbt only (the loader lands files)")
        if self.engine == "duckdb":
            import duckdb

            con = duckdb.connect(str(self.duckdb_path))
            try:
                con.execute(sql)
            finally:
                con.close()
        else:
            import psycopg

            assert self.conninfo is not None
            with psycopg.connect(self.conninfo, autocommit=True) as con:
                con.execute(sql)

    def load(
        self,
        tables: Mapping[str, pa.Table],
        schema: str | None = None,
        naive_timestamps: bool = False,
        mode: str = "replace",
    ) -> Any:
        """Land Arrow tables in the raw schema through the project's own loader."""
        from marketmetrics.loader import load_tables

        return load_tables(
            dict(tables),
            self.spec,
            schema=schema,
            mode=mode,  # type: ignore[arg-type]
            naive_timestamps=naive_timestamps,
        )

    def reset(self) -> None:
        """Drop every project schema, so the next load and build start from nothing."""
        if self.engine == "spark":
            # Tables, metastore and landed files all live in the session's home.
            assert self.spark_home is not None
            shutil.rmtree(self.spark_home, ignore_errors=True)
            return
        self.execute(
            ";\n".join(f"drop schema if exists {name} cascade" for name in PROJECT_SCHEMAS)
        )


# Warehouse names are reused: a worker's modules each take the first free slot, so a module's
# DuckDB file (or PostgreSQL database) has the name the previous module's had, dbt sees the same
# profile, and the module starts from the parse the previous one saved (DbtProject's
# shared_parses) instead of a full parse of its own (about 8 s, some 70 times a run).
_SLOTS_IN_USE: dict[str, set[int]] = {}


@contextmanager
def _warehouse_slot(engine: str) -> Iterator[int]:
    in_use = _SLOTS_IN_USE.setdefault(engine, set())
    slot = min(set(range(len(in_use) + 1)) - in_use)
    in_use.add(slot)
    try:
        yield slot
    finally:
        in_use.discard(slot)


def _worker() -> str:
    return os.environ.get("PYTEST_XDIST_WORKER", "main")


def _module_slug(request: pytest.FixtureRequest) -> str:
    name = request.module.__name__.rsplit(".", 1)[-1]
    return re.sub(r"[^a-z0-9_]", "_", name.lower())[:40]


@contextmanager
def open_warehouse(
    engine: Engine,
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    profiles_dir: Path,
    install_key: bool = True,
    spark_shuffle_partitions: int = 1,
) -> Iterator[Warehouse]:
    """A fresh DuckDB file or PostgreSQL database with dbt bound to it, dropped afterwards.

    It holds TEST_PII_KEY unless `install_key` is false (the tests of a missing key). A Spark
    session shuffles into `spark_shuffle_partitions` partitions: the profile's default of 4
    costs a fixture-sized build a sixth of its time in task overhead (209 s against 175 s)."""
    slug = _module_slug(request)
    work = tmp_path_factory.mktemp(f"{slug}-{engine}")
    with _warehouse_slot(engine) as slot:
        shared = tmp_path_factory.getbasetemp() / "warehouse-slots"

        spark_home: Path | None = None
        if engine == "spark":
            reason = spark_unavailable()
            if reason:
                if _in_ci():
                    pytest.fail(f"Spark is required in CI: {reason}", pytrace=False)
                pytest.skip(f"Spark unavailable: {reason}")
            spark_home = work / "spark"
            env = {
                "DBT_SPARK_HOME": str(spark_home),
                "DBT_SPARK_SHUFFLE_PARTITIONS": str(spark_shuffle_partitions),
            }
            duckdb_path = None
            conninfo = None
            dbname = None
            cluster: PgCluster | None = None
            # No key to install: a Spark build without one uses the development key (pii_key.sql).
            install_key = False
        elif engine == "duckdb":
            slot_dir = shared / f"duckdb-{slot}"
            shutil.rmtree(slot_dir, ignore_errors=True)
            slot_dir.mkdir(parents=True)
            duckdb_path = slot_dir / "warehouse.duckdb"
            # Create the file now: read-only queries before the first dbt run must not fail.
            import duckdb

            duckdb.connect(str(duckdb_path)).close()
            env = {"DBT_DUCKDB_PATH": str(duckdb_path)}
            conninfo = None
            dbname = None
            cluster = None
        else:
            cluster = request.getfixturevalue("pg_cluster")
            dbname = f"mm_{_worker()}_slot{slot}".lower()
            cluster.drop_database(dbname)  # a module that failed to drop it leaves nothing behind
            cluster.create_database(dbname)
            env = cluster.env(dbname)
            conninfo = cluster.conninfo_for(dbname)
            duckdb_path = None

        if install_key:
            from marketmetrics.pii import install_key as install

            install(
                WarehouseSpec(engine=engine, duckdb_path=duckdb_path, conninfo=conninfo),
                key=TEST_PII_KEY,
            )

        dbt = DbtProject(
            project_dir=REPO_ROOT,
            profiles_dir=profiles_dir,
            target=engine,
            env_overrides=env,
            target_path=work / "target",
            log_path=work / "logs",
            shared_parses=shared / "parses",
        )
        try:
            yield Warehouse(
                engine=engine,
                dbt=dbt,
                env=env,
                duckdb_path=duckdb_path,
                conninfo=conninfo,
                spark_home=spark_home,
            )
        finally:
            if cluster is not None and dbname is not None:
                cluster.drop_database(dbname)


@pytest.fixture(scope="module", params=ENGINES)
def warehouse(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    profiles_dir: Path,
) -> Iterator[Warehouse]:
    """A clean warehouse per (module, engine): a fresh DuckDB file or PostgreSQL database."""
    with open_warehouse(request.param, request, tmp_path_factory, profiles_dir) as built:
        yield built


@pytest.fixture(scope="module")
def both_warehouses(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    profiles_dir: Path,
) -> Iterator[tuple[Warehouse, Warehouse]]:
    """A DuckDB and a PostgreSQL warehouse side by side, for tests that compare engines."""
    with (
        open_warehouse("duckdb", request, tmp_path_factory, profiles_dir) as duck,
        open_warehouse("postgres", request, tmp_path_factory, profiles_dir) as pg,
    ):
        yield duck, pg


@pytest.fixture
def webhook() -> Iterator[Hook]:
    """A loopback webhook (fixtures/webhook.py): what alert delivery posts to in tests."""
    hook = Hook()
    try:
        yield hook
    finally:
        hook.close()
