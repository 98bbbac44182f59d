"""History that only ever sees audited data, whatever is run, on both engines.

After a good build, the replica breaks: `orders` is emptied and `products` keeps only the rows
of its highest key (its one current product goes). Every way a snapshot can be reached then
runs in turn (the sync job, the weekly full refresh, a bare `dbt snapshot`, the snapshot step
of docs/scheduling.md, a `--select` of the snapshots' sources, a run without tests that
full-refreshes their parents), and after each one no history record has changed. With the
replica restored, the next sync job is green and leaves the snapshots, marts and metric tables
exactly as the good build left them.

Then history damaged the old way (a snapshot that read the broken replica, then re-inserted
the keys once it was whole) is repaired by `dbt run-operation repair_history` into exactly the
history that never saw it.
"""

from __future__ import annotations

from typing import Any

import pytest

from fixtures.foundation_raw import raw_tables
from marketmetrics.cycles import SNAPSHOT_CYCLE_ARGS
from marketmetrics.dbt_runner import failed_nodes

SNAPSHOTS = ("snap_products", "snap_sellers", "snap_customers", "snap_orders")
SYNC_JOB = ("build", "--selector", "sync", "--vars", "{test_scope: changed}")
WEEKLY_JOB = ("build", "--selector", "weekly", "--full-refresh")
# (what is run, dbt arguments, whether dbt succeeds)
COMMANDS: tuple[tuple[str, tuple[str, ...], bool], ...] = (
    ("the sync job", SYNC_JOB, False),
    ("the weekly job", WEEKLY_JOB, False),
    ("a bare dbt snapshot", ("snapshot",), True),
    ("the snapshot step of docs/scheduling.md", SNAPSHOT_CYCLE_ARGS, False),
    ("the snapshots' sources selected alone", ("run", "--select", "tag:snapshot_source"), False),
    ("a dbt snapshot after that", ("snapshot",), True),
    (
        "their parents full-refreshed without tests",
        ("run", "--select", "+tag:snapshot_source", "--full-refresh"),
        False,
    ),
    ("a build of the snapshots with their parents", ("build", "--select", "+snap_orders"), False),
)


def _table(warehouse, schema: str, name: str, skip_bookkeeping: bool = False) -> list[tuple]:
    columns = [
        c
        for (c,) in warehouse.query(
            "select column_name from information_schema.columns "
            f"where table_schema = '{schema}' and table_name = '{name}' order by ordinal_position"
        )
        if not (skip_bookkeeping and c.startswith("_"))
    ]
    selected = ", ".join(f'"{c}"' for c in columns)
    return sorted(warehouse.query(f'select {selected} from "{schema}"."{name}"'), key=repr)


def _history(warehouse) -> dict[str, list[tuple]]:
    """Every record of every snapshot, every column."""
    return {name: _table(warehouse, "snapshots", name) for name in SNAPSHOTS}


def _readers(warehouse) -> dict[str, list[tuple]]:
    """Every mart and metric table, bookkeeping stamps (`_` columns) aside.

    The data-quality report (`dq_*`) is not a reader's number: it reports on each build (its
    test results, its freshness clock, the raw volumes as synced) and is meant to show a
    broken replica (docs/decisions.md).
    """
    tables = warehouse.query(
        "select table_schema, table_name from information_schema.tables "
        "where table_schema in ('marts', 'metrics') and table_type = 'BASE TABLE' "
        "and left(table_name, 3) <> 'dq_'"
    )
    return {
        f"{schema}.{name}": _table(warehouse, schema, name, skip_bookkeeping=True)
        for schema, name in tables
    }


@pytest.fixture(scope="module")
def good(warehouse) -> dict[str, Any]:
    warehouse.load(raw_tables())
    warehouse.dbt.run("build", "--exclude-resource-type", "unit_test")
    history = _history(warehouse)
    assert {name: len(rows) for name, rows in history.items()} == {
        "snap_products": 1,
        "snap_sellers": 1,
        "snap_customers": 4,
        "snap_orders": 2,
    }
    return {"history": history, "readers": _readers(warehouse)}


def test_a_broken_replica_never_reaches_the_history(warehouse, good):
    for table in ("orders", "products"):
        warehouse.execute(f"create table raw.{table}_saved as select * from raw.{table}")
    warehouse.execute("delete from raw.orders")
    # The one current product (p1) goes; rows of the highest key stay.
    warehouse.execute(
        "delete from raw.products where product_id <> (select max(product_id) from raw.products)"
    )
    said: dict[str, str] = {}
    try:
        for what, args, succeeds in COMMANDS:
            result = warehouse.dbt.run(*args, check=False)
            said[what] = result.stdout
            assert result.ok == succeeds, (what, result.tail())
            assert _history(warehouse) == good["history"], what
            if not succeeds:
                failed = {
                    name: status for name, status, _ in failed_nodes(warehouse.dbt.target_path)
                }
                assert not any(
                    name.startswith("snap_") and status not in ("skipped",)
                    for name, status in failed.items()
                ), (what, failed)
        # What the guards say.
        assert (
            "base_orders was not rebuilt and keeps its last good rows: the raw table orders "
            "shrank to 0 rows from 7 at the last accepted build"
        ) in said["the snapshot step of docs/scheduling.md"]
        assert (
            "int_orders_for_snapshot is rebuilt only in the run that audits its rows, so that "
            "snapshots read audited rows only: run `dbt build --select +int_orders_for_snapshot`"
        ) in said["the snapshots' sources selected alone"]
    finally:
        for table in ("orders", "products"):
            warehouse.execute(f"delete from raw.{table}")
            warehouse.execute(f"insert into raw.{table} select * from raw.{table}_saved")
            warehouse.execute(f"drop table raw.{table}_saved")

    # The replica whole again: the next sync is green and equal to a build that never saw the
    # truncation (no base table took the truncated rows, so no full refresh is needed).
    result = warehouse.dbt.run(*SYNC_JOB, check=False)
    assert result.ok, result.tail()
    assert _history(warehouse) == good["history"]
    assert _readers(warehouse) == good["readers"]


def test_a_failed_audit_stops_the_snapshots_sources_with_one_sentence(warehouse, good):
    # The quarantine above its share: the base tables are rebuilt, the audit fails, and the
    # snapshot step (no tests) is stopped at the snapshots' sources.
    step = warehouse.dbt.run(
        *SNAPSHOT_CYCLE_ARGS,
        vars={"quarantine_min_rows": 0, "quarantine_max_share": {"default": 0.01}},
        check=False,
    )
    assert not step.ok
    assert (
        "int_customers_for_snapshot was not rebuilt and the snapshots keep the last audited "
        "state, because the audit failed: api_request_logs has 3 of 6 rows quarantined"
    ) in step.stdout
    assert _history(warehouse) == good["history"]


def test_history_damaged_the_old_way_is_repaired(warehouse, good):
    """A snapshot that read a broken replica closed every key it missed; once the replica was
    whole, the next snapshot inserted those keys again (same dbt_scd_id)."""
    damaged = _damage(warehouse)
    check = warehouse.dbt.run("test", "--select", "resource_type:snapshot", check=False)
    assert not check.ok
    failed = {
        name for name, status, _ in failed_nodes(warehouse.dbt.target_path) if status == "fail"
    }
    assert failed == {"rules_snap_orders", "rules_snap_products"}
    assert "rules_snap_orders: unique(dbt_scd_id) broken (2 failing, error)" in check.stdout
    assert "rules_snap_products: unique(dbt_scd_id) broken (1 failing, error)" in check.stdout

    closed_from, closed_to = damaged
    listed = warehouse.dbt.run("run-operation", "repair_history")
    assert "snap_orders: 2 records closed without a successor at " in listed.stdout
    assert "snap_products: 1 records closed without a successor at " in listed.stdout
    repaired = warehouse.dbt.run(
        "run-operation",
        "repair_history",
        "--args",
        f"{{closed_from: '{closed_from}', closed_to: '{closed_to}'}}",
    )
    assert "snap_orders: repaired 2 records closed between" in repaired.stdout
    assert "snap_customers: repaired 0 records closed between" in repaired.stdout
    assert _history(warehouse) == good["history"]
    assert warehouse.dbt.run("test", "--select", "resource_type:snapshot", check=False).ok


def _damage(warehouse) -> tuple[str, str]:
    """What dbt's snapshot did before the gate, reproduced on the relations it reads: the
    snapshots' sources emptied of orders and products, a snapshot (it closes the missing keys
    at each snapshot's clock), then the sources rebuilt whole and a snapshot again. The span
    of the damaging run's closings."""
    warehouse.execute("delete from intermediate.int_orders_for_snapshot")
    warehouse.execute("delete from intermediate.int_products_for_snapshot")
    warehouse.dbt.run("snapshot")
    ((closed_from, closed_to),) = warehouse.query(
        "select cast(min(dbt_valid_to) as varchar), cast(max(dbt_valid_to) as varchar) from ("
        "select dbt_valid_to from snapshots.snap_orders union all "
        "select dbt_valid_to from snapshots.snap_products) as closed"
    )
    warehouse.dbt.run(
        "build", "--select", "+tag:snapshot_source", "--exclude-resource-type", "test"
    )
    warehouse.dbt.run("snapshot")
    return str(closed_from), str(closed_to)
