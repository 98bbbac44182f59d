"""The metric catalog as a dbt doc block, so `dbt docs` shows every metric's definition.

dbt descriptions cannot loop over data, so the block is rendered from the catalog into
docs/dbt/metric_catalog.md and committed; tests/python/test_metric_docs.py fails when the
file and the catalog drift apart, and `marketmetrics docs` rewrites it.
"""

from __future__ import annotations

from pathlib import Path

from marketmetrics.catalog import PROJECT_DIR, Catalog, load_catalog

DOCS_PATH = PROJECT_DIR / "docs" / "dbt" / "metric_catalog.md"

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
        "Every published metric (generated from `macros/metrics/metric_catalog.sql`; do not",
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


def write_metric_docs(path: Path = DOCS_PATH) -> Path:
    path.write_text(render_metric_docs(), encoding="utf-8")
    return path
