"""Read the metric tables and the alert feed, write the static site."""

from __future__ import annotations

import json
import math
import os
import re
import shutil
import subprocess
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from marketmetrics.catalog import GRAIN_TABLES, Catalog, enum_labels, load_catalog
from marketmetrics.project import project_dir
from marketmetrics.warehouse import Warehouse

if TYPE_CHECKING:
    from marketmetrics.freshness import SourceFreshness

__all__ = ["build_dashboard", "collect_data", "ensure_echarts"]

HERE = Path(__file__).resolve().parent
ECHARTS_FILE = Path("node_modules") / "echarts" / "dist" / "echarts.min.js"

# The grains the page draws, finest first, with their metric tables.
GRAINS = tuple((grain, GRAIN_TABLES[grain]) for grain in ("day", "week", "month"))
# How much alert history the page carries (most recent first); open alerts always.
_MAX_ALERTS = 400


def ensure_echarts(project: Path | None = None) -> Path:
    """The minified ECharts from node_modules, installed with `npm ci` when missing."""
    project = project or project_dir()
    path = project / ECHARTS_FILE
    if path.is_file():
        return path
    npm = shutil.which("npm")
    if npm is None:
        raise RuntimeError(
            f"{ECHARTS_FILE} is missing and npm is not on PATH: install Node.js and run "
            "`make node-deps` (npm ci) in the repository root"
        )
    has_lock = (project / "package-lock.json").is_file()
    cmd = [npm, "ci" if has_lock else "install", "--no-audit", "--no-fund"]
    subprocess.run(cmd, cwd=project, check=True, capture_output=True, text=True)
    if not path.is_file():
        raise RuntimeError(f"`{' '.join(cmd)}` ran but {path} is still missing")
    return path


def _num(value: Any) -> float | None:
    """A value for JSON: six significant digits (the page never shows more), None for NaN."""
    if value is None:
        return None
    number = float(value)
    if math.isnan(number) or math.isinf(number):
        return None
    return float(f"{number:.6g}")


def _iso(value: Any) -> str:
    return value.isoformat() if isinstance(value, date | datetime) else str(value)


def collect_data(
    warehouse: Warehouse,
    catalog: Catalog | None = None,
    freshness: list[SourceFreshness] | None = None,
) -> dict[str, Any]:
    """Everything the page shows, as one JSON-able dict (series by grain, KPIs, alerts), from
    the metric tables under the name dbt gave their schema."""
    catalog = catalog or load_catalog()
    published = {m.name: m for m in catalog.published}
    schema = warehouse.schemas.metrics
    rows = warehouse.query

    grains: dict[str, Any] = {}
    for grain, table in GRAINS:
        data = rows(
            "select metric_name, period_start, dimension_name, dimension_value, metric_value, "
            "prior_period_value, prior_year_value, is_complete_period "
            f"from {schema}.{table} order by period_start"
        )
        periods = sorted({r[1] for r in data})
        complete = {r[1]: bool(r[7]) for r in data}
        index = {p: i for i, p in enumerate(periods)}
        complete_periods = [p for p in periods if complete[p]]
        latest = complete_periods[-1] if complete_periods else None
        series: dict[str, dict[str, dict[str, list[float | None]]]] = {}
        kpi: dict[str, list[float | None]] = {}
        for name, period, dim, value, metric_value, prior, prior_year, _ in data:
            if name not in published:
                continue
            lines = series.setdefault(name, {}).setdefault(dim, {})
            if value not in lines:
                lines[value] = [None] * len(periods)
            lines[value][index[period]] = _num(metric_value)
            if dim == "all" and period == latest:
                kpi[name] = [_num(metric_value), _num(prior), _num(prior_year)]
        grains[grain] = {
            "periods": [_iso(p) for p in periods],
            "complete": [complete[p] for p in periods],
            "latest_complete": _iso(latest) if latest else None,
            "series": series,
            "kpi": kpi,
        }

    alerts = _collect_alerts(rows, schema)
    day = grains["day"]
    quality = collect_quality(warehouse)
    return {
        "generated_at": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "engine": warehouse.engine,
        "data_through": day["latest_complete"],
        "domains": [
            {"id": d.id, "en": d.label_en, "ko": d.label_ko, "catalog_domains": list(d.includes)}
            for d in catalog.domains
        ],
        "metrics": {
            m.name: {
                "en": m.label_en,
                "ko": m.label_ko,
                "unit": m.unit,
                "direction": m.direction,
                "domain": m.domain,
                "definition": m.definition,
                "dimensions": list(m.dimensions),
            }
            for m in catalog.published
        },
        "dimensions": _dimension_labels(catalog),
        "grains": grains,
        "alerts": alerts,
        # Where the numbers come from, for the page's footer (the names dbt gave the schemas).
        "metrics_schema": schema,
        "stale_sources": [state.as_json() for state in (freshness or []) if state.stale],
        "quality": quality,
    }


# How much of the data-quality history the page carries.
_QUALITY_DAYS = 90
_QUALITY_RUNS = 30


def collect_quality(warehouse: Warehouse) -> dict[str, Any] | None:
    """The data-quality tab (models/quality): the worst offenders first, quarantined and held
    rows per day, the test results of the recent builds and the latest build's failing tests.
    None when the warehouse has no quality tables (built before they existed)."""
    schema = warehouse.schemas.metrics
    rows = warehouse.query
    try:
        summary = rows(
            "select source_table, offence_rank, verdict, raw_rows, quarantined_rows, "
            "quarantined_share, held_rows, unaccounted_rows, hours_since_last_row, "
            f"freshness_status, volume_ratio, volume_status from {schema}.dq_summary "
            "order by offence_rank"
        )
    except Exception as exc:  # an older warehouse: the page without the tab
        if "dq_summary" not in str(exc) and "does not exist" not in str(exc):
            raise
        return None
    days = rows(
        f"select synced_date, issue, sum(issue_rows) from {schema}.dq_row_issues_daily "
        f"where synced_date is not null group by synced_date, issue order by synced_date"
    )
    dates = sorted({d for d, _, _ in days})[-_QUALITY_DAYS:]
    index = {d: i for i, d in enumerate(dates)}
    per_day: dict[str, list[int]] = {"quarantined": [0] * len(dates), "held": [0] * len(dates)}
    for d, issue, n in days:
        if d in index:
            per_day[issue][index[d]] = int(n)
    reasons = rows(
        f"select source_table, issue, reason, sum(issue_rows) as n from {schema}."
        "dq_row_issues_daily group by source_table, issue, reason "
        "order by n desc, source_table, reason limit 12"
    )
    runs = rows(
        "select invocation_id, min(run_started_at) as started, "
        "sum(case when status = 'pass' then 1 else 0 end), "
        "sum(case when status = 'warn' then 1 else 0 end), "
        "sum(case when status in ('fail', 'error') then 1 else 0 end) "
        f"from {schema}.dq_test_results group by invocation_id order by started desc "
        f"limit {_QUALITY_RUNS}"
    )
    latest = runs[0][0] if runs else None
    failing = (
        rows(
            "select test_name, model_name, status, failures, severity "
            f"from {schema}.dq_test_results where invocation_id = %s and status != 'pass' "
            "order by case status when 'error' then 0 when 'fail' then 1 else 2 end, "
            "failures desc, test_name",
            [latest],
        )
        if latest
        else []
    )
    summary_keys = (
        "table", "rank", "verdict", "raw", "quarantined", "share", "held", "unaccounted",
        "hours", "freshness", "ratio", "volume",
    )  # fmt: skip
    return {
        "summary": [
            {
                k: (_num(v) if isinstance(v, float) else v)
                for k, v in zip(summary_keys, r, strict=True)
            }
            for r in summary
        ],
        "days": [_iso(d) for d in dates],
        "per_day": per_day,
        "reasons": [
            {"table": t, "issue": i, "reason": r, "rows": int(n)} for t, i, r, n in reasons
        ],
        "runs": [
            {"at": v.strftime("%Y-%m-%d %H:%M"), "pass": int(p), "warn": int(w), "fail": int(f)}
            for _, v, p, w, f in reversed(runs)
        ],
        "failing": [
            {"test": t, "model": m, "status": st, "failures": f, "severity": sv}
            for t, m, st, f, sv in failing
        ],
    }


def _dimension_labels(catalog: Any) -> dict[str, dict[str, Any]]:
    """Each dimension's labels and its values' labels (seed enum_labels), for the page."""
    seeded = enum_labels()
    return {
        name: {
            "en": dim.label_en,
            "ko": dim.label_ko,
            "values": seeded.get(dim.value_labels or "", {}),
        }
        for name, dim in catalog.dimensions.items()
    }


def _collect_alerts(rows: Any, schema: str) -> list[dict[str, Any]]:
    """Open alerts and the most recent history; an absent feed is an empty list."""
    sql = (
        "select rule_name, rule_type, severity, metric_name, grain, period_start, "
        "dimension_name, dimension_value, metric_value, comparator, threshold_value, "
        "baseline_mean, baseline_stddev, baseline_periods, anomaly_k, is_open "
        f"from {schema}.metric_alerts order by is_open desc, period_start desc, "
        "case severity when 'critical' then 0 when 'warning' then 1 else 2 end, rule_name"
    )
    try:
        found = rows(sql)
    except Exception as exc:  # the feed is optional: a dashboard without alerts still helps
        if "metric_alerts" not in str(exc) and "does not exist" not in str(exc):
            raise
        return []
    keys = (
        "rule",
        "type",
        "severity",
        "metric",
        "grain",
        "period",
        "dim",
        "value",
        "metric_value",
        "comparator",
        "threshold",
        "mean",
        "stddev",
        "weeks",
        "k",
        "open",
    )
    from marketmetrics.alerts import alert_message

    catalog = load_catalog()
    out = []
    for row in found[:_MAX_ALERTS]:
        item = dict(zip(keys, row, strict=True))
        for key in ("metric_value", "threshold", "mean", "stddev", "k"):
            item[key] = _num(item[key])
        item["open"] = bool(item["open"])
        # The feed holds numbers; its message is written in Python, as for the webhook.
        item["message"] = alert_message(
            {
                "metric_name": item["metric"],
                "rule_type": item["type"],
                "severity": item["severity"],
                "grain": item["grain"],
                "period_start": item["period"],
                "dimension_name": item["dim"],
                "dimension_value": item["value"],
                "metric_value": item["metric_value"],
                "comparator": item["comparator"],
                "threshold_value": item["threshold"],
                "baseline_mean": item["mean"],
                "baseline_stddev": item["stddev"],
                "baseline_periods": item["weeks"],
                "anomaly_k": item["k"],
            },
            catalog,
        )
        item["period"] = _iso(item["period"])
        out.append(item)
    return out


def build_dashboard(
    warehouse: Warehouse,
    out_dir: str | os.PathLike[str] = "target/dashboard",
    *,
    title: str = "Marketmetrics",
    freshness: list[SourceFreshness] | None = None,
) -> Path:
    """Write `out_dir/index.html` (and `data.json` beside it) from the warehouse's metric
    tables and return the HTML's path; `freshness` (the latest source freshness check) puts
    the stale raw tables on the page."""
    echarts = ensure_echarts().read_text(encoding="utf-8")
    data = collect_data(warehouse, freshness=freshness)
    data["title"] = title
    data_json = json.dumps(data, ensure_ascii=False, separators=(",", ":"))

    template = (HERE / "template.html").read_text(encoding="utf-8")
    html = (
        template.replace("/*__STYLE__*/", (HERE / "style.css").read_text(encoding="utf-8"))
        .replace("/*__ECHARTS__*/", _script_safe(echarts))
        .replace("/*__DATA__*/", _json_script_safe(data_json))
        .replace("/*__APP__*/", _script_safe((HERE / "app.js").read_text(encoding="utf-8")))
        .replace("__TITLE__", title)
    )
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    (out / "data.json").write_text(data_json, encoding="utf-8")
    index = out / "index.html"
    index.write_text(html, encoding="utf-8")
    return index.resolve()


_SCRIPT_END = re.compile(r"</(script)", re.IGNORECASE)


def _script_safe(text: str) -> str:
    """JavaScript that cannot end its <script> element early: `</script` in any case becomes
    `<\\/script` (the same text inside a string or a regular expression), `<!--` `<\\!--`. The
    project's own code and ECharts only; data goes through _json_script_safe."""
    return _SCRIPT_END.sub(r"<\\/\1", text).replace("<!--", "<\\!--")


def _json_script_safe(data_json: str) -> str:
    """JSON inlined in a <script>: every `<`, `>` and `&` as a \\u escape (in JSON they can only
    sit inside strings, where the escape means the same character), so no value, a category
    name `</SCRIPT><img onerror=...>` included, can reach the HTML parser."""
    return data_json.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
