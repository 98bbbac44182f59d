"""Incremental runs give the same metric tables as a full refresh, for any lateness.

Generated data is replicated cycle by cycle: a first build as of four days before the end of
the period, then one cycle a day, each appending only the rows the replicator delivered since
the previous cycle and running dbt without --full-refresh; last, everything else delivered.
A full refresh over the same raw data must then reproduce every metric table row for row.

The data is made hard on purpose:
- events up to 10 days late and entity versions up to 10 days late (a late first delivery);
- re-deliveries and tombstones at the generator's rates;
- changes weeks after the fact, delivered during the cycles: paid orders of the first week
  cancelled (the old day's `cancelled_orders` moves), old orders tombstoned (they vanish
  from every metric of their day, their items' GMV with them), products moved to another
  category (GMV by category moves on every day they sold);
- a shipment event older than every other, delivered during the cycles (the shipment
  history's start moves, and every shipment's intervals with it).

It runs with `lookback_days: 0`: the metric engine does not use the window, and the event
facts need none under the replicator's contract. The check that the test can fail: with the
footprints ignored (`changed_at > watermark` made false) the old days keep their old values.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pytest

from fixtures.metric_rows import GRAINS as METRIC_TABLES
from marketmetrics.generator import ArtefactRates, GeneratorConfig, generate, replicate

# Every conformed mart: BI reads them too, so the incremental ones must equal a rebuild.
MARTS = (
    "dim_categories",
    "dim_customers",
    "dim_products",
    "dim_sellers",
    "fct_api_requests",
    "fct_auth_events",
    "fct_host_samples",
    "fct_nps_responses",
    "fct_order_items",
    "fct_orders",
    "fct_payments",
    "fct_product_first_displays",
    "fct_refunds",
    "fct_returns",
    "fct_searches",
    "fct_sessions",
    "fct_shipment_events",
    "fct_shipments",
    "fct_state_transitions",
    "fct_suspicious_ip_days",
    "fct_web_events",
)
# Incremental intermediate models that the marts and metrics read: compared too.
INTERMEDIATE = ("int_shipment_status_intervals", "int_dq_synced_rows_daily")
# The data-quality report's volumes, whose counts are kept incrementally (a day with no row
# left is 0 in the counts, absent from neither: the report zero-fills every day).
QUALITY = ("dq_source_volumes_daily",)
SCHEMAS = (
    {name: "marts" for name in MARTS}
    | {name: "intermediate" for name in INTERMEDIATE}
    | {name: "metrics" for name in QUALITY}
)
NO_LOOKBACK = {"lookback_days": 0}
# Models, seeds and snapshots in dependency order, without the data tests (other modules
# run them): what a scheduled cycle runs.
BUILD = ("build", "--exclude-resource-type", "test", "--exclude-resource-type", "unit_test")
CYCLES = 4


def _metric_rows(warehouse, table: str) -> list[tuple]:
    rows = warehouse.query(
        "select metric_name, period_start, dimension_name, dimension_value, metric_value, "
        "prior_period_value, same_weekday_last_week_value, prior_year_value, "
        f"is_complete_period from metrics.metrics_{table}"
    )
    return sorted(rows, key=lambda r: tuple("" if v is None else str(v) for v in r))


# When a row was written differs by design between an incremental run and a full refresh.
BOOKKEEPING_COLUMNS = {"_built_at"}


def _mart_rows(warehouse, mart: str) -> list[tuple]:
    schema = SCHEMAS[mart]
    columns = [
        name
        for (name,) in warehouse.query(
            "select column_name from information_schema.columns "
            f"where table_schema = '{schema}' and table_name = '{mart}' order by ordinal_position"
        )
        if name not in BOOKKEEPING_COLUMNS
    ]
    rows = warehouse.query(f"select {', '.join(columns)} from {schema}.{mart}")
    return sorted(rows, key=lambda r: tuple("" if v is None else str(v) for v in r))


def _delivered_between(tables, after, until):
    """The rows a replicator cycle delivers: synced in (after, until]."""
    out = {}
    for name, table in tables.items():
        synced = table["_synced_at"]
        keep = pc.less_equal(synced, until) if until is not None else None
        if after is not None:
            later = pc.greater(synced, after)
            keep = later if keep is None else pc.and_(keep, later)
        out[name] = table if keep is None else table.filter(keep)
    return out


def _with_values(table: pa.Table, **values) -> pa.Table:
    """`table` with each column of `values` set to that value (or array), in its own type."""
    for column, value in values.items():
        index = table.schema.get_field_index(column)
        field = table.schema.field(index)
        value = value if isinstance(value, pa.Array) else pa.array([value] * table.num_rows)
        table = table.set_column(index, field, value.cast(field.type))
    return table


def _versions(table: pa.Table, rows: np.ndarray, at: datetime, **changes) -> pa.Table:
    """New versions of `rows` of an entity table at `at`, with `changes` applied."""
    changes = {"updated_at": at, "_synced_at": at + timedelta(minutes=1), **changes}
    return _with_values(table.take(pa.array(rows)), **changes)


def _current(table: pa.Table, key: str) -> pa.Table:
    """The newest live version of each key (the generator's clean rows are sorted by sync)."""
    live = table.filter(pc.invert(table["_is_deleted"]))
    ranked = live.sort_by([(key, "ascending"), ("updated_at", "descending")])
    keys = ranked[key].to_numpy()
    first = np.concatenate([[True], keys[1:] != keys[:-1]]) if len(keys) else np.array([], bool)
    return ranked.filter(pa.array(first))


def with_late_changes(tables: dict[str, pa.Table], start: datetime, end: datetime):
    """The raw tables plus changes to rows of the period's first week, delivered in (start, end)."""
    out = dict(tables)
    first_week_end = min(pc.min(tables["orders"]["ordered_at"]).as_py(), end) + timedelta(days=7)
    moments = [start + (end - start) * (i + 1) / 4 for i in range(3)]

    orders = _current(tables["orders"], "order_id")
    early = orders.filter(
        pc.and_(
            pc.less(orders["ordered_at"], first_week_end),
            pc.is_in(orders["status"], pa.array(["paid", "confirmed"])),
        )
    )
    assert early.num_rows >= 20, "the fixture needs paid orders in its first week"
    cancelled = _versions(
        early, np.arange(0, 10), moments[0], status="cancelled", cancelled_at=moments[0]
    )
    tombstoned = _versions(early, np.arange(10, 16), moments[1], _is_deleted=True)
    out["orders"] = pa.concat_tables([tables["orders"], cancelled, tombstoned])

    products = _current(tables["products"], "product_id")
    categories = products["category_id"].to_numpy()
    moved = np.flatnonzero(categories != categories[0])[:3]
    assert len(moved) == 3
    out["products"] = pa.concat_tables(
        [
            tables["products"],
            _versions(products, moved, moments[2], category_id=int(categories[0])),
        ]
    )

    # A shipment event older than every other, delivered late: the history's start moves
    # earlier, so every shipment's intervals change (int_shipment_status_intervals).
    events = tables["shipment_events"]
    earliest = pc.min(events["occurred_at"]).as_py()
    early_event = _with_values(
        events.filter(pc.equal(events["occurred_at"], earliest)).slice(0, 1),
        event_id=pc.max(events["event_id"]).as_py() + 1,
        occurred_at=earliest - timedelta(hours=1),
        _synced_at=moments[0],
    )
    out["shipment_events"] = pa.concat_tables([tables["shipment_events"], early_event])

    counts = {"cancelled": 10, "tombstoned": 6, "moved_products": 3, "early_shipment_events": 1}
    return out, counts


@pytest.fixture(scope="module")
def incremental_then_full(warehouse):
    config = GeneratorConfig(
        seed=11,
        orders=1_500,
        days=35,
        artefacts=ArtefactRates(
            duplicate=0.03,
            late=0.05,
            tombstone=0.01,
            late_entity_max_days=10,
            late_event_max_days=10,
        ),
    )
    history = generate(config)
    first = history.end - timedelta(days=CYCLES)
    cycles = [first + timedelta(days=i) for i in range(1, CYCLES)]
    everything, changes = with_late_changes(replicate(history), first, history.end)

    warehouse.load(_delivered_between(everything, None, first))
    warehouse.dbt.run(*BUILD, vars=NO_LOOKBACK)
    previous = first
    for until in [*cycles, None]:
        delivered = _delivered_between(everything, previous, until)
        assert sum(t.num_rows for t in delivered.values()) > 0
        warehouse.load(delivered, mode="append")
        warehouse.dbt.run(*BUILD, vars=NO_LOOKBACK)
        previous = until
    incremental = {t: _metric_rows(warehouse, t) for t in METRIC_TABLES}
    incremental |= {m: _mart_rows(warehouse, m) for m in SCHEMAS}

    warehouse.dbt.run(*BUILD, "--full-refresh", vars=NO_LOOKBACK)
    full = {t: _metric_rows(warehouse, t) for t in METRIC_TABLES}
    full |= {m: _mart_rows(warehouse, m) for m in SCHEMAS}
    return incremental, full, history, first, changes


def test_the_data_is_late_by_up_to_ten_days(incremental_then_full):
    """Some raw rows arrive more than 6 days (the old lookback's reach) after their own time."""
    _, _, history, _, _ = incremental_then_full
    events = history.tables["web_events"]
    lag = pc.subtract(events["_synced_at"], events["occurred_at"])
    late = pc.sum(pc.greater(lag, pa.scalar(timedelta(days=6)))).as_py()
    assert late > 0


def test_late_changes_reach_old_periods(incremental_then_full):
    """The cancellations weeks later moved old days: the full refresh counts them."""
    _, full, _, first, changes = incremental_then_full
    assert changes == {
        "cancelled": 10,
        "tombstoned": 6,
        "moved_products": 3,
        "early_shipment_events": 1,
    }
    early_cancelled = sum(
        row[4]
        for row in full["daily"]
        if row[0] == "cancelled_orders"
        and row[2] == "all"
        and row[1] < (first - timedelta(days=14)).date()
    )
    assert early_cancelled >= 10


@pytest.mark.parametrize("table", METRIC_TABLES + MARTS + INTERMEDIATE + QUALITY)
def test_incremental_equals_full_refresh(incremental_then_full, table):
    incremental, full, *_ = incremental_then_full
    assert len(full[table]) > 0
    assert len(incremental[table]) == len(full[table])
    differing = [(a, b) for a, b in zip(incremental[table], full[table], strict=True) if a != b]
    assert not differing, f"{len(differing)} rows differ, first: {differing[:3]}"
