"""Alerts: read the feed dbt builds (metrics.metric_alerts), print it, post it to a webhook.

The rules live in one file, `macros/alerts/alert_rules.sql` (YAML between markers, like the
metric catalog): dbt evaluates them in the model `metric_alerts` on every build, and this
module reads the same YAML (`load_rules`) to validate and describe them. Evaluation happens
in SQL only, so the feed is the same on both engines and in dbt docs.

`run_alerts` is the scheduler's entry point: it prints the open alerts, delivers them as
Slack-compatible JSON when a webhook is given, and returns the exit code:

    0  no critical alert open (and delivery, if asked for, succeeded)
    1  delivery failed after its retries
    2  a critical alert is open (wins over 1: the scheduler must notice either way)
"""

from __future__ import annotations

import json
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path
from typing import Any, TextIO

from marketmetrics.catalog import PROJECT_DIR, load_catalog, read_marked_yaml

__all__ = [
    "EXIT_CRITICAL",
    "EXIT_DELIVERY_FAILED",
    "RULES_PATH",
    "Alert",
    "Delivery",
    "deliver",
    "fetch_alerts",
    "fetch_open_alerts",
    "load_rules",
    "run_alerts",
    "slack_payload",
]

RULES_PATH = PROJECT_DIR / "macros" / "alerts" / "alert_rules.sql"
EXIT_DELIVERY_FAILED = 1
EXIT_CRITICAL = 2

SEVERITIES = ("info", "warning", "critical")
_SLACK_EMOJI = {
    "critical": ":red_circle:",
    "warning": ":large_orange_circle:",
    "info": ":information_source:",
}
# Slack rejects a message of more than 50 blocks; keep room for the header and a footer.
_MAX_ALERT_BLOCKS = 40

_COLUMNS = (
    "alert_id",
    "rule_name",
    "rule_type",
    "severity",
    "metric_name",
    "metric_label_en",
    "metric_label_ko",
    "metric_domain",
    "grain",
    "period_start",
    "dimension_name",
    "dimension_value",
    "metric_value",
    "comparator",
    "threshold_value",
    "baseline_mean",
    "baseline_stddev",
    "baseline_periods",
    "anomaly_k",
    "message",
    "is_open",
    "evaluated_through_date",
)


def load_rules(path: str | Path = RULES_PATH) -> dict[str, Any]:
    """The rules file as data ({'settings': ..., 'rules': [...]}), checked against the catalog.

    dbt checks the same things at compile time; checking here too gives a Python caller
    (and the tests) a clear error without a dbt run.
    """
    spec = read_marked_yaml(path, "alert rules")
    catalog = load_catalog()
    names: set[str] = set()
    for rule in spec["rules"]:
        name = rule["name"]
        if name in names:
            raise ValueError(f"alert rules: duplicate name {name}")
        names.add(name)
        if rule["metric"] not in catalog or not catalog[rule["metric"]].published:
            raise ValueError(f"alert rule {name}: unknown or hidden metric {rule['metric']}")
        dimension = rule.get("dimension", "all")
        if dimension != "all" and dimension not in catalog[rule["metric"]].dimensions:
            raise ValueError(f"alert rule {name}: {rule['metric']} has no dimension {dimension}")
        if rule["severity"] not in SEVERITIES:
            raise ValueError(f"alert rule {name}: severity must be one of {SEVERITIES}")
        if rule["type"] == "threshold":
            if rule["comparator"] not in ("<", "<=", ">", ">="):
                raise ValueError(f"alert rule {name}: bad comparator {rule['comparator']}")
        elif rule["type"] == "anomaly":
            if rule.get("grain", "day") != "day":
                raise ValueError(f"alert rule {name}: anomaly rules are day grain")
        else:
            raise ValueError(f"alert rule {name}: type must be threshold or anomaly")
    return spec


@dataclass(frozen=True)
class Alert:
    """One row of metrics.metric_alerts."""

    alert_id: str
    rule_name: str
    rule_type: str
    severity: str
    metric_name: str
    metric_label_en: str
    metric_label_ko: str
    metric_domain: str
    grain: str
    period_start: date
    dimension_name: str
    dimension_value: str
    metric_value: float | None
    comparator: str | None
    threshold_value: float | None
    baseline_mean: float | None
    baseline_stddev: float | None
    baseline_periods: int | None
    anomaly_k: float | None
    message: str
    is_open: bool
    evaluated_through_date: date | None

    @property
    def is_critical(self) -> bool:
        return self.severity == "critical"

    def as_json(self) -> dict[str, Any]:
        out = asdict(self)
        for key in ("period_start", "evaluated_through_date"):
            if out[key] is not None:
                out[key] = out[key].isoformat()
        return out


def fetch_alerts(
    engine: str,
    *,
    duckdb_path: str | Path | None = None,
    conninfo: str | None = None,
    schema: str = "metrics",
    open_only: bool = False,
    since: date | None = None,
) -> list[Alert]:
    """Alerts from the feed, most severe and most recent first.

    `open_only` keeps the open ones; `since` keeps those whose period starts on or after
    the date (e.g. to replay an incident that is no longer open).
    """
    from marketmetrics.dbt_runner import query

    where = ["1 = 1"]
    if open_only:
        where.append("is_open")
    if since is not None:
        where.append(f"period_start >= date '{since.isoformat()}'")
    sql = (
        f"select {', '.join(_COLUMNS)} from {schema}.metric_alerts "
        f"where {' and '.join(where)} "
        "order by case severity when 'critical' then 0 when 'warning' then 1 else 2 end, "
        "period_start desc, rule_name, dimension_name, dimension_value"
    )
    rows = query(engine, sql, duckdb_path=duckdb_path, conninfo=conninfo)  # type: ignore[arg-type]
    return [_alert(row) for row in rows]


def fetch_open_alerts(
    engine: str,
    *,
    duckdb_path: str | Path | None = None,
    conninfo: str | None = None,
    schema: str = "metrics",
) -> list[Alert]:
    """The open alerts: those the scheduler prints and delivers."""
    return fetch_alerts(
        engine, duckdb_path=duckdb_path, conninfo=conninfo, schema=schema, open_only=True
    )


def _alert(row: tuple[Any, ...]) -> Alert:
    values = dict(zip(_COLUMNS, row, strict=True))
    for key in ("metric_value", "threshold_value", "baseline_mean", "baseline_stddev", "anomaly_k"):
        if values[key] is not None:
            values[key] = float(values[key])
    if values["baseline_periods"] is not None:
        values["baseline_periods"] = int(values["baseline_periods"])
    values["is_open"] = bool(values["is_open"])
    return Alert(**values)


def slack_escape(text: str) -> str:
    """Text Slack shows as written: `&`, `<` and `>` as entities, as Slack's formatting rules
    ask, so a dimension value cannot become a mention (`<!channel>`) or a link."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def check_webhook_url(url: str) -> str | None:
    """Why `url` is no webhook to post to (None when it is one): http or https with a host.
    The message never repeats the URL, which is a secret."""
    try:
        parts = urllib.parse.urlsplit(url)
    except ValueError:
        return "the webhook URL is malformed"
    if parts.scheme not in ("http", "https"):
        return f"the webhook URL must be http or https, not {parts.scheme or 'schemeless'!r}"
    if not parts.hostname:
        return "the webhook URL has no host"
    return None


def slack_payload(alerts: list[Alert], title: str = "marketmetrics alerts") -> dict[str, Any]:
    """A Slack incoming-webhook message: `text` for notifications and plain consumers,
    `blocks` for the channel, and the raw alerts under `alerts` for machines (Slack ignores
    unknown keys)."""
    counts = {s: sum(1 for a in alerts if a.severity == s) for s in SEVERITIES}
    summary = ", ".join(f"{n} {s}" for s, n in reversed(counts.items()) if n) or "no alerts"
    text = slack_escape(f"{title}: {summary}")
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": {"type": "plain_text", "text": text[:150]}}
    ]
    for alert in alerts[:_MAX_ALERT_BLOCKS]:
        blocks.append(
            {
                "type": "section",
                "text": {
                    "type": "mrkdwn",
                    "text": f"{_SLACK_EMOJI.get(alert.severity, '')} "
                    f"*{slack_escape(alert.rule_name)}*\n{slack_escape(alert.message)}",
                },
            }
        )
    if len(alerts) > _MAX_ALERT_BLOCKS:
        more = len(alerts) - _MAX_ALERT_BLOCKS
        blocks.append(
            {"type": "context", "elements": [{"type": "mrkdwn", "text": f"... and {more} more"}]}
        )
    return {"text": text, "blocks": blocks, "alerts": [a.as_json() for a in alerts]}


@dataclass(frozen=True)
class Delivery:
    """How a webhook delivery went."""

    ok: bool
    attempts: int
    status: int | None = None
    error: str | None = None


def deliver(
    alerts: list[Alert],
    webhook_url: str,
    retries: int = 3,
    timeout: float = 10.0,
    backoff: float = 1.0,
) -> Delivery:
    """POST the alerts as Slack-compatible JSON; retry a failure `retries` times.

    A connection error, a timeout, HTTP 429 or a 5xx is retried after `backoff` × 2^n
    seconds; another 4xx is not (the request itself is wrong, repeating it cannot help).
    """
    problem = check_webhook_url(webhook_url)
    if problem:
        return Delivery(ok=False, attempts=0, error=problem)
    body = json.dumps(slack_payload(alerts), ensure_ascii=False, default=str).encode("utf-8")
    attempts = 0
    last_status: int | None = None
    last_error: str | None = None
    for attempt in range(retries + 1):
        attempts = attempt + 1
        request = urllib.request.Request(
            webhook_url,
            data=body,
            method="POST",
            headers={"Content-Type": "application/json; charset=utf-8"},
        )
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
                response.read()
                return Delivery(ok=True, attempts=attempts, status=response.status)
        except urllib.error.HTTPError as exc:
            last_status, last_error = exc.code, f"HTTP {exc.code} {exc.reason}"
            if exc.code != 429 and exc.code < 500:
                break
        except ValueError:
            # urllib's message would quote the URL, a secret
            return Delivery(ok=False, attempts=attempts, error="the webhook URL is malformed")
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            last_status, last_error = None, f"{type(exc).__name__}: {reason}"
        if attempt < retries:
            time.sleep(backoff * 2**attempt)
    return Delivery(ok=False, attempts=attempts, status=last_status, error=last_error)


def run_alerts(
    engine: str,
    *,
    duckdb_path: str | Path | None = None,
    conninfo: str | None = None,
    webhook_url: str | None = None,
    since: date | None = None,
    retries: int = 3,
    timeout: float = 10.0,
    backoff: float = 1.0,
    out: TextIO | None = None,
) -> int:
    """Print the open alerts (or all since a date), deliver them, return the exit code."""
    out = out or sys.stdout
    alerts = fetch_alerts(
        engine,
        duckdb_path=duckdb_path,
        conninfo=conninfo,
        open_only=since is None,
        since=since,
    )
    scope = f"since {since.isoformat()}" if since else "open"
    through = alerts[0].evaluated_through_date if alerts else None
    suffix = f" (data through {through.isoformat()})" if through else ""
    print(f"{len(alerts)} {scope} alert(s){suffix}", file=out)
    for alert in alerts:
        print(f"  {alert.message}", file=out)

    code = 0
    if webhook_url and alerts:
        result = deliver(alerts, webhook_url, retries=retries, timeout=timeout, backoff=backoff)
        if result.ok:
            print(
                f"delivered to webhook (HTTP {result.status}, {result.attempts} attempt(s))",
                file=out,
            )
        else:
            print(
                f"webhook delivery FAILED after {result.attempts} attempt(s): {result.error}",
                file=out,
            )
            code = EXIT_DELIVERY_FAILED
    if any(a.is_critical for a in alerts):
        print("critical alert open: exiting with status 2", file=out)
        code = EXIT_CRITICAL
    return code
