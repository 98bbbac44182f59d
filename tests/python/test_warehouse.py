"""One description of the warehouse (marketmetrics.warehouse): the schema names Python uses are
the ones dbt writes, with the defaults and under renamed vars; the CLI resolves its arguments
into that one value. Readers following a renamed schema end to end: test_dashboard.py (metric
tables and alerts under another metrics schema, both engines) and test_serving.py (the CLI's
--vars, a renamed marts schema published to the serving copy)."""

from __future__ import annotations

import json
from dataclasses import fields
from pathlib import Path

import pytest
import yaml

from conftest import REPO_ROOT
from marketmetrics.cli import _resolve_warehouse, build_parser
from marketmetrics.dbt_runner import DbtProject
from marketmetrics.warehouse import Schemas, Warehouse

# One node per layer, and what Schemas calls that layer.
LAYER_NODES = {
    "staging": "model.marketmetrics.stg_orders",
    "intermediate": "model.marketmetrics.int_metric_periods",
    "marts": "model.marketmetrics.fct_orders",
    "metrics": "model.marketmetrics.metrics_daily",
    "snapshots": "snapshot.marketmetrics.snap_orders",
    "audit": "model.marketmetrics.audit_quarantine",
    "reference": "seed.marketmetrics.payment_method_fees",
}


def _resolved(tmp_path: Path, profiles_dir: Path, dbt_vars: dict[str, str]) -> dict[str, str]:
    """The schema dbt gives each layer's node, the raw source's and the private var's."""
    dbt = DbtProject(
        project_dir=REPO_ROOT,
        profiles_dir=profiles_dir,
        target="duckdb",
        env_overrides={"DBT_DUCKDB_PATH": str(tmp_path / "w.duckdb")},
        target_path=tmp_path / "target",
        log_path=tmp_path / "logs",
        vars=dbt_vars,
    )
    dbt.run("parse")
    manifest = json.loads((tmp_path / "target" / "manifest.json").read_text())
    nodes = manifest["nodes"]
    out = {layer: nodes[node]["schema"] for layer, node in LAYER_NODES.items()}
    out["raw"] = manifest["sources"]["source.marketmetrics.order_db.orders"]["schema"]
    # The key's schema is only named in SQL (macros/staging/pii_key.sql): the var, or its
    # default in dbt_project.yml.
    project_vars = yaml.safe_load((REPO_ROOT / "dbt_project.yml").read_text())["vars"]
    out["private"] = dbt_vars.get("private_schema", project_vars["private_schema"])
    return out


def test_the_python_defaults_are_the_names_dbt_writes(tmp_path, profiles_dir):
    got = _resolved(tmp_path, profiles_dir, {})
    defaults = Schemas()
    assert got == {f.name: getattr(defaults, f.name) for f in fields(Schemas)}


def test_renamed_schemas_resolve_as_dbt_resolves_them(tmp_path, profiles_dir):
    renamed = Schemas(**{f.name: f"x_{f.name}" for f in fields(Schemas)})
    dbt_vars = renamed.dbt_vars()
    assert set(dbt_vars) == {f.metadata["var"] for f in fields(Schemas)}
    assert Schemas.from_vars(dbt_vars) == renamed
    got = _resolved(tmp_path, profiles_dir, dbt_vars)
    assert got == {f.name: getattr(renamed, f.name) for f in fields(Schemas)}


def test_the_cli_resolves_its_arguments_once_into_one_warehouse(tmp_path, monkeypatch):
    monkeypatch.delenv("DBT_DUCKDB_PATH", raising=False)
    args = build_parser().parse_args(
        [
            "dashboard",
            "--duckdb-path",
            str(tmp_path / "w.duckdb"),
            "--vars",
            "{metrics_schema: kpi, reporting_time_zone: UTC}",
            "--raw-schema",
            "landing",
        ]
    )
    warehouse = _resolve_warehouse(args)
    assert warehouse == Warehouse(
        "duckdb",
        duckdb_path=tmp_path / "w.duckdb",
        schemas=Schemas(metrics="kpi", raw="landing"),
    )
    assert warehouse.table("metrics", "metric_alerts") == "kpi.metric_alerts"
    assert warehouse.dbt().vars == {"raw_schema": "landing", "metrics_schema": "kpi"}
    # Parquet files are no warehouse: nothing to resolve.
    assert (
        _resolve_warehouse(build_parser().parse_args(["generate", "--target", "parquet"])) is None
    )


def test_postgres_is_located_as_the_profile_locates_it(monkeypatch):
    for name in ("PGHOST", "PGPORT", "PGUSER", "PGDATABASE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("PGDATABASE", "shop")
    warehouse = Warehouse.resolve("postgres")
    assert warehouse.conninfo == (
        "host=localhost port=5432 user=marketmetrics_transformer dbname=shop connect_timeout=10"
    )
    assert warehouse.describe() == "PostgreSQL database shop"
    with pytest.raises(ValueError, match="needs its file"):
        Warehouse("duckdb")
