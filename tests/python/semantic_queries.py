"""MetricFlow queries of the generated semantic layer, compared with the metric tables.

MetricFlow plans every query from the semantic manifest dbt wrote (`semantic_manifest.json` in
the warehouse's target directory) and renders it for the engine, exactly as `mf query` does; the
warehouse runs the SQL. `mf_cli` runs the real `mf` command against a built warehouse.

How a MetricFlow answer maps onto a metric table (docs/metrics.md):
- MetricFlow returns only the groups that have rows; the metric tables are dense (every period
  and every known dimension value, zero-filled). A period or value MetricFlow does not return
  must hold the empty value in the table (0 for counts and sums, null for percentiles and
  ratios of nothing).
- MetricFlow returns a group for facts whose date is null (placed in no period) and, for a
  breakdown that only some rows observe (upstream_provider), a null value for the others; the
  metric tables have no such rows, so those groups are not compared.
- An offset metric answers for periods its shifted data reaches beyond the calendar; only the
  periods of the metric table are compared.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from marketmetrics.catalog import Catalog, Metric, load_catalog
from marketmetrics.semantic import components, entity_name, expressible_metrics, offset_metrics

REPO_ROOT = Path(__file__).resolve().parents[2]

MF_GRAINS = {"daily": "day", "weekly": "week", "monthly": "month"}
# Offset metric -> the metric table column it equals, per grain it is compared at.
OFFSET_COLUMNS = {
    "last_week": {"daily": "same_weekday_last_week_value", "weekly": "prior_period_value"},
    "prior_year": {"daily": "prior_year_value", "weekly": "prior_year_value"},
}


@dataclass(frozen=True)
class Query:
    """One MetricFlow query: a metric at a grain, overall or by one dimension."""

    metric: str
    grain: str
    dimension: str | None
    group_by: tuple[str, ...]
    compare_to: str = "metric_value"
    """The metric table column the answer equals."""
    table_metric: str = ""
    """The metric table's metric_name (the offset's source metric for an offset)."""


def _fact_of(catalog: Catalog, metric: Metric) -> str:
    """The one fact model a metric's breakdowns come from (through a ratio's components)."""
    if metric.model:
        return metric.model
    models = {_fact_of(catalog, catalog[name]) for name in components(metric)}
    if len(models) != 1:
        raise ValueError(f"{metric.name}: components on several facts {sorted(models)}")
    return models.pop()


def semantic_queries(catalog: Catalog | None = None) -> list[Query]:
    """Every published expressible metric at day, week and month, overall and by each of its
    dimensions; every offset metric at the grains its table column is defined for."""
    catalog = catalog or load_catalog()
    out: list[Query] = []
    published = [m for m in expressible_metrics(catalog) if m.published]
    for metric in published:
        for grain, mf_grain in MF_GRAINS.items():
            time = f"metric_time__{mf_grain}"
            out.append(Query(metric.name, grain, None, (time,), table_metric=metric.name))
            for dimension in metric.dimensions:
                entity = entity_name(catalog, _fact_of(catalog, metric))
                out.append(
                    Query(
                        metric.name,
                        grain,
                        dimension,
                        (time, f"{entity}__{dimension}"),
                        table_metric=metric.name,
                    )
                )
    for name, (source, offset, _window) in offset_metrics(catalog).items():
        for grain, column in OFFSET_COLUMNS[offset].items():
            out.append(
                Query(
                    name,
                    grain,
                    None,
                    (f"metric_time__{MF_GRAINS[grain]}",),
                    compare_to=column,
                    table_metric=source,
                )
            )
    return out


class _ExplainOnlyClient:
    """What MetricFlow's planner needs of a SQL client to render a query: its dialect."""

    def __init__(self, engine: str) -> None:
        from metricflow.protocols.sql_client import SqlEngine

        if engine == "duckdb":
            from metricflow.sql.render.duckdb_renderer import DuckDbSqlPlanRenderer

            self.sql_engine_type = SqlEngine.DUCKDB
            self.sql_plan_renderer = DuckDbSqlPlanRenderer()
        else:
            from metricflow.sql.render.postgres import PostgresSQLSqlPlanRenderer

            self.sql_engine_type = SqlEngine.POSTGRES
            self.sql_plan_renderer = PostgresSQLSqlPlanRenderer()


def metricflow_sql(target_path: Path, engine: str) -> Callable[[Query], str]:
    """A function rendering a Query into the SQL MetricFlow would run on `engine`."""
    from metricflow.engine.metricflow_engine import MetricFlowEngine, MetricFlowQueryRequest
    from metricflow_semantics.model.dbt_manifest_parser import (
        parse_manifest_from_dbt_generated_manifest,
    )
    from metricflow_semantics.model.semantic_manifest_lookup import SemanticManifestLookup

    manifest = parse_manifest_from_dbt_generated_manifest(
        (Path(target_path) / "semantic_manifest.json").read_text(encoding="utf-8")
    )
    mf = MetricFlowEngine(
        semantic_manifest_lookup=SemanticManifestLookup(manifest),
        sql_client=_ExplainOnlyClient(engine),  # type: ignore[arg-type]
    )

    def render(query: Query) -> str:
        request = MetricFlowQueryRequest.create(
            metric_names=[query.metric], group_by_names=list(query.group_by)
        )
        return mf.explain(request).sql_statement.sql

    return render


def _number(value: Any) -> Any:
    if isinstance(value, (Decimal, int)) and not isinstance(value, bool):
        return float(value)
    return value


def _day(value: Any) -> Any:
    return value.date() if isinstance(value, datetime) else value


def _same(got: Any, expected: Any) -> bool:
    if got is None or expected is None:
        return got is None and expected is None
    # The metric tables round percentiles to 6 decimals (metric_aggregate); MetricFlow does not.
    return abs(got - expected) <= max(1e-6, 1e-9 * abs(expected))


def compare(
    query: Query,
    answer: list[tuple[Any, ...]],
    table: dict[tuple[str, date, str, str], dict[str, Any]],
    catalog: Catalog,
) -> tuple[list[str], int]:
    """Problems of one answer against a metric table's index, and the values compared that
    were not empty."""
    problems: list[str] = []
    dimension = query.dimension or "all"
    expected = {
        (period, value): row[query.compare_to]
        for (metric, period, dim_name, value), row in table.items()
        if metric == query.table_metric and dim_name == dimension
    }
    periods = {period for period, _ in expected}
    where = catalog.dimensions[query.dimension].where if query.dimension else None
    seen: set[tuple[date, str]] = set()
    nonempty = 0
    label = f"{query.metric} {query.grain} by {dimension}"
    for row in answer:
        period = _day(row[0])
        if period is None:
            continue  # facts placed in no period
        if query.dimension:
            value = row[1]
            if value is None and where:
                continue  # rows the breakdown does not observe
            key = (period, "none" if value is None else str(value))
        else:
            key = (period, "all")
        got = _number(row[-1])
        if key not in expected:
            if query.compare_to != "metric_value" and period not in periods:
                continue  # an offset reaching past the calendar
            problems.append(f"{label} {key}: MetricFlow has {got!r}, the table has no row")
            continue
        seen.add(key)
        want = _number(expected[key])
        if not _same(got, want):
            problems.append(f"{label} {key}: MetricFlow {got!r}, table {want!r}")
        elif want not in (None, 0):
            nonempty += 1
    for key, want in expected.items():
        if key not in seen and _number(want) not in (None, 0):
            problems.append(f"{label} {key}: MetricFlow has no row, the table has {want!r}")
    return problems, nonempty


def read_csv(path: Path) -> list[dict[str, str]]:
    import csv

    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def generated_metric_names(path: Path) -> set[str]:
    """The metrics the generated semantic-layer file defines."""
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    return {entry["name"] for entry in document["metrics"]}
