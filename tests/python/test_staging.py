"""End to end on both engines: the hand-built raw fixture through seeds, staging and audit.

Expected values come from tests/python/fixtures/foundation_raw.py, counted by hand.
"""

from __future__ import annotations

from datetime import datetime

import pytest

from fixtures.foundation_raw import EXPECTED_FATES, EXPECTED_QUARANTINE, raw_tables

FATES = ("current", "superseded", "duplicate", "tombstone", "quarantined")


@pytest.fixture(scope="module")
def built(warehouse):
    raw = raw_tables()
    warehouse.load(raw)
    # The whole project: seeds, staging, audit and every data test; warnings (the quarantine
    # report, late parents) are allowed, errors are not.
    warehouse.dbt.run("build")
    warehouse.raw_row_counts = {name: table.num_rows for name, table in raw.items()}
    return warehouse


def test_every_raw_row_is_accounted_for(built):
    rows = built.query(
        "select source_table, raw_rows, current_rows, superseded_rows, duplicate_rows, "
        "tombstone_rows, quarantined_rows, staged_rows, unaccounted_rows "
        "from audit.audit_row_reconciliation"
    )
    got = {r[0]: r[1:] for r in rows}
    assert set(got) == set(EXPECTED_FATES)
    for table, expected in EXPECTED_FATES.items():
        raw_rows, *fates, staged, unaccounted = got[table]
        assert raw_rows == built.raw_row_counts[table], table
        assert tuple(fates) == expected, table
        assert staged == expected[0], table
        assert unaccounted == 0, table


def test_quarantine_holds_each_bad_row_with_its_reason(built):
    rows = built.query("select source_table, record_key, reject_reason from audit.audit_quarantine")
    assert sorted(rows, key=str) == sorted(EXPECTED_QUARANTINE, key=str)


def test_current_versions_are_kept(built):
    statuses = dict(built.query("select customer_id, status from staging.stg_customers"))
    # c1's newest version, c3's untidy status cleaned, c7's last good version before a bad one
    assert statuses == {1: "paid_member", 3: "regular", 7: "regular", 8: "withdrawn"}

    orders = built.query(
        "select order_id, status, session_id, ordered_at, paid_at from staging.stg_orders "
        "order by order_id"
    )
    assert orders == [
        (1, "paid", "s-1", datetime(2026, 3, 1, 15, 30), datetime(2026, 3, 1, 15, 32)),
        (4, "cancelled", None, datetime(2026, 3, 1, 15, 30), None),
    ]
    categories = dict(built.query("select category_id, category_name from staging.stg_categories"))
    assert categories == {1: "fashion", 11: "shoes", 2: "electronics"}


def test_tombstoned_entities_vanish(built):
    assert built.query(
        "select count(*) from staging.stg_customers where customer_id in (2, 6)"
    ) == [(0,)]
    assert built.query("select product_id from staging.stg_products") == [(1,)]
    assert built.query("select return_id from staging.stg_returns") == [(1,)]


def test_events_are_counted_once_and_cleaned(built):
    events = built.query("select event_id, device from staging.stg_web_events order by event_id")
    assert events == [(1, "web"), (2, "web"), (3, "web"), (4, "android"), (7, "ios")]
    methods = built.query(
        "select request_id, http_method, status_code from staging.stg_api_request_logs "
        "order by request_id"
    )
    assert methods == [(1, "POST", 200), (2, "POST", None), (3, "POST", 503)]
    assert built.query(
        "select cpu_utilization_pct, memory_utilization_pct from staging.stg_host_metrics"
    ) == [(41.5, 63.25)]


def test_personal_data_is_hashed(built):
    columns = {
        r[0]
        for r in built.query(
            "select column_name from information_schema.columns "
            "where table_schema = 'staging' and table_name = 'stg_customers'"
        )
    }
    assert {"email", "phone", "name"}.isdisjoint(columns)
    hashes = dict(built.query("select customer_id, email_hash from staging.stg_customers"))
    # '  Park@Example.com ' and 'park@example.com' are the same address
    assert hashes[3] == hashes[8]
    assert len(hashes[3]) == 32
    assert hashes[1] != hashes[3]


def test_dbt_docs_generate_offline_with_every_metric_definition(built):
    import json

    built.dbt.run("docs", "generate")
    manifest = json.loads((built.dbt.target_path / "manifest.json").read_text())
    assert (built.dbt.target_path / "catalog.json").is_file()
    node = manifest["nodes"]["model.marketmetrics.metric_catalog"]
    for name in ("payment_success_rate", "order_conversion_rate", "api_latency_ms_p99", "nps"):
        assert f"`{name}`" in node["description"]
