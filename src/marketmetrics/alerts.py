"""Alerts: read the feed dbt builds (metrics.metric_alerts), print it, post it to a webhook.

The rules are the seed `alert_rules` (seeds/alert_rules.csv): dbt loads them as a table and
evaluates them in the model `metric_alerts` on every build, and its tests check their shape;
`validate_rules` checks what only the catalog knows (a rule's metric is published and has the
rule's breakdown). Evaluation happens in SQL only, so the feed is the same on every engine;
presentation (the metric's labels and domain, the alert's one-line message) is made here from
the feed's numbers and the catalog, so the SQL carries no label and no formatting.

`run_alerts` is the scheduler's entry point: it prints the open alerts, delivers them as
Slack-compatible JSON when a webhook is given, and returns the exit code:

    0  no critical alert open (and delivery, if asked for, succeeded)
    1  delivery failed after its retries
    2  a critical alert is open (wins over 1: the scheduler must notice either way)
"""

from __future__ import annotations

import json
import re
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import asdict, dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any, TextIO

from marketmetrics.catalog import Catalog, load_catalog
from marketmetrics.project import project_dir
from marketmetrics.warehouse import Warehouse

__all__ = [
    "EXIT_CRITICAL",
    "EXIT_CRITICAL_UNDELIVERED",
    "EXIT_DELIVERY_FAILED",
    "RULE_COLUMNS",
    "Alert",
    "Delivery",
    "alert_message",
    "deliver",
    "fetch_alerts",
    "fetch_open_alerts",
    "format_value",
    "load_rules",
    "run_alerts",
    "slack_escape",
    "slack_payload",
    "terminal_safe",
    "validate_rules",
]

# Exit codes of `marketmetrics alerts`, in order of precedence when several apply: a critical
# alert nobody was told about (4) over a failed delivery (1) over a critical alert (2).
EXIT_DELIVERY_FAILED = 1
EXIT_CRITICAL = 2
EXIT_CRITICAL_UNDELIVERED = 4

SEVERITIES = ("info", "warning", "critical")
_SLACK_EMOJI = {
    "critical": ":red_circle:",
    "warning": ":large_orange_circle:",
    "info": ":information_source:",
}
# Slack's documented limits (Block Kit reference, chat.postMessage): beyond them Slack refuses
# the whole message (invalid_blocks), so one long dimension value would silence every alert.
SLACK_MAX_BLOCKS = 50
SLACK_HEADER_CHARS = 150
SLACK_SECTION_CHARS = 3000
SLACK_CONTEXT_CHARS = 3000
SLACK_TEXT_CHARS = 40_000
# Undocumented: Slack also refuses blocks that carry about 12,000 characters of text in all
# (msg_blocks_too_long), each block within its own limit; stay well below it.
SLACK_BLOCKS_CHARS = 10_000
# Alerts shown as sections; the header and the "… and N more alerts" footer are the rest.
_MAX_ALERT_BLOCKS = 40

_COLUMNS = (
    "alert_id",
    "rule_name",
    "rule_type",
    "severity",
    "metric_name",
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
    "is_open",
    "evaluated_through_date",
)


GRAINS = ("day", "week", "month")
COMPARATORS = ("<", "<=", ">", ">=")
DIRECTIONS = ("up", "down", "both")
# The seed's columns (seeds/alert_rules.csv, documented in seeds/_seeds.yml), in order.
RULE_COLUMNS = (
    "rule_name",
    "rule_type",
    "metric_name",
    "grain",
    "dimension_name",
    "dimension_value",
    "severity",
    "comparator",
    "threshold_value",
    "baseline_weeks",
    "anomaly_k",
    "anomaly_direction",
    "min_deviation",
    "min_volume_metric",
    "min_volume_value",
    "description",
)
_NUMBERS = {
    "threshold_value": float,
    "baseline_weeks": int,
    "anomaly_k": float,
    "min_deviation": float,
    "min_volume_value": float,
}


def validate_rules(
    rules: list[dict[str, Any]], catalog: Catalog | None = None
) -> list[dict[str, Any]]:
    """The rules (rows of the seed) if every rule can mean what it says; else a ValueError naming
    the rule. dbt's tests of the seed check each row's shape again when it is loaded."""
    catalog = catalog or load_catalog()
    names: set[str] = set()
    for rule in rules:
        name = rule.get("rule_name")
        if not name:
            raise ValueError(f"alert rules: a rule without a name: {rule}")
        if name in names:
            raise ValueError(f"alert rules: duplicate name {name}")
        names.add(name)
        metric = str(rule.get("metric_name") or "")
        if metric not in catalog or not catalog[metric].published:
            raise ValueError(f"alert rule {name}: unknown or hidden metric {metric}")
        dimension = rule.get("dimension_name") or "all"
        if dimension != "all" and dimension not in catalog[metric].dimensions:
            raise ValueError(f"alert rule {name}: {metric} has no dimension {dimension}")
        if rule.get("severity") not in SEVERITIES:
            raise ValueError(f"alert rule {name}: severity must be one of {SEVERITIES}")
        grain = rule.get("grain") or "day"
        if grain not in GRAINS:
            raise ValueError(f"alert rule {name}: grain must be one of {GRAINS}")
        companion = rule.get("min_volume_metric")
        if companion is not None:
            if companion not in catalog or not catalog[companion].published:
                raise ValueError(f"alert rule {name}: unknown min_volume metric {companion}")
            if dimension != "all" and dimension not in catalog[companion].dimensions:
                raise ValueError(f"alert rule {name}: {companion} has no dimension {dimension}")
            _number(name, "min_volume_value", rule.get("min_volume_value"))
        if rule.get("rule_type") == "threshold":
            if rule.get("comparator") not in COMPARATORS:
                raise ValueError(f"alert rule {name}: comparator must be one of {COMPARATORS}")
            _number(name, "threshold_value", rule.get("threshold_value"))
        elif rule.get("rule_type") == "anomaly":
            if grain != "day":
                raise ValueError(f"alert rule {name}: anomaly rules are day grain")
            if (rule.get("anomaly_direction") or "both") not in DIRECTIONS:
                raise ValueError(f"alert rule {name}: direction must be one of {DIRECTIONS}")
            weeks = rule.get("baseline_weeks")
            if not isinstance(weeks, int) or isinstance(weeks, bool) or weeks < 2:
                raise ValueError(
                    f"alert rule {name}: baseline_weeks must be an integer, at least 2"
                )
            _number(name, "anomaly_k", rule.get("anomaly_k"))
            if rule.get("min_deviation") is not None:
                _number(name, "min_deviation", rule["min_deviation"])
        else:
            raise ValueError(f"alert rule {name}: rule_type must be threshold or anomaly")
    return rules


def _number(rule: str, what: str, value: Any) -> None:
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        raise ValueError(f"alert rule {rule}: {what} must be a number, not {value!r}")


def load_rules(path: str | Path | None = None) -> list[dict[str, Any]]:
    """The seed's rules as dicts (empty cells None, numbers typed), checked (validate_rules)."""
    import csv

    path = Path(path) if path else project_dir() / "seeds" / "alert_rules.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    rules = []
    for row in rows:
        rule: dict[str, Any] = {c: (row.get(c) or None) for c in RULE_COLUMNS}
        for column, kind in _NUMBERS.items():
            if rule[column] is not None:
                rule[column] = kind(rule[column])
        rules.append(rule)
    return validate_rules(rules)


def format_value(value: float | None, unit: str) -> str:
    """A metric value as an alert shows it, in the metric's unit: a rate as a percentage with
    one decimal, counts and won whole, the rest with two decimals and the unit. Rounded half
    away from zero on the decimal the value prints as, so 0.0005 is 0.1 %, as a person rounds."""
    if value is None:
        return "n/a"
    exact = Decimal(repr(float(value)))
    if unit == "rate":
        return f"{(100 * exact).quantize(Decimal('0.1'), ROUND_HALF_UP)}%"
    if unit in ("count", "won"):
        return f"{exact.quantize(Decimal('1'), ROUND_HALF_UP)}"
    return f"{exact.quantize(Decimal('0.01'), ROUND_HALF_UP)} {unit}"


def _plain(number: float) -> str:
    """3.0 as `3`, 2.5 as `2.5`: a rule's own number as it was written."""
    return str(int(number)) if float(number).is_integer() else repr(float(number))


def alert_message(alert: dict[str, Any], catalog: Catalog) -> str:
    """The alert's one line: severity, the metric's labels (en and ko), the breakdown, the
    period, the value and what it was compared with, e.g. `[critical] Payment success rate
    (결제 성공률), pg_provider=kcp, day 2026-03-02: 60.0% < 80.0%`."""
    metric = catalog[alert["metric_name"]]
    unit = metric.unit
    where = (
        ""
        if alert["dimension_name"] == "all"
        else f", {alert['dimension_name']}={alert['dimension_value']}"
    )
    if alert["rule_type"] == "threshold":
        reference = f"{alert['comparator']} {format_value(alert['threshold_value'], unit)}"
    else:
        reference = (
            f"vs same-weekday baseline {format_value(alert['baseline_mean'], unit)} ± "
            f"{format_value(alert['baseline_stddev'], unit)} "
            f"({alert['baseline_periods']} weeks, k={_plain(alert['anomaly_k'])})"
        )
    period = alert["period_start"]
    period_text = period.isoformat() if hasattr(period, "isoformat") else str(period)
    return (
        f"[{alert['severity']}] {metric.label_en} ({metric.label_ko}){where}, "
        f"{alert['grain']} {period_text}: {format_value(alert['metric_value'], unit)} {reference}"
    )


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
    warehouse: Warehouse,
    *,
    open_only: bool = False,
    since: date | None = None,
) -> list[Alert]:
    """Alerts from the feed, most severe and most recent first.

    `open_only` keeps the open ones; `since` keeps those whose period starts on or after
    the date (e.g. to replay an incident that is no longer open).
    """
    where = ["1 = 1"]
    if open_only:
        where.append("is_open")
    if since is not None:
        where.append(f"period_start >= date '{since.isoformat()}'")
    sql = (
        f"select {', '.join(_COLUMNS)} from {warehouse.table('metrics', 'metric_alerts')} "
        f"where {' and '.join(where)} "
        "order by case severity when 'critical' then 0 when 'warning' then 1 else 2 end, "
        "period_start desc, rule_name, dimension_name, dimension_value"
    )
    catalog = load_catalog()
    return [_alert(row, catalog) for row in warehouse.query(sql)]


def fetch_open_alerts(warehouse: Warehouse) -> list[Alert]:
    """The open alerts: those the scheduler prints and delivers."""
    return fetch_alerts(warehouse, open_only=True)


def _alert(row: tuple[Any, ...], catalog: Catalog) -> Alert:
    """A feed row (numbers only) with its presentation: labels and domain from the catalog,
    the message made by alert_message."""
    values = dict(zip(_COLUMNS, row, strict=True))
    for key in ("metric_value", "threshold_value", "baseline_mean", "baseline_stddev", "anomaly_k"):
        if values[key] is not None:
            values[key] = float(values[key])
    if values["baseline_periods"] is not None:
        values["baseline_periods"] = int(values["baseline_periods"])
    values["is_open"] = bool(values["is_open"])
    metric = catalog[values["metric_name"]]
    values |= {
        "metric_label_en": metric.label_en,
        "metric_label_ko": metric.label_ko,
        "metric_domain": metric.domain,
        "message": alert_message(values, catalog),
    }
    return Alert(**values)


# What a value from data may not carry into a line of text: C0 and C1 controls (line breaks,
# ESC), Unicode's line and paragraph separators, and the bidi controls that reorder what
# follows them on screen (U+202E shows "%0.06" for "60.0%").
_UNSAFE = re.compile(
    r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]"
)
_SLACK_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
_SLACK_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
_SLACK_SPECIAL = re.compile(f"[&<>]|{_UNSAFE.pattern}")


def _slack_char(char: str) -> str:
    if char in _SLACK_ENTITIES:
        return _SLACK_ENTITIES[char]
    if char in _SLACK_ESCAPES:
        return _SLACK_ESCAPES[char]
    return f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}"


def slack_escape(text: str) -> str:
    """Text Slack shows as written, on the line it was written on.

    `&`, `<` and `>` become entities, as Slack's formatting rules ask, so a dimension value
    cannot become a mention (`<!channel>`) or a link. Every control character shows as its
    Python escape, visible and on the line of the text it came in: a line break as the two
    characters `\\n` (a tab `\\t`, a carriage return `\\r`), ESC as `\\x1b`, any other C0
    or C1 control as `\\xNN`, and the line and paragraph separators and bidi controls as
    `\\uNNNN` (U+202E as `\\u202e`). So `kcp<newline>:white_check_mark: all clear` in a
    gateway name reads `kcp\\n:white_check_mark: all clear` inside the alert's line instead of
    forging a line of its own. A backslash in the data stays as it is: the rendering is for
    people, and the payload's `alerts` list carries every value unchanged for machines."""
    return _SLACK_SPECIAL.sub(lambda m: _slack_char(m.group()), text)


def _slack_length(text: str) -> int:
    """Length as Slack may count it, in UTF-16 code units (an emoji outside the BMP is two):
    never less than Python's count of code points."""
    return len(text) + sum(1 for char in text if ord(char) > 0xFFFF)


_TRUNCATED = "… (truncated: {} more characters)"


def _slack_text(text: str, limit: int) -> str:
    """`slack_escape(text)` within `limit` characters: when it is longer, as much of it as fits
    before the marker `… (truncated: N more characters)`, N counting the characters of `text`
    left out. Cut between escapes, never inside one (no half `&amp;`)."""
    escaped = slack_escape(text)
    if _slack_length(escaped) <= limit:
        return escaped
    # The marker is never longer than with every character left out.
    room = limit - len(_TRUNCATED.format(len(text)))
    kept, used = 0, 0
    for char in text:
        size = _slack_length(slack_escape(char))
        if used + size > room:
            break
        used += size
        kept += 1
    return slack_escape(text[:kept]) + _TRUNCATED.format(len(text) - kept)


# ANSI escape sequences: CSI (`ESC [` ... final byte; 8-bit 0x9b), the strings OSC, DCS, SOS,
# PM and APC up to their terminator (BEL or ST) or the end, and two-byte escapes. A terminal
# would act on them (clear the screen, recolour, retitle the window, write a hyperlink).
_ANSI = re.compile(
    r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]?"
    r"|(?:\x1b[\]P^_X]|[\x90\x98\x9d\x9e\x9f])[^\x07\x1b\x9c]*(?:\x07|\x9c|\x1b\\)?"
    r"|\x1b[ -/]*[0-~]?"
)
_LINE_BREAKS = re.compile("[\t\n\v\f\r\x85\u2028\u2029]+")


def terminal_safe(text: str, keep_newlines: bool = False) -> str:
    """Text from data as a terminal may print it: ANSI escape sequences removed whole, then
    every C0 and C1 control character and bidi control removed, except that a run of line
    breaks and tabs becomes one space, so words stay apart and the text stays on its line
    (`keep_newlines`: a newline stays, for the CLI's multi-line messages; a carriage return,
    which would let text overwrite the line before it, never does)."""
    text = _ANSI.sub("", text)
    if keep_newlines:
        return "\n".join(_terminal_line(line) for line in text.split("\n"))
    return _terminal_line(text)


def _terminal_line(text: str) -> str:
    return _UNSAFE.sub("", _LINE_BREAKS.sub(" ", text))


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
    unknown keys).

    Every value is escaped (slack_escape) and every block kept within Slack's limits: a
    text cut short ends `… (truncated: N more characters)`, and the alerts that do not fit
    (past 40 sections, or past the message's total) are counted in a last block, `… and N
    more alerts`."""
    counts = {s: sum(1 for a in alerts if a.severity == s) for s in SEVERITIES}
    summary = ", ".join(f"{n} {s}" for s, n in reversed(counts.items()) if n) or "no alerts"
    headline = f"{title}: {summary}"
    header = _slack_text(headline, SLACK_HEADER_CHARS)
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": {"type": "plain_text", "text": header}}
    ]
    footer_room = len(f"… and {len(alerts)} more alerts")
    budget = SLACK_BLOCKS_CHARS - _slack_length(header) - footer_room
    shown = 0
    for alert in alerts[:_MAX_ALERT_BLOCKS]:
        emoji = _SLACK_EMOJI.get(alert.severity, "")
        # A rule's name is checked configuration, but it must leave the message room too.
        rule = _slack_text(alert.rule_name, 200)
        lead = f"{emoji} *{rule}*\n"
        text = lead + _slack_text(alert.message, SLACK_SECTION_CHARS - _slack_length(lead))
        if _slack_length(text) > budget:
            break
        budget -= _slack_length(text)
        blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": text}})
        shown += 1
    if shown < len(alerts):
        more = f"… and {len(alerts) - shown} more alerts"
        blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": more}]})
    return {
        "text": _slack_text(headline, SLACK_TEXT_CHARS),
        "blocks": blocks,
        "alerts": [a.as_json() for a in alerts],
    }


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
    warehouse: Warehouse,
    *,
    extra: list[Alert] | None = None,
    webhook_url: str | None = None,
    since: date | None = None,
    retries: int = 3,
    timeout: float = 10.0,
    backoff: float = 1.0,
    out: TextIO | None = None,
) -> int:
    """Print the open alerts (or all since a date) and the `extra` ones (stale sources:
    marketmetrics.freshness), deliver them, return the exit code."""
    out = out or sys.stdout
    # Stale sources first: they explain why the metric alerts may be quiet.
    alerts = list(extra or []) + fetch_alerts(warehouse, open_only=since is None, since=since)
    scope = f"since {since.isoformat()}" if since else "open"
    through = alerts[0].evaluated_through_date if alerts else None
    suffix = f" (data through {through.isoformat()})" if through else ""
    print(f"{len(alerts)} {scope} alert(s){suffix}", file=out)
    for alert in alerts:
        print(f"  {terminal_safe(alert.message)}", file=out)

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
                f"webhook delivery FAILED after {result.attempts} attempt(s): "
                f"{terminal_safe(result.error or 'unknown error')}",
                file=out,
            )
            code = EXIT_DELIVERY_FAILED
    if any(a.is_critical for a in alerts):
        if code == EXIT_DELIVERY_FAILED:
            print("critical alert open and NOT delivered: exiting with status 4", file=out)
            return EXIT_CRITICAL_UNDELIVERED
        print("critical alert open: exiting with status 2", file=out)
        code = EXIT_CRITICAL
    return code
