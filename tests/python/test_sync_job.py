"""The sync job runs what the raw tables' new rows reach, and no more.

After a complete build (macros/quality/complete_builds.sql) the job compares each raw table's
row count with the count audit_raw_volumes took at that build's start
(marketmetrics.jobs.sync_arguments). On the hand-built fixture: a sync with no new row runs the
base tables, audit and quality report only (and the views over a table they rebuild); a new
order reaches the order marts and the metric tables but not the search marts; a web event
without `_synced_at` (no watermark sees it) still makes its table touched and is accounted for;
a build of part of the project is not complete.
"""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa
import pytest

from fixtures.foundation_raw import DAY, T0, raw_tables
from marketmetrics.jobs import JOBS, SYNC_ALWAYS, manifest_is_current, plan_sync


def _sync(warehouse) -> tuple[tuple[str, ...], set[str]]:
    """Run the sync job's dbt build; its arguments and the models and snapshots it ran."""
    args, job_vars = plan_sync(warehouse.spec, warehouse.dbt)
    warehouse.dbt.run("build", *args, vars=job_vars)
    results = json.loads((Path(warehouse.dbt.target_path) / "run_results.json").read_text())
    ran = {
        r["unique_id"].split(".")[-1]
        for r in results["results"]
        if r["unique_id"].startswith(("model.", "snapshot."))
    }
    return args, ran


def _complete_builds(warehouse) -> int:
    return warehouse.query("select count(*) from audit.dbt_complete_builds")[0][0]


def _append(warehouse, table: str, rows: list[dict]) -> None:
    schema = raw_tables()[table].schema
    warehouse.load({table: pa.Table.from_pylist(rows, schema=schema)}, mode="append")


@pytest.fixture(scope="module")
def synced(warehouse):
    warehouse.load(raw_tables())
    args, ran = _sync(warehouse)
    # no complete build yet: the whole sync selector
    assert args == JOBS["sync"][0]
    assert "fct_orders" in ran and "metrics_daily" in ran
    assert _complete_builds(warehouse) == 1
    return warehouse


def test_a_sync_without_new_rows_runs_the_base_tables_audit_and_quality_only(synced):
    args, ran = _sync(synced)
    # the views that read audit_held_rows, a table every sync rebuilds (PostgreSQL drops them
    # with it), and the view over one of them
    views = (
        "int_order_items_aggregated_to_orders",
        "stg_order_items",
        "stg_refunds",
        "stg_returns",
    )
    assert args == ("--select", *views, *SYNC_ALWAYS, "--exclude", "resource_type:unit_test")
    assert {"base_orders", "base_web_events", "audit_row_reconciliation"} <= ran
    assert {"dq_source_freshness", "dq_summary"} <= ran
    assert not {name for name in ran if name.startswith(("fct_", "dim_", "metrics_"))}
    assert _complete_builds(synced) == 2


def test_a_new_order_reaches_the_order_marts_and_metrics_only(synced):
    [(orders_before,)] = synced.query("select count(*) from marts.fct_orders")
    _append(
        synced,
        "orders",
        [
            dict(
                order_id=900,
                customer_id=1,
                session_id="s-1",
                status="created",
                ordered_at=T0 + 3 * DAY,
                updated_at=T0 + 3 * DAY,
                _is_deleted=False,
                # after every fixture row: the base model's watermark reads it
                _synced_at=T0 + 4 * DAY,
            )
        ],
    )
    args, ran = _sync(synced)
    assert {"base_orders", "fct_orders", "fct_sessions", "metrics_daily", "metric_alerts"} <= set(
        args
    )
    assert {"fct_orders", "fct_sessions", "snap_orders", "metrics_daily", "metric_alerts"} <= ran
    # not reached by an order: only run when their own raw tables have new rows
    assert not {"fct_searches", "fct_api_requests", "fct_host_samples", "dim_sellers"} & ran
    assert synced.query("select status from marts.fct_orders where order_id = 900") == [
        ("created",)
    ]
    assert synced.query("select count(*) from marts.fct_orders")[0][0] == orders_before + 1
    assert _complete_builds(synced) == 3


def test_a_row_without_synced_at_makes_its_table_touched(synced):
    _append(
        synced,
        "web_events",
        [
            dict(
                event_id=901,
                session_id="s-901",
                event_type="page_view",
                channel="organic_search",
                device="web",
                occurred_at=T0,
                _synced_at=None,
            )
        ],
    )
    args, ran = _sync(synced)
    assert {"fct_web_events", "fct_sessions"} <= ran
    assert "fct_orders" not in args
    assert synced.query(
        "select _row_status, _reject_reason from staging.base_web_events where event_id = 901"
    ) == [("quarantined", "missing_synced_at")]
    assert synced.query(
        "select unaccounted_rows from audit.audit_row_reconciliation "
        "where source_table = 'web_events'"
    ) == [(0,)]


def test_a_build_of_part_of_the_project_is_not_complete(synced):
    before = _complete_builds(synced)
    synced.dbt.run("build", "--select", "base_orders", vars=JOBS["sync"][1] | {"sync_job": False})
    synced.dbt.run("build", "--selector", "sync", "--exclude", "fct_searches")
    assert _complete_builds(synced) == before


def test_the_manifest_is_parsed_again_when_a_project_file_changed(tmp_path: Path):
    import os

    project = tmp_path / "project"
    (project / "models").mkdir(parents=True)
    model = project / "models" / "a.sql"
    model.write_text("select 1")
    (project / "dbt_project.yml").write_text("name: x")
    manifest = tmp_path / "target" / "manifest.json"
    assert not manifest_is_current(manifest, project)
    manifest.parent.mkdir()
    manifest.write_text("{}")
    os.utime(model, (1_000_000, 1_000_000))
    os.utime(project / "dbt_project.yml", (1_000_000, 1_000_000))
    os.utime(manifest, (2_000_000, 2_000_000))
    assert manifest_is_current(manifest, project)
    os.utime(model, (3_000_000, 3_000_000))
    assert not manifest_is_current(manifest, project)
