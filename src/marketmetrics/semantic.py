"""The MetricFlow semantic layer, generated from the metric catalog.

`render_semantic_yaml` turns catalog/metric_catalog.yml into models/semantic/_semantic__models.yml:
one semantic model per fact mart the base metrics read (its primary entity, its date columns as
time dimensions, the breakdowns as categorical dimensions, one measure per base metric with the
metric's filter inside the measure's expression), a simple metric per base metric, ratio and
derived metrics for the rest, two offset metrics per published count or sum (one week and
52 weeks back: the metric tables' same_weekday_last_week_value at day grain and
prior_period_value at week grain, and prior_year_value at day and week grain), and the time spine
model's declaration. `marketmetrics catalog` and every build write it; a test fails when the
committed file is stale. The catalog metrics MetricFlow cannot express exactly are in
`inexpressible()`, with the reason, and listed in docs/semantic_layer.md.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from marketmetrics.catalog import CATALOG_PATH, Catalog, Metric, load_catalog
from marketmetrics.yaml_macro import write_if_changed

if TYPE_CHECKING:
    from marketmetrics.dbt_runner import DbtProject

__all__ = [
    "SEMANTIC_PATH",
    "entity_name",
    "expressible_metrics",
    "inexpressible",
    "offset_metrics",
    "components",
    "render_semantic_yaml",
    "run_mf",
    "write_semantic_yaml",
]

PROJECT_DIR = Path(__file__).resolve().parents[2]
SEMANTIC_PATH = PROJECT_DIR / "models" / "semantic" / "_semantic__models.yml"

# The metric tables' end-of-period stocks count the keys whose status interval covers the end
# of a period's last local day, from interval models (valid_from, valid_to); MetricFlow's
# semi-additive measures need a balance row per key (or per group) and day, which the project
# does not materialise: at 10 M orders a daily row per product and seller would be the largest
# table of the warehouse. They are also null for periods that end before the snapshots began,
# a rule MetricFlow has no way to state.
_STOCK_REASON = (
    "an end-of-period stock over status intervals; MetricFlow's semi-additive measures need "
    "one balance row per key and day, which the warehouse does not keep, and cannot state "
    "that the value is null before the first snapshot"
)
INEXPRESSIBLE_CALCS = {"eod": _STOCK_REASON}

TIME_SPINE_MODEL = "metricflow_time_spine"
TIME_SPINE_COLUMN = "date_day"
OFFSETS = (("last_week", "1 week"), ("prior_year", "52 weeks"))


def entity_name(catalog: Catalog, fact_model: str) -> str:
    """The primary entity of a fact model's semantic model (the catalog's `entity`)."""
    spec = catalog.facts[fact_model]
    if "entity" not in spec:
        raise ValueError(f"metric catalog: facts.{fact_model} has no `entity`")
    return str(spec["entity"])


def inexpressible(catalog: Catalog) -> dict[str, str]:
    """Metric name -> why MetricFlow cannot express it, including derived metrics over one."""
    out = {
        m.name: INEXPRESSIBLE_CALCS[m.calc]
        for m in catalog.metrics
        if m.calc in INEXPRESSIBLE_CALCS
    }
    for metric in catalog.metrics:
        blocked = [name for name in components(metric) if name in out]
        if blocked:
            out[metric.name] = f"reads {', '.join(blocked)} ({out[blocked[0]]})"
    return out


def components(metric: Metric) -> list[str]:
    """The metrics a ratio or formula reads (numerator, denominator, expression), in order."""
    import re

    spec = metric.spec
    names = list(spec.get("numerator") or []) + list(spec.get("denominator") or [])
    names += re.findall(r"{([a-z0-9_]+)}", str(spec.get("expression") or ""))
    return list(dict.fromkeys(names))


def expressible_metrics(catalog: Catalog) -> tuple[Metric, ...]:
    """The catalog metrics the semantic layer defines (hidden components included)."""
    blocked = inexpressible(catalog)
    return tuple(m for m in catalog.metrics if m.name not in blocked)


def offset_metrics(catalog: Catalog) -> dict[str, tuple[str, str, str]]:
    """Offset metric name -> (metric, offset name, window): published counts and sums."""
    return {
        f"{m.name}_{offset}": (m.name, offset, window)
        for m in expressible_metrics(catalog)
        if m.published and m.calc in ("count", "sum")
        for offset, window in OFFSETS
    }


def _measure(metric: Metric) -> dict[str, Any]:
    spec = metric.spec
    where = spec.get("where")
    value = "1" if metric.calc == "count" else str(spec["value"])
    # The catalog's filter inside the measure: a measure has no filter of its own.
    expr = f"case when {where} then {value} end" if where else value
    measure: dict[str, Any] = {"name": metric.name, "description": metric.definition}
    if metric.calc in ("count", "sum"):
        measure |= {"agg": "sum", "expr": expr}
    elif metric.calc == "count_distinct":
        measure |= {"agg": "count_distinct", "expr": expr}
    elif metric.calc == "percentile":
        measure |= {
            "agg": "percentile",
            "agg_params": {"percentile": float(spec["p"]), "use_discrete_percentile": False},
            "expr": expr,
        }
    else:  # pragma: no cover - guarded by the caller
        raise ValueError(f"{metric.name}: calc {metric.calc} is not a measure")
    measure["agg_time_dimension"] = spec["date"]
    return measure


def _semantic_model(catalog: Catalog, fact_model: str, metrics: list[Metric]) -> dict[str, Any]:
    spec = catalog.facts[fact_model]
    keys = spec.get("key")
    keys = [keys] if isinstance(keys, str) else list(keys or [])
    if len(keys) == 1:
        key_expr = keys[0]
    else:
        # A composite key as one text value: the entity must be a single expression.
        key_expr = " || '|' || ".join(f"cast({key} as varchar)" for key in keys)
    dates = list(dict.fromkeys(m.spec["date"] for m in metrics))
    dimension_names = list(dict.fromkeys(d for m in metrics for d in m.dimensions))
    dimensions: list[dict[str, Any]] = [
        {
            "name": date,
            "type": "time",
            "description": f"The local date (reporting time zone) that places a row: {date}.",
            "type_params": {"time_granularity": "day"},
        }
        for date in dates
    ]
    for name in dimension_names:
        dim = catalog.dimensions[name]
        expr = dim.column
        if dim.where:
            # Only the rows the breakdown is about carry a value (metrics.md): the rest is null.
            expr = f"case when {dim.where} then {dim.column} end"
        entry: dict[str, Any] = {
            "name": name,
            "type": "categorical",
            "label": dim.label_en,
            "description": f"Breakdown `{name}` of the metric tables ({dim.label_ko}).",
        }
        if expr != name:
            entry["expr"] = expr
        dimensions.append(entry)
    return {
        "name": fact_model,
        "description": f"The base metrics computed from {fact_model} (catalog/metric_catalog.yml).",
        "model": f"ref('{fact_model}')",
        "defaults": {"agg_time_dimension": dates[0]},
        "entities": [
            {
                "name": entity_name(catalog, fact_model),
                "type": "primary",
                **({"expr": key_expr} if key_expr != entity_name(catalog, fact_model) else {}),
            }
        ],
        "dimensions": dimensions,
        "measures": [_measure(m) for m in metrics],
    }


def _metric(metric: Metric) -> list[dict[str, Any]]:
    """The MetricFlow metric of one catalog metric (and the sums a ratio's sides need)."""
    base = {
        "name": metric.name,
        "label": metric.label_en,
        "description": metric.definition,
        "config": {
            "meta": {
                "label_ko": metric.label_ko,
                "unit": metric.unit,
                "direction": metric.direction,
                "domain": metric.domain,
                "hidden": metric.hidden,
            }
        },
    }
    spec = metric.spec
    if metric.calc in ("count", "sum", "count_distinct"):
        # The metric tables report 0 for a period without rows; so does the metric.
        return [
            base
            | {
                "type": "simple",
                "type_params": {"measure": {"name": metric.name, "fill_nulls_with": 0}},
            }
        ]
    if metric.calc == "percentile":
        return [base | {"type": "simple", "type_params": {"measure": metric.name}}]
    if metric.calc == "ratio":
        out: list[dict[str, Any]] = []
        sides = {}
        for side in ("numerator", "denominator"):
            names = list(spec[side])
            if len(names) == 1:
                sides[side] = names[0]
                continue
            # A side summing several metrics is a derived metric of its own.
            helper = f"{metric.name}_{side}"
            sides[side] = helper
            out.append(
                {
                    "name": helper,
                    "label": f"{metric.label_en} ({side})",
                    "description": f"The {side} of {metric.name}: {' + '.join(names)}.",
                    "type": "derived",
                    "type_params": {
                        "expr": " + ".join(names),
                        "metrics": [{"name": n} for n in names],
                    },
                }
            )
        return [*out, base | {"type": "ratio", "type_params": sides}]
    if metric.calc == "formula":
        parts = components(metric)
        expr = str(spec["expression"])
        for part in parts:
            expr = expr.replace("{" + part + "}", part)
        return [
            base
            | {
                "type": "derived",
                "type_params": {"expr": expr, "metrics": [{"name": p} for p in parts]},
            }
        ]
    raise ValueError(
        f"{metric.name}: calc {metric.calc} has no MetricFlow metric"
    )  # pragma: no cover


def render_semantic_yaml(catalog_path: str | Path = CATALOG_PATH) -> str:
    """The generated YAML file (what `write_semantic_yaml` writes)."""
    catalog = load_catalog(catalog_path)
    metrics = expressible_metrics(catalog)
    by_name = {m.name: m for m in catalog.metrics}
    facts: dict[str, list[Metric]] = {}
    for metric in metrics:
        if metric.model:
            facts.setdefault(metric.model, []).append(metric)
    semantic_models = [_semantic_model(catalog, fact, ms) for fact, ms in facts.items()]
    mf_metrics = [entry for metric in metrics for entry in _metric(metric)]
    for name, (source_name, offset, window) in offset_metrics(catalog).items():
        source = by_name[source_name]
        mf_metrics.append(
            {
                "name": name,
                "label": f"{source.label_en} ({window} earlier)",
                "description": (
                    f"{source_name} {window} earlier: at day grain the metric tables' "
                    + (
                        "same_weekday_last_week_value, at week grain their prior_period_value."
                        if offset == "last_week"
                        else "prior_year_value (364 days), at week grain too (52 weeks)."
                    )
                ),
                "type": "derived",
                "type_params": {
                    "expr": f"{source_name}_offset",
                    "metrics": [
                        {
                            "name": source_name,
                            "offset_window": window,
                            "alias": f"{source_name}_offset",
                        }
                    ],
                },
            }
        )
    document = {
        "version": 2,
        "models": [
            {
                "name": TIME_SPINE_MODEL,
                "description": (
                    "One row per calendar day (MetricFlow's time spine): the days a metric "
                    "query and its offsets can reach."
                ),
                "time_spine": {"standard_granularity_column": TIME_SPINE_COLUMN},
                "columns": [
                    {
                        "name": TIME_SPINE_COLUMN,
                        "description": "A calendar day.",
                        "granularity": "day",
                    }
                ],
            }
        ],
        "semantic_models": semantic_models,
        "metrics": mf_metrics,
    }
    header = (
        "# GENERATED from catalog/metric_catalog.yml by `marketmetrics catalog` (and every\n"
        "# `marketmetrics build`): do not edit, edit the catalog (src/marketmetrics/semantic.py\n"
        "# writes it; tests/python/test_semantic_layer.py fails when it is stale).\n"
        "# The metrics the semantic layer cannot express exactly: docs/semantic_layer.md.\n"
    )
    body = yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=100)
    return header + body


def write_semantic_yaml(catalog_path: str | Path = CATALOG_PATH) -> bool:
    """Refresh the generated semantic layer; True when it changed."""
    SEMANTIC_PATH.parent.mkdir(parents=True, exist_ok=True)
    return write_if_changed(SEMANTIC_PATH, render_semantic_yaml(catalog_path))


def run_mf(
    dbt: DbtProject, args: list[str], capture: bool = False
) -> subprocess.CompletedProcess[str]:
    """Run MetricFlow's `mf` command on the warehouse `dbt` builds.

    `mf` reads the semantic manifest from `<project>/target/semantic_manifest.json`, while each
    target of this project keeps its artefacts in its own directory (target/duckdb, ...); so
    `mf` runs in a small project directory beside it: the project file and a `target` link to
    the target's directory. The manifest is written by any dbt parse or build of the target."""
    assert dbt.target_path is not None
    target_path = Path(dbt.target_path)
    if not (target_path / "semantic_manifest.json").exists():
        dbt.run("parse")
    work = target_path.with_name(f"{target_path.name}-mf")
    work.mkdir(parents=True, exist_ok=True)
    for link, points_to in (
        (work / "dbt_project.yml", Path(dbt.project_dir) / "dbt_project.yml"),
        (work / "target", target_path),
    ):
        if not link.is_symlink():
            link.symlink_to(points_to.resolve(), target_is_directory=points_to.is_dir())
    env = dbt.env() | {"DBT_PROJECT_DIR": str(work), "DBT_LOG_PATH": str(work / "logs")}
    mf = Path(sys.executable).with_name("mf")
    return subprocess.run(
        [str(mf), *args],
        cwd=work,
        env=env,
        capture_output=capture,
        text=True,
        check=False,
        timeout=None if not capture else 900,
    )
