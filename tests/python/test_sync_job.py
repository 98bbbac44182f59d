"""The sync job runs what the raw tables' new rows reach, and no more.

After a complete build (macros/quality/complete_builds.sql) the job compares each raw table's
row count with the count audit_raw_volumes took at that build's start
(marketmetrics.jobs.sync_arguments). On the hand-built fixture: a sync with no new row runs the
audit and quality report only (and the views over a table they rebuild); a new order reaches
the order marts and the metric tables but not the search marts; a web event without
`_synced_at` (no watermark sees it) still makes its table touched and is accounted for; a row
replicated "in the future" has its base model and what it reaches run by every sync until the
clock passes it and it reaches the marts; a build of part of the project is not complete.
"""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pyarrow as pa
import pytest

from fixtures.foundation_raw import DAY, T0, raw_tables
from marketmetrics.jobs import JOBS, SYNC_ALWAYS, manifest_is_current, plan_sync, seeds_changed


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


def test_a_sync_without_new_rows_runs_the_audit_and_quality_only(synced):
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
    assert {"audit_row_reconciliation", "audit_raw_volumes", "audit_quarantine"} <= ran
    assert {"dq_source_freshness", "dq_summary"} <= ran
    assert not {
        name for name in ran if name.startswith(("base_", "fct_", "dim_", "metrics_", "int_"))
    } - set(views)
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


def test_the_seeds_load_again_only_after_a_seed_file_changed(synced, tmp_path: Path):
    """The no-data sync above loaded no seed (its arguments name none): every seed file is older
    than the last complete build. A seed file written after it brings the seeds back."""
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    fees = seeds / "payment_method_fees.csv"
    fees.write_text("payment_method,fee_rate\ncard,0.02\n")
    os.utime(fees, (0, 0))  # 1970: older than any build
    [(started,)] = synced.query("select max(run_started_at) from audit.dbt_complete_builds")
    assert not seeds_changed(started, tmp_path)
    fees.touch()  # edited now, after the last complete build
    assert seeds_changed(started, tmp_path)
    assert seeds_changed(started, None)  # no project to look at: load them


def test_a_row_from_the_future_is_judged_again_by_every_sync_until_it_is_accepted(synced):
    """A row replicated more than `future_tolerance_hours` ahead of the build's clock is
    quarantined and re-judged by its base model on every sync: the job runs that base model and
    what it reaches even when its raw table has no new row, so the row reaches the marts on the
    sync after the clock passed it, and the table is quiet again after that."""
    searches = "select count(*) from marts.fct_searches where search_id = 902"
    _append(
        synced,
        "search_logs",
        [
            dict(
                search_id=902,
                session_id="s-1",
                customer_id=1,
                query="sneakers",
                result_count=3,
                clicked_product_id=None,
                searched_at=T0 + DAY,
                _synced_at=datetime.now(UTC) + timedelta(days=3),
            )
        ],
    )
    _, ran = _sync(synced)
    assert "base_search_logs" in ran
    assert synced.query(
        "select _row_status, _reject_reason from staging.base_search_logs where search_id = 902"
    ) == [("quarantined", "future_synced_at")]

    args, ran = _sync(synced)  # nothing new: the pending row's table runs again
    assert {"base_search_logs", "fct_searches"} <= ran
    assert not {"base_orders", "fct_orders", "base_web_events"} & ran
    assert synced.query(searches) == [(0,)]

    # The clock passes it (as if the days went by: its replication instant is now behind us).
    synced.execute(
        "update raw.search_logs set _synced_at = current_timestamp - interval '1 hour' "
        "where search_id = 902"
    )
    _, ran = _sync(synced)
    assert {"base_search_logs", "fct_searches"} <= ran
    assert synced.query(searches) == [(1,)]

    _, ran = _sync(synced)  # accepted: nothing pending any more
    assert "base_search_logs" not in ran


def test_a_build_of_part_of_the_project_is_not_complete(synced):
    before = _complete_builds(synced)
    synced.dbt.run("build", "--select", "base_orders", vars=JOBS["sync"][1] | {"sync_job": False})
    # Staging, the audit and the quality report pass (audit_raw_volumes counted the raw
    # tables), but the marts, the snapshots and all below them were left out. (dbt ignores
    # `--exclude` beside `--selector`: the exclusion goes alone.)
    done = synced.dbt.run("build", "--exclude", "path:models/marts+", "resource_type:snapshot+")
    assert "ERROR=0" in done.stdout
    results = json.loads((Path(synced.dbt.target_path) / "run_results.json").read_text())
    statuses = {r["unique_id"].split(".")[-1]: r["status"] for r in results["results"]}
    assert statuses["audit_raw_volumes"] == "success" and "fct_orders" not in statuses
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
