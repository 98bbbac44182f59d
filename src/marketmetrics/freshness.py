"""Stale sources: `dbt source freshness` turned into alerts.

Every raw table's source declares `loaded_at_field: _synced_at` and a freshness rule (warn
after 6 hours without a newly replicated row, error after 24; models/staging/*/_*__sources.yml).
`check_freshness` runs `dbt source freshness` on the warehouse and reads its result
(`sources.json` in the target directory); `freshness_alerts` makes one alert per stale table:
severity warning past `warn_after`, critical past `error_after` or when the table cannot be
read. `marketmetrics alerts --freshness` delivers them with the metric alerts, through the same
webhook and the same exit codes (2 when one is critical), and the dashboard shows the stale
tables of the latest check. A stale source is news of its own: the metric tables keep showing
the last numbers they had, complete-looking, until someone notices the replicator stopped.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from marketmetrics.alerts import Alert
    from marketmetrics.dbt_runner import DbtProject

__all__ = ["SourceFreshness", "check_freshness", "freshness_alerts", "read_freshness"]

_HOURS = {"minute": 1 / 60, "hour": 1.0, "day": 24.0}
RULE_NAME = "source_freshness"


@dataclass(frozen=True)
class SourceFreshness:
    """One raw table's freshness, as dbt measured it."""

    source: str
    table: str
    status: str
    """pass | warn | error | runtime error (dbt could not read the table)."""
    max_loaded_at: datetime | None
    snapshotted_at: datetime | None
    age_hours: float | None
    warn_after_hours: float | None
    error_after_hours: float | None
    error: str | None = None

    @property
    def stale(self) -> bool:
        return self.status != "pass"

    @property
    def severity(self) -> str:
        return "warning" if self.status == "warn" else "critical"

    def as_json(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "table": self.table,
            "status": self.status,
            "severity": self.severity if self.stale else None,
            "max_loaded_at": self.max_loaded_at.isoformat() if self.max_loaded_at else None,
            "age_hours": None if self.age_hours is None else round(self.age_hours, 1),
            "warn_after_hours": self.warn_after_hours,
            "error_after_hours": self.error_after_hours,
        }


def _instant(text: str | None) -> datetime | None:
    if not text:
        return None
    value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _hours(rule: dict[str, Any] | None) -> float | None:
    if not rule or rule.get("count") is None:
        return None
    return float(rule["count"]) * _HOURS[str(rule.get("period", "hour"))]


def read_freshness(target_path: str | Path) -> list[SourceFreshness]:
    """The result of the last `dbt source freshness` in a target directory (empty if none)."""
    path = Path(target_path) / "sources.json"
    if not path.exists():
        return []
    out = []
    for result in json.loads(path.read_text(encoding="utf-8")).get("results", []):
        # source.<project>.<source>.<table>
        _, _, source, table = str(result["unique_id"]).split(".", 3)
        criteria = result.get("criteria") or {}
        age = result.get("max_loaded_at_time_ago_in_s")
        out.append(
            SourceFreshness(
                source=source,
                table=table,
                status=str(result.get("status")),
                max_loaded_at=_instant(result.get("max_loaded_at")),
                snapshotted_at=_instant(result.get("snapshotted_at")),
                age_hours=None if age is None else float(age) / 3600,
                warn_after_hours=_hours(criteria.get("warn_after")),
                error_after_hours=_hours(criteria.get("error_after")),
                error=result.get("error") or result.get("message"),
            )
        )
    return sorted(out, key=lambda s: (s.source, s.table))


def check_freshness(dbt: DbtProject) -> list[SourceFreshness]:
    """Run `dbt source freshness` on the warehouse `dbt` is bound to; every raw table's state.

    dbt exits non-zero when a source is stale: that is the answer, not a failure. It is a
    failure when dbt wrote no result (the project does not parse, the warehouse is down)."""
    from marketmetrics.dbt_runner import DbtError

    assert dbt.target_path is not None
    result_file = Path(dbt.target_path) / "sources.json"
    result_file.unlink(missing_ok=True)
    done = dbt.run("source", "freshness", check=False)
    states = read_freshness(dbt.target_path)
    if not states:
        raise DbtError(done, dbt.target)
    return states


def freshness_alerts(states: list[SourceFreshness]) -> list[Alert]:
    """One open alert per stale raw table, shaped like a metric alert (rule `source_freshness`,
    type `freshness`): the value is the hours since the newest replicated row, the threshold
    the rule it crossed."""
    from marketmetrics.alerts import Alert

    out = []
    for state in states:
        if not state.stale:
            continue
        checked = state.snapshotted_at or datetime.now(UTC)
        if state.status == "runtime error":
            # dbt's error runs over lines; the alert is one.
            error = " ".join((state.error or "error").split())[:200]
            threshold, why = None, f"could not be read ({error})"
        else:
            threshold = (
                state.warn_after_hours if state.status == "warn" else state.error_after_hours
            )
            synced = f"{state.max_loaded_at:%Y-%m-%d %H:%M} UTC" if state.max_loaded_at else "never"
            why = (
                f"newest row synced {state.age_hours or 0:.1f} h ago ({synced}), "
                f"{state.status} after {threshold:g} h"
            )
        name = f"{state.source}.{state.table}"
        out.append(
            Alert(
                alert_id=hashlib.md5(
                    f"{RULE_NAME}|{name}|{state.max_loaded_at}".encode(), usedforsecurity=False
                ).hexdigest(),
                rule_name=RULE_NAME,
                rule_type="freshness",
                severity=state.severity,
                metric_name=name,
                metric_label_en=f"Raw table {state.table}",
                metric_label_ko=f"원천 테이블 {state.table}",
                metric_domain="system",
                grain="hour",
                period_start=checked.date(),
                dimension_name="source",
                dimension_value=name,
                metric_value=state.age_hours,
                comparator=">" if threshold is not None else None,
                threshold_value=threshold,
                baseline_mean=None,
                baseline_stddev=None,
                baseline_periods=None,
                anomaly_k=None,
                message=(
                    f"[{state.severity}] Raw table {state.table} ({state.source}) is stale: {why}"
                ),
                is_open=True,
                evaluated_through_date=checked.date(),
            )
        )
    return out
