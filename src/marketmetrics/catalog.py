"""The metric catalog, read by Python from the same file dbt reads.

The catalog is the plain YAML file `catalog/metric_catalog.yml`. dbt's Jinja cannot open a
file, so `write_catalog_macro` renders it into `macros/metrics/metric_catalog.sql` (a macro
returning the same text, which dbt parses with `fromyaml`); `marketmetrics catalog` and every
`marketmetrics build` refresh it, and tests/python/test_metric_docs.py fails when the
committed macro is stale. So the dashboard and the alerts can never disagree with the SQL
about a metric's label, unit or dimensions. The alert rules are a YAML file beside it
(catalog/alert_rules.yml, marketmetrics.alerts).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from marketmetrics.yaml_macro import write_if_changed, yaml_macro

__all__ = [
    "CATALOG_MACRO_PATH",
    "CATALOG_PATH",
    "Catalog",
    "Dimension",
    "Domain",
    "enum_labels",
    "Metric",
    "load_catalog",
    "render_catalog_macro",
    "write_catalog_macro",
]

PROJECT_DIR = Path(__file__).resolve().parents[2]
CATALOG_PATH = PROJECT_DIR / "catalog" / "metric_catalog.yml"
CATALOG_MACRO_PATH = PROJECT_DIR / "macros" / "metrics" / "metric_catalog.sql"


def render_catalog_macro(path: str | Path = CATALOG_PATH) -> str:
    """The dbt macro file holding the catalog's text (what `write_catalog_macro` writes)."""
    return yaml_macro(
        Path(path),
        "metric_catalog_yaml",
        header=(
            "{#- GENERATED from catalog/metric_catalog.yml by `marketmetrics catalog` (and\n"
            "    every `marketmetrics build`): do not edit, edit the YAML. dbt cannot read a\n"
            "    file, so the catalog reaches it as this macro's text;\n"
            "    tests/python/test_metric_docs.py fails when this file is stale. -#}"
        ),
        tail=(
            "\n\n"
            "{#- The catalog as data:\n"
            "    {'domains': [...], 'dimensions': {...}, 'facts': {...}, 'metrics': [...]}. -#}\n"
            "{% macro metric_catalog() -%}\n"
            "    {{ return(fromyaml(metric_catalog_yaml())) }}\n"
            "{%- endmacro %}\n"
        ),
    )


def write_catalog_macro(path: str | Path = CATALOG_PATH) -> bool:
    """Refresh the generated macro; True when it changed."""
    return write_if_changed(CATALOG_MACRO_PATH, render_catalog_macro(path))


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


def load_catalog(path: str | Path = CATALOG_PATH) -> Catalog:
    """The catalog from its YAML file (default: the project's own)."""
    raw = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    dimensions = {
        name: Dimension(
            name=name,
            column=(spec or {}).get("column", name),
            values=(spec or {}).get("values"),
            where=(spec or {}).get("where"),
            label_en=(spec or {}).get("label_en", name.replace("_", " ")),
            label_ko=(spec or {}).get("label_ko", name.replace("_", " ")),
            value_labels=(spec or {}).get("value_labels")
            or (
                str(spec["values"])[5:]
                if str((spec or {}).get("values", "")).startswith("enum ")
                else None
            ),
        )
        for name, spec in (raw.get("dimensions") or {}).items()
    }
    domains = tuple(
        Domain(
            id=entry["id"],
            label_en=entry["label_en"],
            label_ko=entry["label_ko"],
            includes=tuple(entry["includes"]),
        )
        for entry in raw.get("domains") or ()
    )
    metrics = tuple(
        Metric(
            name=entry["name"],
            domain=entry["domain"],
            label_en=entry["label_en"],
            label_ko=entry["label_ko"],
            unit=entry["unit"],
            direction=entry.get("direction", "none"),
            definition=str(entry.get("definition", "")).strip(),
            dimensions=tuple(entry.get("dimensions") or ()),
            hidden=bool(entry.get("hidden", False)),
            calc=entry.get("calc", ""),
            model=entry.get("model"),
            spec=dict(entry),
        )
        for entry in raw["metrics"]
    )
    return Catalog(
        metrics=metrics,
        dimensions=dimensions,
        domains=domains,
        facts=dict(raw.get("facts") or {}),
    )


def enum_labels(
    path: str | Path = PROJECT_DIR / "seeds" / "enum_labels.csv",
) -> dict[str, dict[str, dict[str, str]]]:
    """The seed enum_labels as {'table.column': {value: {'en': ..., 'ko': ...}}}."""
    import csv

    out: dict[str, dict[str, dict[str, str]]] = {}
    with Path(path).open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            key = f"{row['table_name']}.{row['column_name']}"
            out.setdefault(key, {})[row["enum_value"]] = {
                "en": row["label_en"],
                "ko": row["label_ko"],
            }
    return out
