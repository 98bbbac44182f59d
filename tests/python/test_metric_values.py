"""Every published metric's numbers on a hand-built dataset, on all three engines.

The raw data and every expected number live in tests/python/fixtures/metrics_raw.py, counted by
hand from the metric rules (docs/metrics.md), not from the engine. The whole project is built
once per engine; the tests then read the five metric tables and compare them with those literals:
values of the overall rows at every grain, breakdowns on chosen days (zero-filled values
included), the comparison columns, completeness, the set of metrics and the shape of each table.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import ENGINES, SPARK, open_warehouse
from fixtures.metric_rows import GRAINS, VALUE_COLUMNS
from fixtures.metrics_raw import (
    D1,
    D2,
    D4,
    D8,
    D9,
    DAYS,
    DIMENSION_VALUES,
    EXPECTED_BREAKDOWNS,
    EXPECTED_COARSE,
    EXPECTED_COMPLETE,
    EXPECTED_DAILY,
    PERIOD_SETS,
    PERIODS,
    raw_tables,
)

REPO_ROOT = Path(__file__).resolve().parents[2]

COARSE_GRAINS = GRAINS[1:]
COLUMNS = (
    "metric_name",
    "period_start",
    "dimension_name",
    "dimension_value",
    *VALUE_COLUMNS,
    "is_complete_period",
)
NUMERIC = set(VALUE_COLUMNS)
ALL = ("all", "all")
MAX_REPORTED = 60


def _catalog() -> dict[str, Any]:
    """The metrics and dimensions as the project's YAML declares them (the metrics beside the
    fact marts, the stocks in their interval models' meta), read here without the project's
    own reader: {'metrics': [{name, dimensions, hidden, fact}], 'dimensions': {...}}."""
    measures: dict[str, str] = {}
    metrics: list[dict[str, Any]] = []
    dimensions: set[str] = set()
    documents = [
        yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for path in sorted((REPO_ROOT / "models").rglob("*.yml"))
    ]
    for document in documents:
        for semantic in document.get("semantic_models") or []:
            fact = semantic["model"].removeprefix("ref('").removesuffix("')")
            measures |= {m["name"]: fact for m in semantic["measures"]}
            dimensions |= {d["name"] for d in semantic["dimensions"] if d["type"] == "categorical"}
    for document in documents:
        for metric in document.get("metrics") or []:
            meta = (metric.get("config") or {}).get("meta") or {}
            if not meta.get("domain"):
                continue
            measure = (metric.get("type_params") or {}).get("measure")
            if isinstance(measure, dict):
                measure = measure["name"]
            metrics.append(
                {
                    "name": metric["name"],
                    "dimensions": meta.get("dimensions") or [],
                    "hidden": meta.get("hidden", False),
                    "fact": measures.get(measure) if measure else None,
                }
            )
        for model in document.get("models") or []:
            meta = (model.get("config") or {}).get("meta") or {}
            for stock in meta.get("stock_metrics") or []:
                metrics.append(
                    {
                        "name": stock["name"],
                        "dimensions": stock["meta"].get("dimensions") or [],
                        "hidden": False,
                        "stock": True,
                    }
                )
            dimensions |= set(meta.get("stock_dimensions") or {})
    return {"metrics": metrics, "dimensions": dimensions}


CATALOG = _catalog()
PUBLISHED: dict[str, list[str]] = {
    m["name"]: list(m.get("dimensions") or []) for m in CATALOG["metrics"] if not m.get("hidden")
}
HIDDEN = {m["name"] for m in CATALOG["metrics"] if m.get("hidden")}
# Metrics from snapshot history need several replication cycles to mean anything; their values
# are pinned by the multi-cycle scenario in test_snapshots.py, not by this one-build fixture.
HISTORY_METRICS = {
    m["name"]
    for m in CATALOG["metrics"]
    if m.get("stock") or m.get("fact") in ("fct_state_transitions", "fct_product_first_displays")
}
VALUED = {name: dims for name, dims in PUBLISHED.items() if name not in HISTORY_METRICS}
# `status` is a breakdown whose values depend on the entity: the contract's enumeration of it.
STATUS_VALUES: dict[str, set[str]] = {
    "sellers_by_status_eod": {"join_requested", "joined", "suspended"},
    "customers_by_status_eod": {"regular", "paid_member", "withdrawn", "suspended"},
    "shipments_by_status_eod": {"inbound", "outbound", "in_delivery", "delivered", "returned"},
}


def dimension_values(metric: str, dimension: str) -> set[str]:
    return STATUS_VALUES[metric] if dimension == "status" else DIMENSION_VALUES[dimension]


# The periods of each grain that overlap the calendar 03-27 .. 04-04.
PERIOD_STARTS: dict[str, list[date]] = {"daily": list(DAYS)} | {
    grain: sorted(periods) for grain, periods in PERIODS.items()
}


@dataclass
class MetricTables:
    """The five metric tables of one engine, as row dicts and indexed by their key."""

    engine: str
    rows: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    index: dict[str, dict[tuple[str, date, str, str], dict[str, Any]]] = field(default_factory=dict)

    def value(self, grain: str, metric: str, period: date, dim: tuple[str, str] = ALL) -> Any:
        row = self.index[grain].get((metric, period, *dim))
        assert row is not None, f"{grain}: no row for {metric} {period} {dim[0]}={dim[1]}"
        return row["metric_value"]


def _number(value: Any) -> Any:
    return (
        float(value) if isinstance(value, (Decimal, int)) and not isinstance(value, bool) else value
    )


def _day(value: Any) -> Any:
    return value.date() if isinstance(value, datetime) else value


@pytest.fixture(scope="module", params=[*ENGINES, SPARK])
def warehouse(request, tmp_path_factory, profiles_dir):
    """This module's warehouse on DuckDB, PostgreSQL and Spark: the same fixture, the same
    expected values on each (Spark's tables are read from its parquet files, spark_files.py)."""
    with open_warehouse(request.param, request, tmp_path_factory, profiles_dir) as opened:
        yield opened


def skip_on_spark(warehouse, why: str) -> None:
    if warehouse.engine == "spark":
        pytest.skip(why)


# MetricFlow renders SQL for DuckDB, PostgreSQL, Databricks and others, not Apache Spark.
NO_METRICFLOW_ON_SPARK = "MetricFlow has no Apache Spark engine (only Databricks')"


@pytest.fixture(scope="module")
def built(warehouse) -> MetricTables:
    warehouse.load(raw_tables())
    # The whole project: seeds, staging, marts, metrics and every data test.
    warehouse.dbt.run("build")
    tables = MetricTables(engine=warehouse.engine)
    for grain in GRAINS:
        result = warehouse.query(f"select {', '.join(COLUMNS)} from metrics.metrics_{grain}")
        rows = []
        for raw in result:
            row = dict(zip(COLUMNS, raw, strict=True))
            row["period_start_raw"] = row["period_start"]
            row["period_start"] = _day(row["period_start"])
            for column in NUMERIC:
                row[column] = _number(row[column])
            rows.append(row)
        tables.rows[grain] = rows
        tables.index[grain] = {
            (r["metric_name"], r["period_start"], r["dimension_name"], r["dimension_value"]): r
            for r in rows
        }
    return tables


# --- helpers ------------------------------------------------------------------------------


def _same(got: Any, expected: Any) -> bool:
    if expected is None or got is None:
        return expected is None and got is None
    return got == pytest.approx(expected, rel=1e-9, abs=1e-9)


def _pct(value: float | None, reference: float | None) -> float | None:
    if value is None or reference is None or reference == 0:
        return None
    return (value - reference) / reference


def _report(problems: list[str], what: str) -> str:
    shown = "\n  ".join(problems[:MAX_REPORTED])
    more = (
        f"\n  ... and {len(problems) - MAX_REPORTED} more" if len(problems) > MAX_REPORTED else ""
    )
    return f"{len(problems)} {what}:\n  {shown}{more}"


def _check(problems: list[str], label: str, got: Any, expected: Any) -> None:
    if not _same(got, expected):
        problems.append(f"{label}: got {got!r}, expected {expected!r}")


def _coarse_expected(grain: str, period: date) -> dict[str, float | None]:
    column = PERIOD_SETS.index(PERIODS[grain][period])
    return {metric: values[column] for metric, values in EXPECTED_COARSE.items()}


# --- the fixture's own consistency --------------------------------------------------------


def test_expectations_cover_every_published_metric():
    """Holds without a warehouse: the expected tables name exactly the published metrics."""
    assert set(EXPECTED_DAILY) == set(VALUED)
    assert set(EXPECTED_COARSE) == set(VALUED)
    assert HISTORY_METRICS and set(PUBLISHED) >= HISTORY_METRICS
    assert {m for m, dims in PUBLISHED.items() if "status" in dims} == set(STATUS_VALUES)
    assert all(len(values) == len(DAYS) for values in EXPECTED_DAILY.values())
    assert all(len(values) == len(PERIOD_SETS) for values in EXPECTED_COARSE.values())
    for grain, metric, _, dimension in EXPECTED_BREAKDOWNS:
        assert dimension in PUBLISHED[metric], (grain, metric, dimension)
    assert set(CATALOG["dimensions"]) == set(DIMENSION_VALUES) | {"status"}


# --- shape of the tables -------------------------------------------------------------------


@pytest.mark.parametrize("grain", GRAINS)
def test_metric_names_are_the_published_catalog(built, grain):
    names = {r["metric_name"] for r in built.rows[grain]}
    assert not names & HIDDEN, f"{grain}: hidden metrics published: {sorted(names & HIDDEN)}"
    assert names == set(PUBLISHED), (
        f"{grain}: missing {sorted(set(PUBLISHED) - names)}, unexpected "
        f"{sorted(names - set(PUBLISHED))}"
    )


@pytest.mark.parametrize("grain", GRAINS)
def test_no_duplicate_keys(built, grain):
    keys = Counter(
        (r["metric_name"], r["period_start"], r["dimension_name"], r["dimension_value"])
        for r in built.rows[grain]
    )
    duplicates = [f"{key} x{n}" for key, n in keys.items() if n > 1]
    assert not duplicates, _report(duplicates, f"duplicate keys in metrics_{grain}")


@pytest.mark.parametrize("grain", GRAINS)
def test_periods_span_the_calendar(built, grain):
    """Periods from 03-27 to 04-04 (the 2099 order is quarantined and stretches nothing)."""
    got = {r["period_start"] for r in built.rows[grain]}
    assert sorted(got) == PERIOD_STARTS[grain]
    kinds = {type(r["period_start_raw"]) for r in built.rows[grain]}
    assert kinds == {date}, f"{grain}: period_start must be a date, got {kinds}"


@pytest.mark.parametrize("grain", GRAINS)
def test_every_metric_has_every_period_and_dimension_value(built, grain):
    """No gaps: periods x (1 + every known value of every dimension), per metric."""
    periods = PERIOD_STARTS[grain]
    expected_keys = set()
    for metric, dimensions in PUBLISHED.items():
        for period in periods:
            expected_keys.add((metric, period, *ALL))
            for dimension in dimensions:
                for value in dimension_values(metric, dimension):
                    expected_keys.add((metric, period, dimension, value))
    got_keys = set(built.index[grain])
    missing = sorted(map(str, expected_keys - got_keys))
    extra = sorted(map(str, got_keys - expected_keys))
    assert not missing, _report(missing, f"missing rows in metrics_{grain}")
    assert not extra, _report(extra, f"unexpected rows in metrics_{grain}")
    row_count = sum(
        len(periods) * (1 + sum(len(dimension_values(metric, d)) for d in dimensions))
        for metric, dimensions in PUBLISHED.items()
    )
    assert len(built.rows[grain]) == row_count


# --- values --------------------------------------------------------------------------------


def test_daily_values_of_every_metric(built):
    problems: list[str] = []
    for metric, values in EXPECTED_DAILY.items():
        for day, expected in zip(DAYS, values, strict=True):
            got = built.value("daily", metric, day)
            _check(problems, f"daily {metric} {day}", got, expected)
    assert not problems, _report(problems, "wrong daily values")


@pytest.mark.parametrize("grain", COARSE_GRAINS)
def test_coarser_grain_values_of_every_metric(built, grain):
    """Rule 3: sums add up their days; distinct counts, ratios, percentiles are recomputed."""
    problems: list[str] = []
    for period in PERIOD_STARTS[grain]:
        for metric, expected in _coarse_expected(grain, period).items():
            got = built.value(grain, metric, period)
            _check(problems, f"{grain} {metric} {period}", got, expected)
    assert not problems, _report(problems, f"wrong {grain} values")


def test_breakdowns_on_chosen_periods(built):
    """Every value of the dimension, the zero-filled and null ones included."""
    problems: list[str] = []
    for (grain, metric, period, dimension), expected in EXPECTED_BREAKDOWNS.items():
        for value, expected_value in sorted(expected.items()):
            row = built.index[grain].get((metric, period, dimension, value))
            label = f"{grain} {metric} {period} {dimension}={value}"
            if row is None:
                problems.append(f"{label}: no row")
            else:
                _check(problems, label, row["metric_value"], expected_value)
    assert not problems, _report(problems, "wrong breakdown values")


def test_coarser_grains_are_not_sums_or_means_of_days(built):
    """Rule 3 spelled out on the warehouse's own numbers."""
    week = date(2026, 3, 30)
    week_days = DAYS[3:]

    def daily(metric: str) -> list[Any]:
        return [built.value("daily", metric, d) for d in week_days]

    # distinct counts: fewer than the sum of their days
    assert built.value("weekly", "active_customers", week) == 5
    assert sum(daily("active_customers")) == 7
    assert built.value("weekly", "suspicious_ips", week) == 1
    assert sum(daily("suspicious_ips")) == 2
    assert built.value("monthly", "buyers", date(2026, 3, 1)) == 3
    assert sum(built.value("daily", "buyers", d) for d in DAYS[:5]) == 4
    # ratios: not the mean of the daily ratios
    rates = [r for r in daily("payment_success_rate") if r is not None]
    weekly_rate = built.value("weekly", "payment_success_rate", week)
    assert weekly_rate == pytest.approx(4 / 7)
    assert weekly_rate != pytest.approx(sum(rates) / len(rates))
    on_time = [r for r in daily("on_time_delivery_rate") if r is not None]
    assert built.value("weekly", "on_time_delivery_rate", week) == pytest.approx(0.75)
    assert sum(on_time) / len(on_time) == pytest.approx(2 / 3)
    # percentiles: over the pooled observations, not the max or mean of the days
    p95 = built.value("weekly", "payment_processing_seconds_p95", week)
    days_p95 = [v for v in daily("payment_processing_seconds_p95") if v is not None]
    assert p95 == pytest.approx(27.0)
    assert p95 != pytest.approx(max(days_p95))
    assert p95 != pytest.approx(sum(days_p95) / len(days_p95))
    # additive: the sum of the days
    assert built.value("weekly", "gmv", week) == pytest.approx(sum(daily("gmv")))


# --- comparisons and completeness ----------------------------------------------------------


def test_daily_comparisons_of_every_metric(built):
    """Prior day, same weekday last week, no prior year; pct changes from those references."""
    problems: list[str] = []
    for metric, values in EXPECTED_DAILY.items():
        for i, day in enumerate(DAYS):
            row = built.index["daily"][(metric, day, *ALL)]
            prior = values[i - 1] if i >= 1 else None
            last_week = values[i - 7] if i >= 7 else None
            label = f"daily {metric} {day}"
            _check(problems, f"{label} prior_period_value", row["prior_period_value"], prior)
            _check(
                problems,
                f"{label} same_weekday_last_week_value",
                row["same_weekday_last_week_value"],
                last_week,
            )
            _check(problems, f"{label} prior_year_value", row["prior_year_value"], None)
            _check(
                problems,
                f"{label} pct_change_prior_period",
                row["pct_change_prior_period"],
                _pct(values[i], prior),
            )
            _check(problems, f"{label} pct_change_prior_year", row["pct_change_prior_year"], None)
    assert not problems, _report(problems, "wrong daily comparisons")


def test_daily_comparisons_spot_checks(built):
    """A few by hand: the week-over-week of Fri 04-03 vs Fri 03-27, Sat 04-04 vs Sat 03-28."""
    gmv_d8 = built.index["daily"][("gmv", D8, *ALL)]
    assert gmv_d8["same_weekday_last_week_value"] == pytest.approx(155000)
    assert gmv_d8["prior_period_value"] == pytest.approx(0)
    assert gmv_d8["pct_change_prior_period"] is None  # the reference is 0
    assert gmv_d8["pct_change_prior_year"] is None
    nps_d9 = built.index["daily"][("nps", D9, *ALL)]
    assert nps_d9["same_weekday_last_week_value"] == pytest.approx(-100.0)
    assert nps_d9["prior_period_value"] == pytest.approx(-100.0)
    # (33.33 - (-100)) / (-100): a change against a negative reference
    assert nps_d9["pct_change_prior_period"] == pytest.approx(-4 / 3)
    visits_d2 = built.index["daily"][("visits", D2, *ALL)]
    assert visits_d2["pct_change_prior_period"] == pytest.approx((1 - 3) / 3)
    assert visits_d2["same_weekday_last_week_value"] is None
    first = built.index["daily"][("visits", D1, *ALL)]
    assert first["prior_period_value"] is None
    assert first["pct_change_prior_period"] is None
    # a breakdown row compares with the same dimension value: gmv fashion D4 vs D3 (0)
    fashion_d4 = built.index["daily"][("gmv", D4, "category", "fashion")]
    assert fashion_d4["prior_period_value"] == pytest.approx(0)
    assert fashion_d4["pct_change_prior_period"] is None
    fashion_d2 = built.index["daily"][("gmv", D2, "category", "fashion")]
    assert fashion_d2["prior_period_value"] == pytest.approx(155000)
    assert fashion_d2["pct_change_prior_period"] == pytest.approx((30000 - 155000) / 155000)


@pytest.mark.parametrize("grain", COARSE_GRAINS)
def test_coarser_comparisons_of_every_metric(built, grain):
    """The previous period of the same grain; no same-weekday value; no prior year."""
    problems: list[str] = []
    periods = PERIOD_STARTS[grain]
    for i, period in enumerate(periods):
        current = _coarse_expected(grain, period)
        previous = _coarse_expected(grain, periods[i - 1]) if i >= 1 else None
        for metric, value in current.items():
            row = built.index[grain][(metric, period, *ALL)]
            prior = previous[metric] if previous is not None else None
            label = f"{grain} {metric} {period}"
            _check(problems, f"{label} prior_period_value", row["prior_period_value"], prior)
            _check(
                problems,
                f"{label} pct_change_prior_period",
                row["pct_change_prior_period"],
                _pct(value, prior),
            )
            for column in (
                "same_weekday_last_week_value",
                "prior_year_value",
                "pct_change_prior_year",
            ):
                _check(problems, f"{label} {column}", row[column], None)
    assert not problems, _report(problems, f"wrong {grain} comparisons")


@pytest.mark.parametrize("grain", GRAINS)
def test_comparisons_of_every_row_follow_their_rules(built, grain):
    """Every row, breakdowns included, against the warehouse's own earlier periods."""
    index = built.index[grain]
    periods = PERIOD_STARTS[grain]
    previous_period = {p: (periods[i - 1] if i else None) for i, p in enumerate(periods)}
    problems: list[str] = []
    for (metric, period, dim_name, dim_value), row in index.items():
        label = f"{grain} {metric} {period} {dim_name}={dim_value}"
        before = previous_period.get(period)
        prior = index[(metric, before, dim_name, dim_value)]["metric_value"] if before else None
        _check(problems, f"{label} prior_period_value", row["prior_period_value"], prior)
        _check(
            problems,
            f"{label} pct_change_prior_period",
            row["pct_change_prior_period"],
            _pct(row["metric_value"], prior),
        )
        week_before = period - timedelta(days=7)
        last_week = None
        if grain == "daily" and week_before in previous_period:
            last_week = index[(metric, week_before, dim_name, dim_value)]["metric_value"]
        _check(
            problems,
            f"{label} same_weekday_last_week_value",
            row["same_weekday_last_week_value"],
            last_week,
        )
        _check(problems, f"{label} prior_year_value", row["prior_year_value"], None)
        _check(problems, f"{label} pct_change_prior_year", row["pct_change_prior_year"], None)
    assert not problems, _report(problems, f"inconsistent {grain} comparisons")


@pytest.mark.parametrize("grain", GRAINS)
def test_is_complete_period(built, grain):
    """Complete when the period ends before 04-05, the local date of the newest _synced_at."""
    expected = EXPECTED_COMPLETE[grain]
    wrong = sorted(
        {
            f"{r['period_start']}: got {r['is_complete_period']!r}, "
            f"expected {expected.get(r['period_start'])!r}"
            for r in built.rows[grain]
            if r["is_complete_period"] is not expected.get(r["period_start"])
        }
    )
    assert not wrong, _report(wrong, f"wrong is_complete_period in metrics_{grain}")


def test_dimension_values_are_exactly_the_known_ones(built):
    """Per metric and dimension: the reference list and the data; deleted/quarantined add none."""
    found: dict[tuple[str, str], set[str]] = defaultdict(set)
    for row in built.rows["daily"]:
        if row["dimension_name"] != "all":
            found[(row["metric_name"], row["dimension_name"])].add(row["dimension_value"])
    problems = [
        f"{metric} by {dimension}: got {sorted(found[(metric, dimension)])}, "
        f"expected {sorted(dimension_values(metric, dimension))}"
        for metric, dimensions in PUBLISHED.items()
        for dimension in dimensions
        if found[(metric, dimension)] != dimension_values(metric, dimension)
    ]
    assert not problems, _report(problems, "wrong dimension value sets")


# --- least privilege (PostgreSQL) ---------------------------------------------------------


def test_the_bi_role_reads_marts_and_metrics_and_nothing_else(built, warehouse):
    if warehouse.engine == "duckdb":
        pytest.skip("roles are PostgreSQL's; DuckDB readers get the serving copy (test_serving)")
    skip_on_spark(warehouse, "a local Spark session has no users (grants: docs/spark.md)")
    import re

    import psycopg

    from marketmetrics.roles import role_names

    reader = re.sub(r"user=\S+", f"user={role_names().bi}", warehouse.conninfo)
    with psycopg.connect(reader, autocommit=True) as con:
        for table in ("metrics.metrics_daily", "metrics.metric_alerts", "marts.fct_orders"):
            assert con.execute(f"select count(*) from {table}").fetchall()[0][0] > 0, table
    refused = {}
    for schema in ("raw", "staging", "intermediate", "audit", "reference", "snapshots"):
        (table,) = warehouse.query(
            "select min(tablename) from pg_tables where schemaname = %s", [schema]
        )[0]
        assert table, schema
        with psycopg.connect(reader, autocommit=True) as con:
            try:
                con.execute(f"select 1 from {schema}.{table} limit 1")
                refused[schema] = False
            except psycopg.errors.InsufficientPrivilege:
                refused[schema] = True
    assert refused == dict.fromkeys(refused, True)


# --- the semantic layer (MetricFlow) answers the same numbers ------------------------------


def test_metricflow_answers_equal_the_metric_tables(built, warehouse):
    """Every published metric MetricFlow can express, at day, week and month, overall and by
    each of its dimensions, and every offset metric at day and week grain, as MetricFlow plans
    and renders it for this engine (semantic_queries.py), equals the metric tables."""
    skip_on_spark(warehouse, NO_METRICFLOW_ON_SPARK)
    from marketmetrics.catalog import load_catalog
    from semantic_queries import compare, metricflow_sql, semantic_queries

    catalog = load_catalog()
    render = metricflow_sql(warehouse.dbt.target_path, warehouse.engine)
    queries = semantic_queries(catalog)
    problems: list[str] = []
    nonempty = 0
    for query in queries:
        answer = warehouse.query(render(query))
        found, counted = compare(query, answer, built.index[query.grain], catalog)
        problems += found
        nonempty += counted
    assert not problems, _report(problems, "MetricFlow answers unlike the metric tables")
    # The comparison is not vacuous: the fixture's values are mostly non-zero.
    assert len(queries) > 400 and nonempty > 1000, (len(queries), nonempty)


def test_mf_validate_configs_and_query_by_week_and_payment_method(
    built, warehouse, tmp_path_factory
):
    """The `mf` command itself: the semantic layer validates against this warehouse, and
    `mf query` for payment_success_rate by week and payment method is metrics_weekly's rows."""
    skip_on_spark(warehouse, NO_METRICFLOW_ON_SPARK)
    from marketmetrics.semantic import run_mf
    from semantic_queries import read_csv

    work = tmp_path_factory.mktemp(f"mf-{warehouse.engine}")
    validated = run_mf(warehouse.dbt, ["validate-configs"], capture=True)
    assert validated.returncode == 0, validated.stdout + validated.stderr
    assert "ERRORS: 0" in validated.stdout and "Successfully validated metrics against" in (
        validated.stdout
    ), validated.stdout

    out = work / "answer.csv"
    queried = run_mf(
        warehouse.dbt,
        [
            "query",
            "--metrics",
            "payment_success_rate",
            "--group-by",
            "metric_time__week,payment__payment_method",
            "--csv",
            str(out),
        ],
        capture=True,
    )
    assert queried.returncode == 0, queried.stdout + queried.stderr
    answer = {
        (_day(datetime.fromisoformat(r["metric_time__week"])), r["payment__payment_method"]): float(
            r["payment_success_rate"]
        )
        for r in read_csv(out)
        if r["payment_success_rate"] != ""
    }
    table = {
        (period, value): row["metric_value"]
        for (metric, period, dimension, value), row in built.index["weekly"].items()
        if metric == "payment_success_rate"
        and dimension == "payment_method"
        and row["metric_value"] is not None
    }
    assert answer.keys() == table.keys()
    assert answer == pytest.approx(table, abs=1e-6)
    assert len(answer) >= 6 and len(set(answer.values())) >= 3


def test_the_metric_tables_not_null_rules_are_the_engine_s_where_it_enforces_them(warehouse, built):
    """metrics_daily's contract declares its columns not null. DuckDB and PostgreSQL refuse a
    null when the table is written, so its rules test leaves not_null to them (and still checks
    the grain); on Spark's parquet the rules test checks them after the write."""
    compiled = warehouse.dbt.run("compile", "--select", "rules_metrics_daily").stdout
    assert "unique(metric_name, period_start, dimension_name, dimension_value)" in compiled
    if warehouse.engine == "spark":
        assert "when metric_name is null then 1" in compiled
        return
    assert " is null then 1" not in compiled
    with pytest.raises(Exception, match="metric_name") as refused:
        warehouse.execute(
            "insert into metrics.metrics_daily (metric_name, period_start, dimension_name, "
            "dimension_value) values (null, date '2026-03-02', 'all', 'all')"
        )
    assert "null" in str(refused.value).lower()
    assert warehouse.query(
        "select count(*) from metrics.metrics_daily where metric_name is null"
    ) == [(0,)]
