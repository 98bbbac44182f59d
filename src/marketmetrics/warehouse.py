"""One description of the warehouse: engine, location and schema names, resolved once.

The command line resolves its arguments into a `Warehouse` (`Warehouse.resolve`) and hands
that one value to everything that touches the warehouse: the loader, the replication cycles,
the pseudonym key, the serving copy, the dashboard and the alerts. The schema names are the
dbt vars of dbt_project.yml (`metrics_schema`, `marts_schema`, ...) with dbt's own defaults:
macros/generate_schema_name.sql uses a model's custom schema verbatim, so the name dbt writes
is the var's value. Readers therefore follow a renamed schema (`--vars '{metrics_schema:
analytics}'`) instead of hard-coding `metrics.`; tests/python/test_warehouse.py checks these
defaults against what dbt itself resolves.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from marketmetrics.dbt_runner import DbtProject, Engine, ensure_profiles, query
from marketmetrics.project import project_dir

__all__ = [
    "DEFAULT_DUCKDB_PATH",
    "PG_DEFAULTS",
    "Engine",
    "Schemas",
    "Warehouse",
    "conninfo",
    "serving_path_for",
]

DEFAULT_DUCKDB_PATH = "data/warehouse.duckdb"
# The local Spark session's home (profiles.yml.example, docs/spark.md): `warehouse/` (its
# parquet tables), `metastore/` (Derby) and `landing/` (the raw parquet files).
DEFAULT_SPARK_HOME = "data/spark"

# What profiles.yml.example falls back to when a PG* variable is unset: Python connects
# where dbt does (libpq's own defaults, a Unix socket and the OS user, would differ).
PG_DEFAULTS = {
    "PGHOST": "localhost",
    "PGPORT": "5432",
    "PGUSER": "marketmetrics_transformer",
    "PGDATABASE": "marketmetrics",
}


def conninfo(env: Mapping[str, str] | None = None) -> str:
    """A libpq connection string with dbt's profile defaults (PGPASSWORD is read by libpq)."""
    env = os.environ if env is None else env
    value = {name: env.get(name) or default for name, default in PG_DEFAULTS.items()}
    return (
        f"host={value['PGHOST']} port={value['PGPORT']} user={value['PGUSER']} "
        f"dbname={value['PGDATABASE']} connect_timeout=10"
    )


@dataclass(frozen=True)
class Schemas:
    """The schema of each layer, as dbt names it. Field metadata: the dbt var."""

    raw: str = field(default="raw", metadata={"var": "raw_schema"})
    staging: str = field(default="staging", metadata={"var": "staging_schema"})
    intermediate: str = field(default="intermediate", metadata={"var": "intermediate_schema"})
    marts: str = field(default="marts", metadata={"var": "marts_schema"})
    metrics: str = field(default="metrics", metadata={"var": "metrics_schema"})
    snapshots: str = field(default="snapshots", metadata={"var": "snapshots_schema"})
    audit: str = field(default="audit", metadata={"var": "audit_schema"})
    reference: str = field(default="reference", metadata={"var": "seeds_schema"})
    private: str = field(default="private", metadata={"var": "private_schema"})

    @classmethod
    def from_vars(cls, dbt_vars: Mapping[str, Any] | None = None) -> Schemas:
        """The names dbt uses under these vars (unset ones keep dbt's defaults)."""
        dbt_vars = dbt_vars or {}
        known = {f.metadata["var"]: f.name for f in fields(cls)}
        return cls(**{known[k]: str(v) for k, v in dbt_vars.items() if k in known})

    def dbt_vars(self) -> dict[str, str]:
        """The vars that give dbt these names (only those that differ from the defaults)."""
        default = Schemas()
        return {
            f.metadata["var"]: getattr(self, f.name)
            for f in fields(self)
            if getattr(self, f.name) != getattr(default, f.name)
        }

    @property
    def readers(self) -> tuple[str, str]:
        """The schemas readers get: the marts and the metric tables (and the alert feed)."""
        return (self.marts, self.metrics)

    def all(self) -> tuple[str, ...]:
        return tuple(getattr(self, f.name) for f in fields(self))


@dataclass(frozen=True)
class Warehouse:
    """Where the warehouse is and what its schemas are called."""

    engine: Engine
    duckdb_path: Path | None = None
    conninfo: str | None = None
    schemas: Schemas = field(default_factory=Schemas)
    spark_home: Path | None = None

    def __post_init__(self) -> None:
        if self.engine == "duckdb" and self.duckdb_path is None:
            raise ValueError("a DuckDB warehouse needs its file (duckdb_path)")
        if self.engine == "postgres" and not self.conninfo:
            raise ValueError("a PostgreSQL warehouse needs its connection string (conninfo)")
        if self.engine == "spark" and self.spark_home is None:
            raise ValueError("a Spark warehouse needs its home directory (spark_home)")
        if self.engine not in ("duckdb", "postgres", "spark"):
            raise ValueError(f"unknown engine {self.engine!r}")

    @classmethod
    def resolve(
        cls,
        engine: str,
        duckdb_path: str | os.PathLike[str] | None = None,
        dbt_vars: Mapping[str, Any] | None = None,
        env: Mapping[str, str] | None = None,
    ) -> Warehouse:
        """The warehouse of a target as the profile finds it: DuckDB at `duckdb_path`, else
        $DBT_DUCKDB_PATH, else data/warehouse.duckdb (relative paths from the project);
        PostgreSQL through the PG* variables with the profile's defaults."""
        env = os.environ if env is None else env
        schemas = Schemas.from_vars(dbt_vars)
        if engine == "duckdb":
            raw = duckdb_path or env.get("DBT_DUCKDB_PATH") or DEFAULT_DUCKDB_PATH
            path = Path(raw)
            return cls(
                "duckdb",
                duckdb_path=path if path.is_absolute() else project_dir() / path,
                schemas=schemas,
            )
        if engine == "postgres":
            return cls("postgres", conninfo=conninfo(env), schemas=schemas)
        if engine == "spark":
            home = Path(env.get("DBT_SPARK_HOME") or DEFAULT_SPARK_HOME)
            return cls(
                "spark",
                spark_home=home if home.is_absolute() else project_dir() / home,
                schemas=schemas,
            )
        raise ValueError(f"unknown engine {engine!r}")

    @property
    def location(self) -> dict[str, Any]:
        """The keyword arguments of the low-level readers (dbt_runner.query)."""
        if self.engine == "duckdb":
            return {"duckdb_path": self.duckdb_path}
        if self.engine == "spark":
            return {"spark_home": self.spark_home}
        return {"conninfo": self.conninfo}

    def describe(self) -> str:
        if self.engine == "duckdb":
            return f"DuckDB file {self.duckdb_path}"
        if self.engine == "spark":
            return f"Spark warehouse {self.spark_home}"
        database = next(
            (p.split("=", 1)[1] for p in str(self.conninfo).split() if p.startswith("dbname=")),
            "?",
        )
        return f"PostgreSQL database {database}"

    def query(self, sql: str, params: Any = None) -> list[tuple[Any, ...]]:
        """Rows of a read query (DuckDB opened read-only)."""
        return query(self.engine, sql, params=params, **self.location)

    def table(self, layer: str, name: str) -> str:
        """`schema.name` of a relation in a layer (`metrics`, `marts`, `audit`, ...)."""
        return f"{getattr(self.schemas, layer)}.{name}"

    def serving(self) -> Warehouse:
        """Where readers read: on DuckDB the serving copy once it has been published (the
        builds' own file otherwise); on PostgreSQL the same database (the BI role's)."""
        if self.engine == "duckdb" and self.duckdb_path is not None:
            copy = serving_path_for(self.duckdb_path)
            if copy.exists():
                return replace(self, duckdb_path=copy)
        return self

    def env(self) -> dict[str, str]:
        """What the dbt profile reads from the environment for this warehouse (DuckDB's file;
        PostgreSQL's PG* variables are the process's own)."""
        if self.engine == "duckdb":
            return {"DBT_DUCKDB_PATH": str(self.duckdb_path)}
        if self.engine == "spark":
            return {"DBT_SPARK_HOME": str(self.spark_home)}
        return {}

    def dbt(self, profiles_dir: str | os.PathLike[str] | None = None, **kwargs: Any) -> DbtProject:
        """The dbt project bound to this warehouse: its target, its file, its schema vars."""
        project = project_dir()
        return DbtProject(
            project_dir=project,
            profiles_dir=Path(profiles_dir) if profiles_dir else ensure_profiles(project),
            target=self.engine,
            env_overrides=self.env() | dict(kwargs.pop("env_overrides", {})),
            vars=self.schemas.dbt_vars(),
            **kwargs,
        )


def serving_path_for(warehouse: Path) -> Path:
    """Where the serving copy of `warehouse` lives: $MARKETMETRICS_SERVING_PATH, or
    `<warehouse stem>_serving.duckdb` beside it (data/warehouse_serving.duckdb)."""
    env = os.environ.get("MARKETMETRICS_SERVING_PATH")
    if env:
        return Path(env).resolve()
    return warehouse.with_name(f"{warehouse.stem}_serving{warehouse.suffix or '.duckdb'}")
