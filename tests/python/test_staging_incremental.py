"""Incremental staging gives the same base tables as a full refresh, on both engines.

The hand-built fixture (tests/python/fixtures/foundation_raw.py) is delivered in three
replication cycles split by `_synced_at`, with a few rows added per cycle for the cases the
base models treat specially. After each cycle staging and audit are built incrementally; at
the end every base_* table must equal, row for row and column for column, a full refresh over
the same raw data.

The split exercises, among others: customer 1, whose newer version arrives in cycle 2 and is
re-delivered in cycle 3; customer 2 and return 2, tombstoned in a later cycle; a null-key row
in every cycle (null keys share one window partition, so each new one re-ranks the old ones);
a row without `_synced_at`, whose key is re-classified when a later version arrives.
fct_sessions is built and compared too, with no lookback, so that sessions are recomputed only
because an event arrived or because their has_order changed (order 6 is placed in one session,
moved to another, then deleted).
"""

from __future__ import annotations

from datetime import datetime

import pyarrow as pa
import pyarrow.compute as pc
import pytest

from fixtures.foundation_raw import DAY, MIN, T0, raw_tables
from marketmetrics.contract import TABLES

# Models only, in dependency order: data tests are other modules' business.
BUILD = (
    "build",
    "--select",
    "+audit_row_reconciliation",
    "+audit_quarantine",
    "+fct_sessions",
    "--exclude-resource-type",
    "test",
    "--exclude-resource-type",
    "unit_test",
)
NO_LOOKBACK = {"lookback_days": 0}
# Cycle i delivers the fixture rows synced in (CYCLE_ENDS[i - 1], CYCLE_ENDS[i]].
CYCLE_ENDS: tuple[datetime | None, ...] = (T0 + 2 * MIN, T0 + DAY + MIN, None)


def _extra_rows(cycle: int) -> dict[str, list[dict]]:
    """Rows added to the fixture in a cycle: the cases keyed by nothing or by no instant."""
    synced = T0 + cycle * DAY + 5 * MIN
    rows: dict[str, list[dict]] = {
        "customers": [
            # a null key each cycle, each newer than the last: the old ones' ranks move
            dict(
                customer_id=None,
                email=f"null{cycle}@example.com",
                status="regular",
                signed_up_at=T0,
                updated_at=T0 + cycle * DAY,
                _synced_at=synced,
            ),
        ],
        "web_events": [
            dict(
                event_id=None,
                session_id=f"s-null-{cycle}",
                event_type="page_view",
                channel="organic_search",
                device="web",
                occurred_at=T0,
                _synced_at=synced,
            ),
        ],
    }
    # order 6 is placed in session s-2, moves to s-4, then is deleted: has_order follows it
    rows["orders"] = [
        dict(
            order_id=6,
            customer_id=3,
            session_id=("s-2", "s-4", "s-4")[cycle],
            status="created",
            ordered_at=T0,
            updated_at=T0 + cycle * DAY,
            _is_deleted=cycle == 2,
            _synced_at=synced,
        )
    ]
    if cycle == 1:
        # customer 9 arrives without _synced_at (quarantined), then a good version in cycle 2
        rows["customers"].append(
            dict(
                customer_id=9,
                email="han@example.com",
                status="regular",
                signed_up_at=T0,
                updated_at=T0,
                _synced_at=None,
            )
        )
    if cycle == 2:
        rows["customers"].append(
            dict(
                customer_id=9,
                email="han@example.com",
                status="paid_member",
                signed_up_at=T0,
                updated_at=T0 + DAY,
                _synced_at=synced,
            )
        )
        # a late event of an old session
        rows["web_events"].append(
            dict(
                event_id=8,
                session_id="s-2",
                customer_id=3,
                event_type="add_to_cart",
                channel="organic_search",
                device="web",
                occurred_at=T0 + 10 * MIN,
                _synced_at=synced,
            )
        )
        # a null key without _synced_at either
        rows["web_events"].append(
            dict(
                event_id=None,
                session_id="s-null-late",
                event_type="page_view",
                channel="organic_search",
                device="web",
                occurred_at=T0,
                _synced_at=None,
            )
        )
    return rows


def _cycle_tables(raw: dict[str, pa.Table], cycle: int) -> dict[str, pa.Table]:
    after = CYCLE_ENDS[cycle - 1] if cycle > 0 else None
    until = CYCLE_ENDS[cycle]
    extra = _extra_rows(cycle)
    out = {}
    for name, table in raw.items():
        synced = table["_synced_at"]
        keep = pc.is_valid(synced)
        if after is not None:
            keep = pc.and_(keep, pc.greater(synced, after))
        if until is not None:
            keep = pc.and_(keep, pc.less_equal(synced, until))
        delivered = table.filter(keep)
        if name in extra:
            defaults = {"_is_deleted": False} if "_is_deleted" in TABLES[name].all_columns else {}
            rows = [{**defaults, **row} for row in extra[name]]
            delivered = pa.concat_tables(
                [delivered, pa.Table.from_pylist(rows, schema=table.schema)]
            )
        out[name] = delivered
    return out


# When a row was classified or written differs by design between an incremental run and a
# full refresh.
BOOKKEEPING_COLUMNS = {"_classified_at", "_built_at"}


def _table_rows(warehouse, relation: str) -> list[tuple]:
    schema, table = relation.split(".")
    columns = [
        name
        for (name,) in warehouse.query(
            "select column_name from information_schema.columns "
            f"where table_schema = '{schema}' and table_name = '{table}' "
            "order by ordinal_position"
        )
        if name not in BOOKKEEPING_COLUMNS
    ]
    rows = warehouse.query(f"select {', '.join(columns)} from {relation}")
    return sorted(rows, key=lambda r: tuple("" if v is None else str(v) for v in r))


@pytest.fixture(scope="module")
def incremental_then_full(warehouse):
    raw = raw_tables()
    assert all(pc.all(pc.is_valid(t["_synced_at"])).as_py() for t in raw.values())
    loaded = dict.fromkeys(raw, 0)
    reconciliations = []
    for cycle in range(len(CYCLE_ENDS)):
        delivered = _cycle_tables(raw, cycle)
        warehouse.load(delivered, mode="replace" if cycle == 0 else "append")
        for name, table in delivered.items():
            loaded[name] += table.num_rows
        warehouse.dbt.run(*BUILD, vars=NO_LOOKBACK)
        reconciliations.append(
            (
                dict(loaded),
                warehouse.query(
                    "select source_table, raw_rows, unaccounted_rows "
                    "from audit.audit_row_reconciliation"
                ),
            )
        )
    base_tables = [f"base_{name}" for name in raw]
    incremental = {t: _table_rows(warehouse, f"staging.{t}") for t in base_tables}
    sessions = _table_rows(warehouse, "marts.fct_sessions")
    materialized = dict(
        warehouse.query(
            "select table_name, table_type from information_schema.tables "
            "where table_schema = 'staging' and table_name like 'base_%'"
        )
    )

    warehouse.dbt.run(*BUILD, "--full-refresh", vars=NO_LOOKBACK)
    full = {t: _table_rows(warehouse, f"staging.{t}") for t in base_tables}
    incremental["fct_sessions"] = sessions
    full["fct_sessions"] = _table_rows(warehouse, "marts.fct_sessions")
    return incremental, full, reconciliations, materialized


def test_each_cycle_delivers_something_to_the_tables_under_test(warehouse):
    raw = raw_tables()
    for cycle in range(len(CYCLE_ENDS)):
        delivered = _cycle_tables(raw, cycle)
        assert delivered["customers"].num_rows > 1
        assert delivered["web_events"].num_rows > 0


def test_base_tables_are_incremental(incremental_then_full):
    *_, materialized = incremental_then_full
    assert len(materialized) == len(raw_tables())
    assert set(materialized.values()) == {"BASE TABLE"}


def test_every_raw_row_is_accounted_for_after_each_cycle(incremental_then_full):
    _, _, reconciliations, _ = incremental_then_full
    for loaded, rows in reconciliations:
        got = {name: (raw_rows, unaccounted) for name, raw_rows, unaccounted in rows}
        assert got == {name: (count, 0) for name, count in loaded.items()}


def test_incremental_base_tables_equal_a_full_refresh(incremental_then_full):
    incremental, full, _, _ = incremental_then_full
    for table in full:
        assert incremental[table] == full[table], table


def test_special_rows_get_their_fates(incremental_then_full):
    _, full, _, _ = incremental_then_full
    null_customers = [r for r in full["base_customers"] if r[0] is None]
    # the fixture's own null key plus one per cycle, all quarantined
    assert len(null_customers) == 1 + len(CYCLE_ENDS)
    null_events = [r for r in full["base_web_events"] if r[0] is None]
    assert len(null_events) == 1 + len(CYCLE_ENDS) + 1


def test_sessions_follow_their_orders(incremental_then_full):
    incremental, _, _, _ = incremental_then_full
    # session_id first; has_order is the last column but one
    has_order = {row[0]: row[-2] for row in incremental["fct_sessions"]}
    # s-3 has no valid event, so no session
    assert has_order == {"s-1": True, "s-2": False, "s-4": False}


def test_a_sync_without_new_rows_reclassifies_nothing(warehouse, incremental_then_full):
    """Null keys and rows without `_synced_at` are re-read only when one of them arrived."""
    base_tables = [f"base_{name}" for name in raw_tables()]
    before = {t: _table_rows(warehouse, f"staging.{t}") for t in base_tables}
    [(last_stamp,)] = warehouse.query(
        "select max(stamp) from ("
        + " union all ".join(
            f"select max(_classified_at) as stamp from staging.{t}" for t in base_tables
        )
        + ") as stamps"
    )
    warehouse.dbt.run(*BUILD, vars=NO_LOOKBACK)
    restamped = {
        t: warehouse.query(
            f"select count(*) from staging.{t} "
            f"where _classified_at > cast('{last_stamp}' as timestamp)"
        )[0][0]
        for t in base_tables
    }
    assert restamped == dict.fromkeys(base_tables, 0)
    assert {t: _table_rows(warehouse, f"staging.{t}") for t in base_tables} == before
