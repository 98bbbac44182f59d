"""Stale sources fire alerts (marketmetrics.freshness), on both engines.

The raw tables of the metric fixture are landed and their `_synced_at` moved relative to now:
every table fresh (an hour ago) but `orders` (30 hours: past error_after, 24 h) and `payments`
(8 hours: past warn_after, 6 h). `dbt source freshness` runs on the warehouse; the two stale
tables become one critical and one warning alert, delivered through the same webhook and exit
code as metric alerts, and the dashboard lists them. The metric alert feed is empty here (the
metric side is test_alerts'), so every alert delivered is a freshness one.
"""

from __future__ import annotations

import io
import json

import pytest

from fixtures.metrics_raw import raw_tables
from marketmetrics.alerts import EXIT_CRITICAL, run_alerts
from marketmetrics.contract import TABLES
from marketmetrics.freshness import check_freshness, freshness_alerts, read_freshness

STALE = {"orders": ("error", 30), "payments": ("warn", 8)}
FEED = (
    "alert_id text, rule_name text, rule_type text, severity text, metric_name text, "
    "grain text, period_start date, dimension_name text, dimension_value text, "
    "metric_value double precision, comparator text, threshold_value double precision, "
    "baseline_mean double precision, baseline_stddev double precision, baseline_periods integer, "
    "anomaly_k double precision, is_open boolean, evaluated_through_date date"
)


@pytest.fixture(scope="module")
def checked(warehouse):
    warehouse.load(raw_tables())
    for table in TABLES:
        hours = STALE.get(table, (None, 1))[1]
        warehouse.execute(
            f"update raw.{table} set _synced_at = current_timestamp - interval '{hours} hours'"
        )
    warehouse.execute(
        f"create schema if not exists metrics; create table metrics.metric_alerts ({FEED})"
    )
    return warehouse, check_freshness(warehouse.dbt)


def test_every_raw_table_is_checked_and_exactly_the_stale_ones_are_stale(checked):
    warehouse, states = checked
    # Every raw table with a freshness limit: the category tree has none (freshness: null).
    assert {s.table for s in states} == set(TABLES) - {"categories"}
    by_table = {s.table: s for s in states}
    assert {t: s.status for t, s in by_table.items() if s.stale} == {
        t: status for t, (status, _) in STALE.items()
    }
    orders = by_table["orders"]
    assert (orders.source, orders.warn_after_hours, orders.error_after_hours) == ("order_db", 6, 24)
    assert orders.age_hours == pytest.approx(30, abs=0.2)
    assert by_table["web_events"].age_hours == pytest.approx(1, abs=0.2)
    # The same result is read back from dbt's artefact (what the dashboard uses).
    assert read_freshness(warehouse.dbt.target_path) == states


def test_stale_sources_alert_through_the_webhook_with_the_critical_exit_code(checked, webhook):
    warehouse, states = checked
    alerts = freshness_alerts(states)
    assert {(a.dimension_value, a.severity, a.threshold_value) for a in alerts} == {
        ("order_db.orders", "critical", 24.0),
        ("payment_db.payments", "warning", 6.0),
    }
    orders = next(a for a in alerts if a.dimension_value == "order_db.orders")
    assert orders.message.startswith("[critical] Raw table orders (order_db) is stale: newest row")
    assert "error after 24 h" in orders.message

    out = io.StringIO()
    code = run_alerts(
        warehouse.spec, extra=alerts, webhook_url=webhook.url("/ok"), timeout=5, out=out
    )
    assert code == EXIT_CRITICAL
    assert "2 open alert(s)" in out.getvalue() and "Raw table payments" in out.getvalue()
    (payload,) = webhook.bodies("/ok")
    assert {a["rule_name"] for a in payload["alerts"]} == {"source_freshness"}
    assert payload["text"] == "marketmetrics alerts: 1 critical, 1 warning"


def test_the_dashboard_lists_the_stale_sources(checked, tmp_path):
    from marketmetrics.dashboard import build_dashboard

    warehouse, states = checked
    # The page needs metric tables: an empty one of each grain is enough here.
    columns = (
        "metric_name text, period_start date, dimension_name text, dimension_value text, "
        "metric_value double precision, prior_period_value double precision, "
        "prior_year_value double precision, is_complete_period boolean"
    )
    for grain in ("daily", "weekly", "monthly"):
        warehouse.execute(f"create table if not exists metrics.metrics_{grain} ({columns})")
    build_dashboard(warehouse.spec, out_dir=tmp_path, freshness=states)
    data = json.loads((tmp_path / "data.json").read_text(encoding="utf-8"))
    assert [(s["table"], s["severity"]) for s in data["stale_sources"]] == [
        ("orders", "critical"),
        ("payments", "warning"),
    ]
    assert data["stale_sources"][0]["age_hours"] == pytest.approx(30, abs=0.2)
