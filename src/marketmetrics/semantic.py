"""MetricFlow over the project's semantic layer.

The semantic models and metrics are written by hand beside the fact marts
(models/marts/<domain>/_<domain>__metrics.yml); MetricFlow reads them as dbt parses them, and so
do the metric tables' engine and the Python catalog (marketmetrics.catalog). Here: which catalog
metrics MetricFlow cannot express exactly (`inexpressible`, listed in docs/metrics.md),
the offset metrics every published count or sum has (one week and 52 weeks back: the metric
tables' same_weekday_last_week_value at day grain and prior_period_value at week grain, and
prior_year_value at day and week grain), and running `mf` on a target's warehouse.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from marketmetrics.catalog import Catalog, Metric

if TYPE_CHECKING:
    from marketmetrics.dbt_runner import DbtProject

__all__ = [
    "entity_name",
    "expressible_metrics",
    "inexpressible",
    "offset_metrics",
    "components",
    "run_mf",
]

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
        if m.published and m.calc == "sum"
        for offset, window in OFFSETS
    }


def run_mf(
    dbt: DbtProject, args: list[str], capture: bool = False
) -> subprocess.CompletedProcess[str]:
    """Run MetricFlow's `mf` command on the warehouse `dbt` builds.

    `mf` reads the semantic manifest from `<project>/target/semantic_manifest.json`: with dbt's
    own target path (the CLI's) it runs in the project as it is. A project bound to another
    target directory (the tests') runs `mf` in a small directory beside it: the project file
    and a `target` link to that directory. The manifest is written by any dbt parse or build."""
    assert dbt.target_path is not None
    target_path = Path(dbt.target_path)
    if not (target_path / "semantic_manifest.json").exists():
        dbt.run("parse")
    mf = Path(sys.executable).with_name("mf")
    if target_path == Path(dbt.project_dir) / "target":
        return subprocess.run(
            [str(mf), *args],
            cwd=dbt.project_dir,
            env=dbt.env(),
            capture_output=capture,
            text=True,
            check=False,
            timeout=None if not capture else 900,
        )
    work = target_path.with_name(f"{target_path.name}-mf")
    work.mkdir(parents=True, exist_ok=True)
    for link, points_to in (
        (work / "dbt_project.yml", Path(dbt.project_dir) / "dbt_project.yml"),
        (work / "target", target_path),
    ):
        if not link.is_symlink():
            link.symlink_to(points_to.resolve(), target_is_directory=points_to.is_dir())
    env = dbt.env() | {"DBT_PROJECT_DIR": str(work), "DBT_LOG_PATH": str(work / "logs")}
    return subprocess.run(
        [str(mf), *args],
        cwd=work,
        env=env,
        capture_output=capture,
        text=True,
        check=False,
        timeout=None if not capture else 900,
    )
