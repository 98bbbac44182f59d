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
        "tombstone_rows, quarantined_rows, unaccounted_rows, volume_accepted, "
        "quarantine_within_limit "
        "from audit.audit_row_reconciliation"
    )
    got = {r[0]: r[1:] for r in rows}
    assert set(got) == set(EXPECTED_FATES)
    for table, expected in EXPECTED_FATES.items():
        raw_rows, *fates, unaccounted, volume_accepted, quarantine_ok = got[table]
        assert raw_rows == built.raw_row_counts[table], table
        assert tuple(fates) == expected, table
        assert unaccounted == 0, table
        # A first build has no baseline; the fixture's tables are below quarantine_min_rows.
        assert volume_accepted is True and quarantine_ok is True, table
        staged = built.query(f"select count(*) from staging.stg_{table}")[0][0]
        assert staged == expected[0], table


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
    assert len(hashes[3]) == 64  # HMAC-SHA256 in hex (test_pseudonyms checks the values)
    assert hashes[1] != hashes[3]


def test_dbt_docs_generate_offline_with_every_metric_definition(built):
    import json

    built.dbt.run("docs", "generate")
    manifest = json.loads((built.dbt.target_path / "manifest.json").read_text())
    assert (built.dbt.target_path / "catalog.json").is_file()
    # The docs show every metric as the semantic layer declares it, beside its fact's semantic
    # model (the stocks, which no measure expresses, are in their interval models' meta).
    metrics = {node["name"]: node for node in manifest["metrics"].values()}
    for name in ("payment_success_rate", "order_conversion_rate", "api_latency_ms_p99", "nps"):
        assert metrics[name]["description"].strip(), name
        assert metrics[name]["config"]["meta"]["label_ko"], name
    assert metrics["gmv"]["type_params"]["measure"]["name"] == "gmv"
    semantic = {node["name"]: node for node in manifest["semantic_models"].values()}
    assert "gmv" in {m["name"] for m in semantic["fct_order_items"]["measures"]}


def _warehouse_comments(built) -> tuple[dict[str, str], dict[tuple[str, str], str]]:
    """Table and column comments of the project's schemas, as the engine stores them."""
    if built.engine == "duckdb":
        tables = built.query(
            "select schema_name || '.' || table_name, comment from duckdb_tables() "
            "where comment is not null union all "
            "select schema_name || '.' || view_name, comment from duckdb_views() "
            "where comment is not null and not internal"
        )
        columns = built.query(
            "select schema_name || '.' || table_name, column_name, comment "
            "from duckdb_columns() where comment is not null"
        )
    else:
        tables = built.query(
            "select n.nspname || '.' || c.relname, obj_description(c.oid, 'pg_class') "
            "from pg_class c join pg_namespace n on n.oid = c.relnamespace "
            "where obj_description(c.oid, 'pg_class') is not null"
        )
        columns = built.query(
            "select n.nspname || '.' || c.relname, a.attname, col_description(c.oid, a.attnum) "
            "from pg_class c join pg_namespace n on n.oid = c.relnamespace "
            "join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 "
            "where col_description(c.oid, a.attnum) is not null"
        )
    return dict(tables), {(t, c): text for t, c, text in columns}


def test_every_documented_table_and_column_carries_its_description(built):
    import json

    manifest = json.loads((built.dbt.target_path / "manifest.json").read_text())
    tables, columns = _warehouse_comments(built)
    existing = {
        f"{schema}.{name}"
        for schema, name in built.query(
            "select table_schema, table_name from information_schema.tables"
        )
    }
    checked_tables = checked_columns = 0
    for node in manifest["nodes"].values():
        if node["resource_type"] != "model" or not node["description"].strip():
            continue
        relation = f"{node['schema']}.{node['alias']}"
        if relation not in existing:  # a model this module did not build
            continue
        assert tables.get(relation) == node["description"], relation
        checked_tables += 1
        for name, column in node["columns"].items():
            if column["description"].strip():
                assert columns.get((relation, name)) == column["description"], (relation, name)
                checked_columns += 1
    # staging, audit and the rest of what this module builds, on both engines
    assert checked_tables >= 40 and checked_columns >= 200, (checked_tables, checked_columns)
    assert "stg_orders" in " ".join(tables)


# Write-audit-publish. These two run last: they change the module's warehouse.
GATED = (
    "audit_raw_volumes",
    "audit_row_reconciliation",
    "stg_customers",
    "int_customers_for_snapshot",
    "snap_customers",
)


def _gated_build(warehouse, **vars_):
    from marketmetrics.dbt_runner import failed_nodes

    result = warehouse.dbt.run("build", "--select", *GATED, vars=vars_ or None, check=False)
    return result, {name: status for name, status, _ in failed_nodes(warehouse.dbt.target_path)}


def test_a_quarantine_above_its_share_stops_what_readers_see(built):
    before = built.query("select customer_id, status from staging.stg_customers order by 1")
    # The fixture's customers table: 4 of its raw rows are quarantined, far above 1 %, once
    # the minimum volume is lifted.
    result, failed = _gated_build(
        built, quarantine_min_rows=0, quarantine_max_share={"default": 0.01}
    )
    assert not result.ok
    assert failed["audit_quarantine_within_its_share"] == "fail"
    assert failed["stg_customers"] == "skipped" and failed["snap_customers"] == "skipped"
    assert "audit_every_raw_row_accounted_for" not in failed
    assert built.query("select customer_id, status from staging.stg_customers order by 1") == before


def test_a_truncated_raw_table_stops_staging_and_snapshots(built):
    before = built.query("select customer_id, status from staging.stg_customers order by 1")
    snapshot = built.query("select count(*), count(dbt_valid_to) from snapshots.snap_customers")
    built.execute("create table raw.customers_saved as select * from raw.customers")
    built.execute("delete from raw.customers")
    try:
        result, failed = _gated_build(built)
        assert not result.ok
        assert failed["audit_raw_table_did_not_shrink"] == "fail"
        assert failed["stg_customers"] == "skipped" and failed["snap_customers"] == "skipped"
        # The readers' tables and the history are untouched: no key closed.
        assert built.query("select customer_id, status from staging.stg_customers order by 1") == (
            before
        )
        assert (
            built.query("select count(*), count(dbt_valid_to) from snapshots.snap_customers")
            == snapshot
        )
        # The rejected count never becomes the baseline: a second try is refused too.
        _, failed_again = _gated_build(built)
        assert failed_again["audit_raw_table_did_not_shrink"] == "fail"
    finally:
        built.execute("insert into raw.customers select * from raw.customers_saved")
        built.execute("drop table raw.customers_saved")
    # The source whole again: the gate opens.
    result, failed = _gated_build(built)
    assert result.ok, failed
    assert built.query("select customer_id, status from staging.stg_customers order by 1") == before
