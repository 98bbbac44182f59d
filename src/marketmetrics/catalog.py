"""The metric catalog, read by Python from the same YAML dbt reads.

The catalog is dbt's semantic layer, in the YAML beside each fact mart
(`models/marts/<domain>/_<domain>__metrics.yml`): a semantic model per fact (its measures,
dimensions and, in meta, how its changes are found and which values model holds its SQL) and
the metrics (labels, unit, direction, domain and published breakdowns in meta). The
end-of-period stocks, which no measure expresses, are in their interval models' meta
(`stock_metrics`). The dashboard tabs' labels are the seed `metric_domains`. dbt's macros build
the same catalog from dbt's graph (macros/metrics/metric_catalog.sql), so the dashboard, the
alerts and the SQL can never disagree about a metric's label, unit or breakdowns.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from marketmetrics.project import project_dir, read_yaml

__all__ = [
    "Catalog",
    "Dimension",
    "Domain",
    "enum_labels",
    "Metric",
    "load_catalog",
]


@dataclass(frozen=True)
class Dimension:
    """A breakdown a metric may carry (`payment_method`, `service`, ...)."""

    name: str
    column: str
    values: str | None = None
    where: str | None = None
    """The fact rows that are observations of it (`upstream_provider`: outbound calls only)."""
    label_en: str = ""
    label_ko: str = ""
    value_labels: str | None = None
    """`table.column` of the contract enumeration whose seed labels (enum_labels) name its
    values: from `values: enum ...`, or given (`value_labels`) for a seed-listed dimension."""


@dataclass(frozen=True)
class Domain:
    """A dashboard tab: its labels and the catalog domains it shows."""

    id: str
    label_en: str
    label_ko: str
    includes: tuple[str, ...]


@dataclass(frozen=True)
class Metric:
    """One catalog entry, with the fields the dashboard and the alerts use."""

    name: str
    domain: str
    label_en: str
    label_ko: str
    unit: str
    direction: str
    definition: str
    dimensions: tuple[str, ...] = ()
    hidden: bool = False
    calc: str = ""
    model: str | None = None
    """The fact (or interval) model the metric is computed from; none for ratios and formulas."""
    spec: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)
    """The whole catalog entry (date, where, value, p, numerator, denominator, expression)."""

    @property
    def published(self) -> bool:
        return not self.hidden

    def label(self, lang: str = "en") -> str:
        return self.label_ko if lang == "ko" else self.label_en


@dataclass(frozen=True)
class Catalog:
    """Every metric of the catalog (hidden ones too) and the known dimensions."""

    metrics: tuple[Metric, ...]
    dimensions: dict[str, Dimension] = field(default_factory=dict)
    domains: tuple[Domain, ...] = ()
    facts: dict[str, dict[str, Any]] = field(default_factory=dict)
    """Per fact model: its key, how its changes are found, and its values model."""

    def values_model(self, metric: Metric) -> str | None:
        """The model that holds the SQL of a base or stock metric (none for derived ones)."""
        return self.facts[metric.model]["metrics"] if metric.model else None

    @property
    def published(self) -> tuple[Metric, ...]:
        return tuple(m for m in self.metrics if m.published)

    def __getitem__(self, name: str) -> Metric:
        for metric in self.metrics:
            if metric.name == name:
                return metric
        raise KeyError(name)

    def __contains__(self, name: object) -> bool:
        return any(m.name == name for m in self.metrics)

    def by_domain(self, domain: str, published_only: bool = True) -> tuple[Metric, ...]:
        pool = self.published if published_only else self.metrics
        return tuple(m for m in pool if m.domain == domain)


def _meta(entry: dict[str, Any]) -> dict[str, Any]:
    return dict((entry.get("config") or {}).get("meta") or entry.get("meta") or {})


def _yaml_documents(project: Path) -> list[dict[str, Any]]:
    documents = []
    for path in sorted((project / "models").rglob("*.yml")):
        document = read_yaml(path) or {}
        if isinstance(document, dict):
            documents.append(document)
    return documents


def _dimension(name: str, column: str, label: str | None, meta: dict[str, Any]) -> Dimension:
    values = meta.get("values")
    value_labels = meta.get("value_labels") or (
        str(values)[5:] if str(values or "").startswith("enum ") else None
    )
    return Dimension(
        name=name,
        column=column,
        values=values,
        where=meta.get("where"),
        label_en=label or name.replace("_", " "),
        label_ko=meta.get("label_ko") or label or name.replace("_", " "),
        value_labels=value_labels,
    )


def _metric(name: str, label: str, description: str, meta: dict[str, Any], **spec: Any) -> Metric:
    full = {"dimension_values": meta.get("dimension_values"), **spec}
    return Metric(
        name=name,
        domain=meta["domain"],
        label_en=label,
        label_ko=meta.get("label_ko", label),
        unit=meta["unit"],
        direction=meta.get("direction", "none"),
        definition=" ".join(str(description or "").split()),
        dimensions=tuple(meta.get("dimensions") or ()),
        hidden=bool(meta.get("hidden", False)),
        calc=spec["calc"],
        model=spec.get("model"),
        spec={k: v for k, v in full.items() if v is not None},
    )


def load_catalog(project: str | Path | None = None) -> Catalog:
    """The catalog of the project (default: the one `project_dir()` finds)."""
    root = Path(project) if project else project_dir()
    documents = _yaml_documents(root)
    measures: dict[str, dict[str, Any]] = {}
    facts: dict[str, dict[str, Any]] = {}
    dimensions: dict[str, Dimension] = {}
    for document in documents:
        for semantic in document.get("semantic_models") or ():
            fact = re.sub(r"^ref\('(.+)'\)$", r"\1", semantic["model"])
            meta = _meta(semantic)
            primary = next(e for e in semantic["entities"] if e["type"] == "primary")
            facts[fact] = {
                "entity": primary["name"],
                "key": meta["key"],
                "changes": meta["changes"],
                "metrics": meta["values_model"],
            }
            for dim in semantic.get("dimensions") or ():
                if dim["type"] == "categorical":
                    column = dim.get("expr") or dim["name"]
                    dimensions.setdefault(
                        dim["name"], _dimension(dim["name"], column, dim.get("label"), _meta(dim))
                    )
            default_date = semantic["defaults"]["agg_time_dimension"]
            for measure in semantic.get("measures") or ():
                measures[measure["name"]] = {
                    "model": fact,
                    "calc": measure["agg"],
                    "value": str(measure.get("expr") or measure["name"]),
                    "date": measure.get("agg_time_dimension") or default_date,
                    "p": (measure.get("agg_params") or {}).get("percentile"),
                }
    helpers = {
        m["name"]: m
        for document in documents
        for m in document.get("metrics") or ()
        if not _meta(m).get("domain")
    }
    metrics: list[Metric] = []
    for document in documents:
        for entry in document.get("metrics") or ():
            meta = _meta(entry)
            if not meta.get("domain"):
                continue
            params = entry.get("type_params") or {}
            if entry["type"] == "simple":
                measure = params["measure"]
                measure_name = measure["name"] if isinstance(measure, dict) else measure
                spec = dict(measures[measure_name])
            elif entry["type"] == "ratio":
                sides = {}
                for side in ("numerator", "denominator"):
                    ref = params[side]
                    side_name = ref["name"] if isinstance(ref, dict) else ref
                    sides[side] = (
                        [m["name"] for m in helpers[side_name]["type_params"]["metrics"]]
                        if side_name in helpers
                        else [side_name]
                    )
                spec = {"calc": "ratio", **sides}
            elif entry["type"] == "derived":
                expression = str(params["expr"])
                for component in params.get("metrics") or ():
                    expression = re.sub(
                        rf"\b{component['name']}\b", "{" + component["name"] + "}", expression
                    )
                spec = {"calc": "formula", "expression": expression}
            else:
                raise ValueError(f"metric {entry['name']}: no {entry['type']} metrics here")
            metrics.append(
                _metric(entry["name"], entry["label"], entry.get("description", ""), meta, **spec)
            )
        for model in document.get("models") or ():
            meta = _meta(model)
            if not meta.get("stock_metrics"):
                continue
            facts[model["name"]] = {"changes": "intervals", "metrics": meta["values_model"]}
            for name, dim in (meta.get("stock_dimensions") or {}).items():
                dimensions.setdefault(
                    name, _dimension(name, dim.get("expr") or name, dim.get("label"), dim)
                )
            for stock in meta["stock_metrics"]:
                metrics.append(
                    _metric(
                        stock["name"],
                        stock["label"],
                        stock.get("description", ""),
                        stock["meta"],
                        calc="eod",
                        model=model["name"],
                        where=stock.get("where"),
                    )
                )
    return Catalog(
        metrics=tuple(sorted(metrics, key=lambda m: m.name)),
        dimensions=dimensions,
        domains=load_domains(root),
        facts=facts,
    )


def load_domains(project: Path) -> tuple[Domain, ...]:
    """The dashboard's tabs, from the seed metric_domains, left to right."""
    with (project / "seeds" / "metric_domains.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    tabs = sorted(
        (r for r in rows if r["domain"] == r["dashboard_tab"]), key=lambda r: int(r["tab_position"])
    )
    return tuple(
        Domain(
            id=tab["domain"],
            label_en=tab["label_en"],
            label_ko=tab["label_ko"],
            includes=tuple(r["domain"] for r in rows if r["dashboard_tab"] == tab["domain"]),
        )
        for tab in tabs
    )


# The metric table of each grain (models/metrics): what readers, exports and Superset read.
GRAIN_TABLES = {
    "day": "metrics_daily",
    "week": "metrics_weekly",
    "month": "metrics_monthly",
    "quarter": "metrics_quarterly",
    "year": "metrics_yearly",
}


def enum_labels(path: str | Path | None = None) -> dict[str, dict[str, dict[str, str]]]:
    """The seed enum_labels as {'table.column': {value: {'en': ..., 'ko': ...}}}, and the seed
    category_labels as 'categories.top_category_name'."""
    path = path or project_dir() / "seeds" / "enum_labels.csv"
    out: dict[str, dict[str, dict[str, str]]] = {}
    with Path(path).open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            key = f"{row['table_name']}.{row['column_name']}"
            out.setdefault(key, {})[row["enum_value"]] = {
                "en": row["label_en"],
                "ko": row["label_ko"],
            }
    # The top-level categories are data, labelled by their own seed (category_labels).
    categories = Path(path).with_name("category_labels.csv")
    if categories.is_file():
        with categories.open(encoding="utf-8", newline="") as handle:
            out["categories.top_category_name"] = {
                row["top_category_name"]: {"en": row["label_en"], "ko": row["label_ko"]}
                for row in csv.DictReader(handle)
            }
    return out
