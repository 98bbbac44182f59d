"""Entity history: snapshots over replayed syncs, status intervals and transition facts.

A hand-built raw history (fixtures/history_raw.py) is replayed through `run_cycles`: loaded as
of T1, then the rows of each later sync appended and snapshotted, six cycles in all. Then the
history models are built, and every row of them is compared with literals worked out by hand.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest

from fixtures.history_raw import (
    EXPECTED_CUSTOMER_INTERVALS,
    EXPECTED_FIRST_DISPLAYS,
    EXPECTED_ORDER_INTERVALS,
    EXPECTED_PRODUCT_INTERVALS,
    EXPECTED_SELLER_INTERVALS,
    EXPECTED_SHIPMENT_INTERVALS,
    EXPECTED_SNAPSHOT_ROWS,
    EXPECTED_TRANSITIONS,
    HISTORY_START,
    SYNCS,
    T1,
    T6,
    at,
    raw_tables,
)
from marketmetrics.cycles import CycleResult, run_cycles, sync_instants

SNAPSHOTS = tuple(EXPECTED_SNAPSHOT_ROWS)


def _snapshot_rows(warehouse) -> dict[str, int]:
    sql = " union all ".join(
        f"select '{name}', count(*) from snapshots.{name}" for name in SNAPSHOTS
    )
    return {name: int(count) for name, count in warehouse.query(sql)}


@pytest.fixture(scope="module")
def replayed(warehouse) -> dict[str, Any]:
    """Six sync cycles, then the history models and their data tests."""
    warehouse.reset()
    counts: list[dict[str, int]] = []

    def after_cycle(result: CycleResult) -> None:
        counts.append(_snapshot_rows(warehouse))

    results = run_cycles(
        raw_tables(),
        warehouse.dbt,
        warehouse.load,
        start=T1,
        end=T6,
        after_cycle=after_cycle,
    )
    warehouse.dbt.run("run", "--select", "+models/intermediate/history", "+models/marts/history")
    warehouse.dbt.run(
        "test",
        "--select",
        "models/intermediate/history",
        "models/marts/history",
        "resource_type:snapshot",
    )
    return {"results": results, "counts": counts}


def _rows(warehouse, sql: str) -> list[tuple[Any, ...]]:
    return [tuple(_plain(v) for v in row) for row in warehouse.query(sql)]


def _plain(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat() if type(value) is date else value
    if isinstance(value, (float, Decimal)):
        return round(float(value), 6)
    return value


def test_sync_instants():
    assert sync_instants(T1, T6) == SYNCS
    # the end is always the last instant, even off the step
    half = T1 + timedelta(hours=12)
    assert sync_instants(T1, half) == [T1, half]


def test_cycles_append_only_new_rows(replayed):
    results = replayed["results"]
    assert [r.as_of for r in results] == SYNCS
    assert [r.index for r in results] == [0, 1, 2, 3, 4, 5]
    # Products synced by T1: p1 v1, p3, the quarantined p5; then 2, 4, 5, 3 new rows; none at T6.
    assert [r.rows_loaded["products"] for r in results] == [3, 3, 4, 3, 2, 0]
    assert sum(sum(r.rows_loaded.values()) for r in results) == sum(
        t.num_rows for t in raw_tables().values()
    )


def test_snapshot_rows_per_cycle(replayed):
    """Each sync adds exactly the versions it brought; an unchanged source (T6), a deletion
    (closed in place) and a re-delivery add nothing."""
    by_snapshot = {name: [c[name] for c in replayed["counts"]] for name in SNAPSHOTS}
    assert by_snapshot == EXPECTED_SNAPSHOT_ROWS


def test_observed_through_at(warehouse, replayed):
    # The first record of p3 was captured at T1, which saw products synced up to 03-01 01:01
    # (the quarantined p5 synced at 23:30 does not count); p4 was first captured at T3, after
    # p1's rename synced at 03-03 10:01 and before anything later.
    assert _rows(
        warehouse,
        "select product_id, min(observed_through_at) from snapshots.snap_products "
        "group by product_id order by product_id",
    ) == [
        (1, at("2026-03-01 01:01")),
        (2, at("2026-03-02 06:01")),
        (3, at("2026-03-01 01:01")),
        (4, at("2026-03-03 12:01")),
    ]


def test_dbt_closes_a_deleted_key_at_its_own_clock(warehouse, replayed):
    """What dbt itself records for a hard delete (invalidate): the run's clock, not the
    deletion instant; the intervals use the tombstone's updated_at instead."""
    [(valid_to,)] = warehouse.query(
        "select dbt_valid_to from snapshots.snap_products where product_id = 3"
    )
    assert valid_to is not None
    assert valid_to != at("2026-03-03 08:00")


def test_product_intervals(warehouse, replayed):
    assert (
        _rows(
            warehouse,
            "select entity_key, status, top_category_name, valid_from_at, valid_to_at "
            "from intermediate.int_product_status_intervals order by entity_key, valid_from_at",
        )
        == EXPECTED_PRODUCT_INTERVALS
    )


@pytest.mark.parametrize(
    ("entity", "expected"),
    [
        ("seller", EXPECTED_SELLER_INTERVALS),
        ("customer", EXPECTED_CUSTOMER_INTERVALS),
        ("order", EXPECTED_ORDER_INTERVALS),
        ("shipment", EXPECTED_SHIPMENT_INTERVALS),
    ],
)
def test_status_intervals(warehouse, replayed, entity, expected):
    assert (
        _rows(
            warehouse,
            "select entity_key, status, valid_from_at, valid_to_at "
            f"from intermediate.int_{entity}_status_intervals order by entity_key, valid_from_at",
        )
        == expected
    )


@pytest.mark.parametrize("entity", ["product", "seller", "customer", "order", "shipment"])
def test_history_start(warehouse, replayed, entity):
    assert _rows(
        warehouse,
        f"select distinct history_start_at from intermediate.int_{entity}_status_intervals",
    ) == [(HISTORY_START[entity],)]


def test_tombstone_closes_history(warehouse, replayed):
    """p3 was deleted: its last interval ends at the tombstone's updated_at and it has no
    current interval; it is gone from the current marts."""
    assert _rows(
        warehouse,
        "select status, valid_to_at from intermediate.int_product_status_intervals "
        "where entity_key = 3",
    ) == [("displayed", at("2026-03-03 08:00"))]
    assert warehouse.query("select count(*) from marts.dim_products where product_id = 3") == [(0,)]


def test_state_transitions(warehouse, replayed):
    assert (
        _rows(
            warehouse,
            "select entity, entity_key, from_status, to_status, transitioned_at, "
            "transitioned_date, is_first_time_in_state from marts.fct_state_transitions "
            "order by entity, entity_key, transitioned_at",
        )
        == EXPECTED_TRANSITIONS
    )


def test_product_first_displays(warehouse, replayed):
    assert (
        _rows(
            warehouse,
            "select product_id, top_category_name, registered_at, first_displayed_at, "
            "first_displayed_date, registration_to_display_hours, is_first_display_observed "
            "from marts.fct_product_first_displays order by product_id",
        )
        == EXPECTED_FIRST_DISPLAYS
    )


def test_snapshot_again_without_change_adds_nothing(warehouse, replayed):
    before = warehouse.query(
        "select 'p', count(*), max(dbt_updated_at) from snapshots.snap_products union all "
        "select 'c', count(*), max(dbt_updated_at) from snapshots.snap_customers"
    )
    warehouse.dbt.run("snapshot")
    after = warehouse.query(
        "select 'p', count(*), max(dbt_updated_at) from snapshots.snap_products union all "
        "select 'c', count(*), max(dbt_updated_at) from snapshots.snap_customers"
    )
    assert sorted(after) == sorted(before)
    assert _snapshot_rows(warehouse) == {
        name: rows[-1] for name, rows in EXPECTED_SNAPSHOT_ROWS.items()
    }


# --- the metric tables over this history ---------------------------------------------------------
# End-of-day stocks, counted by hand from the interval literals in fixtures/history_raw.py: a Seoul
# day D ends at D 15:00 UTC; a day that ends before the entity's history began is null.
# (metric, dimension_name, dimension_value) -> {Seoul day: value}
EXPECTED_HISTORY_METRICS: dict[tuple[str, str, str], dict[str, float | None]] = {
    # products: p1 registered, p3 displayed on 03-01; p1 displayed, p2 registered on 03-02;
    # p3 deleted 03-03 08:00, p2 displayed, p4 registered on 03-03; p1, p2 hidden, p4 in review on
    # 03-04; p4 rejected (not counted), p2 displayed again on 03-05. History began 03-01 01:01.
    ("products_total_eod", "all", "all"): {
        "2026-02-28": None,
        "2026-03-01": 2,
        "2026-03-02": 3,
        "2026-03-03": 3,
        "2026-03-04": 3,
        "2026-03-05": 2,
    },
    ("products_displayed_eod", "all", "all"): {
        "2026-02-28": None,
        "2026-03-01": 1,
        "2026-03-02": 2,
        "2026-03-03": 2,
        "2026-03-04": 0,
        "2026-03-05": 1,
    },
    ("products_total_eod", "category", "fashion"): {"2026-03-02": 2, "2026-03-04": 1},
    ("products_total_eod", "category", "beauty"): {"2026-03-02": 1, "2026-03-04": 1},
    # sellers: s2 joined throughout; s1 join_requested -> joined 03-02 10:00 -> suspended 03-04
    ("sellers_by_status_eod", "status", "join_requested"): {"2026-03-01": 1, "2026-03-02": 0},
    ("sellers_by_status_eod", "status", "joined"): {
        "2026-03-01": 1,
        "2026-03-02": 2,
        "2026-03-04": 1,
    },
    ("sellers_by_status_eod", "status", "suspended"): {"2026-03-03": 0, "2026-03-04": 1},
    # customers: history began 03-01 12:01; c2 withdrew at 03-04 15:30 UTC = 03-05 00:30 in Seoul
    ("customers_by_status_eod", "all", "all"): {"2026-02-28": None, "2026-03-01": 3},
    ("customers_by_status_eod", "status", "regular"): {
        "2026-03-01": 3,
        "2026-03-02": 2,
        "2026-03-03": 3,
        "2026-03-04": 3,
        "2026-03-05": 1,
    },
    ("customers_by_status_eod", "status", "paid_member"): {"2026-03-02": 1, "2026-03-05": 1},
    ("customers_by_status_eod", "status", "withdrawn"): {"2026-03-04": 0, "2026-03-05": 1},
    ("withdrawals", "all", "all"): {"2026-03-04": 0, "2026-03-05": 1},
    # shipments: history began with the first event, 03-02 01:00
    ("shipments_by_status_eod", "all", "all"): {
        "2026-03-01": None,
        "2026-03-02": 1,
        "2026-03-03": 2,
        "2026-03-04": 2,
    },
    ("shipments_by_status_eod", "status", "outbound"): {"2026-03-02": 1, "2026-03-03": 1},
    ("shipments_by_status_eod", "status", "delivered"): {"2026-03-03": 1, "2026-03-04": 1},
    ("shipments_by_status_eod", "status", "returned"): {"2026-03-03": 0, "2026-03-04": 1},
    # first displays observed: p1 after 28 h on 03-02, p2 after 27 h on 03-03; p3 was already
    # displayed when history began, so it is no observation (02-28 stays null)
    ("registration_to_display_hours_p50", "all", "all"): {
        "2026-02-28": None,
        "2026-03-02": 28.0,
        "2026-03-03": 27.0,
    },
    ("registration_to_display_hours_p95", "all", "all"): {"2026-03-02": 28.0},
}


@pytest.fixture(scope="module")
def history_metrics(warehouse, replayed) -> dict[tuple[str, str, str, str], Any]:
    warehouse.dbt.run("seed")
    warehouse.dbt.run("run")
    rows = warehouse.query(
        "select metric_name, dimension_name, dimension_value, period_start, metric_value "
        "from metrics.metrics_daily"
    )
    return {(m, dn, dv, _plain(day)): _plain(value) for m, dn, dv, day, value in rows}


@pytest.mark.parametrize("key", list(EXPECTED_HISTORY_METRICS), ids="-".join)
def test_history_metrics_by_hand(history_metrics, key):
    for day, expected in EXPECTED_HISTORY_METRICS[key].items():
        assert (*key, day) in history_metrics, f"no row for {key} on {day}"
        assert history_metrics[(*key, day)] == expected, f"{key} on {day}"
