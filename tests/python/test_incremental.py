"""Incremental runs give the same metric tables as a full refresh (issue 3, item 4).

Generated data with late events and re-deliveries is replicated cycle by cycle: a first
build as of two days before the end of the period, then one cycle a day, each appending
only the rows the replicator delivered since the previous cycle and running dbt without
--full-refresh; last, everything delivered. A full refresh over the same raw data must
then reproduce every metric table row for row.

The lookback covers the generator's lateness (events up to 6 days, entity versions up to
4 days late), which is the promise: rows arriving late within the window are counted.
"""

from __future__ import annotations

from datetime import timedelta

import pyarrow.compute as pc
import pytest

from marketmetrics.generator import ArtefactRates, GeneratorConfig, generate, replicate

METRIC_TABLES = ("daily", "weekly", "monthly", "quarterly", "yearly")
LOOKBACK = {"lookback_days": 8}
# Models, seeds and snapshots in dependency order, without the data tests (other modules
# run them): what a scheduled cycle runs.
BUILD = ("build", "--exclude-resource-type", "test", "--exclude-resource-type", "unit_test")


def _metric_rows(warehouse, table: str) -> list[tuple]:
    rows = warehouse.query(
        "select metric_name, period_start, dimension_name, dimension_value, metric_value, "
        "prior_period_value, same_weekday_last_week_value, prior_year_value, "
        f"is_complete_period from metrics.metrics_{table}"
    )
    return sorted(rows, key=lambda r: tuple("" if v is None else str(v) for v in r))


def _delivered_between(tables, after, until):
    """The rows a replicator cycle delivers: synced in (after, until]."""
    out = {}
    for name, table in tables.items():
        synced = table["_synced_at"]
        keep = (
            pc.greater(synced, after)
            if until is None
            else pc.and_(pc.greater(synced, after), pc.less_equal(synced, until))
        )
        out[name] = table.filter(keep)
    return out


@pytest.fixture(scope="module")
def incremental_then_full(warehouse):
    config = GeneratorConfig(
        seed=11,
        orders=1_500,
        days=35,
        artefacts=ArtefactRates(duplicate=0.03, late=0.05, tombstone=0.0),
    )
    history = generate(config)
    everything = replicate(history)
    cycles = [history.end - timedelta(days=2), history.end - timedelta(days=1), history.end]

    warehouse.load(replicate(history, as_of=cycles[0]))
    warehouse.dbt.run(*BUILD, vars=LOOKBACK)
    previous = cycles[0]
    for until in [*cycles[1:], None]:
        delivered = _delivered_between(everything, previous, until)
        assert sum(t.num_rows for t in delivered.values()) > 0
        warehouse.load(delivered, mode="append")
        warehouse.dbt.run(*BUILD, vars=LOOKBACK)
        previous = until
    incremental = {t: _metric_rows(warehouse, t) for t in METRIC_TABLES}

    warehouse.dbt.run(*BUILD, "--full-refresh", vars=LOOKBACK)
    full = {t: _metric_rows(warehouse, t) for t in METRIC_TABLES}
    late_rows = sum(history.artefact_counts[t].get("late", 0) for t in history.artefact_counts)
    return incremental, full, late_rows


def test_the_data_has_late_rows(incremental_then_full):
    _, _, late_rows = incremental_then_full
    assert late_rows > 0


@pytest.mark.parametrize("table", METRIC_TABLES)
def test_incremental_equals_full_refresh(incremental_then_full, table):
    incremental, full, _ = incremental_then_full
    assert len(incremental[table]) == len(full[table])
    assert len(full[table]) > 0
    differing = [(a, b) for a, b in zip(incremental[table], full[table], strict=True) if a != b]
    assert not differing, f"{len(differing)} rows differ, first: {differing[:3]}"
