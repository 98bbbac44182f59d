"""DuckDB and PostgreSQL give the same numbers (issue 3, "Done when").

The same generated marketplace (replication artefacts, bad rows, a gateway incident) is built
on both engines, and every metric table must match row for row. Sums are exact decimals and
percentiles are rounded to 6 decimals, so the values are compared exactly; only ratios of
doubles get a relative tolerance of 1e-12 against the last-bit differences of division.
"""

from __future__ import annotations

import math

import pytest

from marketmetrics.generator import GeneratorConfig, generate, replicate

pytestmark = pytest.mark.postgres

TABLES = ("daily", "weekly", "monthly", "quarterly", "yearly")
VALUE_COLUMNS = (
    "metric_value",
    "prior_period_value",
    "same_weekday_last_week_value",
    "prior_year_value",
    "pct_change_prior_period",
    "pct_change_prior_year",
)


def _table(warehouse, grain: str) -> dict[tuple, tuple]:
    rows = warehouse.query(
        "select metric_name, cast(period_start as varchar), dimension_name, dimension_value, "
        f"{', '.join(VALUE_COLUMNS)}, is_complete_period from metrics.metrics_{grain}"
    )
    return {tuple(r[:4]): tuple(r[4:]) for r in rows}


@pytest.fixture(scope="module")
def built(both_warehouses):
    raw = replicate(generate(GeneratorConfig(seed=5, orders=1_500, days=40)))
    for warehouse in both_warehouses:
        warehouse.load(raw)
        warehouse.dbt.run(
            "build", "--exclude-resource-type", "test", "--exclude-resource-type", "unit_test"
        )
    return both_warehouses


def _same(a, b) -> bool:
    if a is None or b is None or isinstance(a, bool):
        return a == b
    return math.isclose(float(a), float(b), rel_tol=1e-12, abs_tol=1e-12)


@pytest.mark.parametrize("grain", TABLES)
def test_every_metric_row_is_the_same_on_both_engines(built, grain):
    duck, pg = (_table(w, grain) for w in built)
    assert len(duck) > 300  # every metric and dimension value, at least one period
    assert set(duck) == set(pg), f"keys differ: {sorted(set(duck) ^ set(pg))[:5]}"
    differing = [
        (key, duck[key], pg[key])
        for key in duck
        if not all(_same(a, b) for a, b in zip(duck[key], pg[key], strict=True))
    ]
    assert not differing, f"{len(differing)} rows differ, first: {differing[:3]}"
