"""The metric catalog as a dbt doc block, so `dbt docs` shows every metric's definition.

dbt descriptions cannot loop over data, so the block is rendered from the catalog into
docs/dbt/metric_catalog.md and committed; tests/python/test_metric_docs.py fails when the
file and the catalog drift apart, and `marketmetrics docs` rewrites it.
"""

from __future__ import annotations

from marketmetrics.catalog import PROJECT_DIR, Catalog, Metric, load_catalog

DOCS_PATH = PROJECT_DIR / "docs" / "dbt" / "metric_catalog.md"
WIDE_TABLES_PATH = PROJECT_DIR / "models" / "metrics" / "domains" / "_domains__models.yml"

_UNITS = {
    "count": "count",
    "won": "KRW",
    "rate": "fraction (0.973 = 97.3 %)",
    "hours": "hours",
    "seconds": "seconds",
    "ms": "milliseconds",
    "pct": "percent",
    "score": "score (-100 to 100)",
}


def render_metric_docs(catalog: Catalog | None = None) -> str:
    """The doc block `metric_definitions`: one table row per published metric, by domain."""
    catalog = catalog or load_catalog()
    lines = [
        "{% docs metric_definitions %}",
        "Every published metric (generated from `catalog/metric_catalog.yml`; do not",
        "edit by hand: run `marketmetrics docs`). Period assignment uses the timestamp in",
        "brackets, in the reporting time zone.",
        "",
        "| metric | label | 한국어 | unit | dimensions | definition |",
        "|---|---|---|---|---|---|",
    ]
    for metric in sorted(
        (m for m in catalog.metrics if m.published), key=lambda m: (m.domain, m.name)
    ):
        cells = [
            f"`{metric.name}`",
            metric.label_en,
            metric.label_ko,
            _UNITS.get(metric.unit, metric.unit),
            ", ".join(metric.dimensions) or "-",
            metric.definition.replace("|", "\\|"),
        ]
        lines.append("| " + " | ".join(cells) + " |")
    lines += ["{% enddocs %}", ""]
    return "\n".join(lines)


def _percentile_siblings(metric: Metric, catalog: Catalog) -> list[Metric]:
    """The percentiles computed in one aggregate with `metric` in its overall group: same
    fact, date, value and filter (macros/metrics/metric_values.sql, metric_percentile_sets)."""
    key = ("model", "date", "value", "where")
    return [
        m
        for m in catalog.metrics
        if m.calc == "percentile" and all(m.spec.get(k) == metric.spec.get(k) for k in key)
    ]


def shared_percentile(metric: Metric, catalog: Catalog) -> tuple[str, int] | None:
    """For a percentile computed in one aggregate with others: that aggregate (an array of
    doubles) and the metric's 1-based index in it; None otherwise."""
    siblings = _percentile_siblings(metric, catalog) if metric.calc == "percentile" else []
    if len(siblings) < 2:
        return None
    spec = metric.spec
    ps = ", ".join(str(m.spec["p"]) for m in siblings)
    aggregate = (
        f"percentile_cont(array[{ps}]) within group (order by case when "
        f"{spec.get('where') or 'true'} then cast({spec['value']} as double precision) end)"
    )
    return aggregate, [m.name for m in siblings].index(metric.name) + 1


def metric_expression(metric: Metric, catalog: Catalog | None = None) -> str:
    """A metric's aggregate as its values model compiles it (macros/metrics/metric_sql.sql,
    metric_aggregate), or how the metric tables derive it. tests/python/test_metric_docs.py
    checks each base metric's text against the compiled values model."""
    spec = metric.spec
    condition = spec.get("where") or "true"
    calc = metric.calc
    shared = shared_percentile(metric, catalog or load_catalog())
    if shared is not None:
        aggregate, index = shared
        return f"({aggregate})[{index}]"
    if calc == "count":
        return f"sum(case when {condition} then 1 else 0 end)"
    if calc == "sum":
        return f"sum(case when {condition} then cast({spec['value']} as decimal(38, 6)) else 0 end)"
    if calc == "count_distinct":
        return f"count(distinct case when {condition} then {spec['value']} end)"
    if calc == "percentile":
        return (
            f"cast(percentile_cont({spec['p']}) within group (order by case when {condition} "
            f"then cast({spec['value']} as double precision) end) as decimal(38, 6))"
        )
    if calc == "eod":
        where = f" where {spec['where']}" if spec.get("where") else ""
        return (
            "running sum through the period's last day of +1 on local_date(valid_from_at) and "
            f"-1 on local_date(valid_to_at){where}"
        )
    if calc == "ratio":
        numerator = " + ".join(spec["numerator"])
        denominator = " + ".join(spec["denominator"])
        return f"({numerator}) / nullif({denominator}, 0)"
    if calc == "formula":
        return str(spec["expression"]).replace("{", "").replace("}", "")
    raise ValueError(f"{metric.name}: unknown calc {calc!r}")


def render_metric_sql_docs(catalog: Catalog | None = None) -> str:
    """The doc block `metric_sql`: where each metric's SQL lives and what it computes."""
    catalog = catalog or load_catalog()
    lines = [
        "{% docs metric_sql %}",
        "Where each metric's SQL lives (generated from the catalog: run `marketmetrics docs`).",
        "A base metric is computed in its values model, one per fact, at day grain over the",
        "fact rows of each day; counts and sums at coarser grains are the sums of their days,",
        "distinct counts and percentiles are recomputed over the whole period. Ratios and",
        "formulas are computed from their components in the metric tables (`metrics_<grain>`).",
        "",
        "| metric | SQL in | from, placed by | expression |",
        "|---|---|---|---|",
    ]
    for metric in sorted(catalog.metrics, key=lambda m: (m.domain, m.name)):
        model = catalog.values_model(metric)
        if model is None:
            where, source = "`metrics_<grain>`", "its components"
        else:
            where = f"`{model}`"
            date = metric.spec.get("date")
            source = f"`{metric.model}`" + (f" by `{date}`" if date else "")
        expression = metric_expression(metric, catalog).replace("|", "\\|")
        name = f"`{metric.name}`" + (" (hidden component)" if metric.hidden else "")
        lines.append(f"| {name} | {where} | {source} | `{expression}` |")
    lines += ["{% enddocs %}", ""]
    return "\n".join(lines)


def render_docs_file(catalog: Catalog | None = None) -> str:
    """docs/dbt/metric_catalog.md: both doc blocks."""
    catalog = catalog or load_catalog()
    return render_metric_docs(catalog) + "\n" + render_metric_sql_docs(catalog)


def render_wide_tables_yaml(catalog: Catalog | None = None) -> str:
    """The docs of the wide per-domain tables (models/metrics/domains), column by column.

    Each table has one column per published metric of its domain (macros/metrics/
    wide_domain_metrics.sql), so its docs come from the catalog too: `marketmetrics catalog`
    writes them, and a test fails when the committed file is stale."""
    import yaml

    catalog = catalog or load_catalog()
    domains = sorted({m.domain for m in catalog.published})
    models = []
    for domain in domains:
        metrics = [m for m in catalog.published if m.domain == domain]
        columns: list[dict[str, object]] = [
            {
                "name": "period_start",
                "description": '{{ doc("wide_period_start") }}',
                "data_tests": ["unique", "not_null"],
            }
        ]
        for metric in metrics:
            unit = _UNITS.get(metric.unit, metric.unit)
            columns.append(
                {
                    "name": metric.name,
                    "description": (
                        f"{metric.label_en} ({metric.label_ko}; {unit}): {metric.definition} "
                        f"The overall value of `{metric.name}` in metrics_daily."
                    ),
                }
            )
        columns.append(
            {"name": "is_complete_period", "description": '{{ doc("wide_is_complete_period") }}'}
        )
        models.append(
            {
                "name": f"metrics_{domain}_daily",
                "description": (
                    f"Wide daily table of the {domain} metrics for BI: one row per local day, "
                    f"one column per published metric of the domain ({len(metrics)}, overall "
                    "values), pivoted from metrics_daily, so its numbers are that table's."
                ),
                "columns": columns,
            }
        )
    header = (
        "# GENERATED from catalog/metric_catalog.yml by `marketmetrics catalog` (and every\n"
        "# `marketmetrics build`; src/marketmetrics/metric_docs.py): do not edit, edit the\n"
        "# catalog. tests/python/test_metric_docs.py fails when this file is stale.\n"
    )
    body = yaml.safe_dump(
        {"version": 2, "models": models}, sort_keys=False, allow_unicode=True, width=100
    )
    return header + body
