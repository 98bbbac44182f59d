"""Alerts: the rules seed, exact evaluation in dbt on hand-built metric tables (both
engines), and webhook delivery against a local HTTP server on loopback.

The incident day of generated data firing the payment alerts is tested in
test_dashboard.py, which builds a whole generated warehouse anyway.
"""

from __future__ import annotations

import functools
import io
import json
import math
import time
from dataclasses import asdict, replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from fixtures.alerts_metrics import (
    EXPECTED,
    EXPECTED_MESSAGES,
    KCP_SD,
    ORDERS_SD,
    RULES,
    metric_tables_sql,
)
from fixtures.webhook import Hook
from marketmetrics import alerts as alerts_module
from marketmetrics.alerts import (
    EXIT_CRITICAL,
    EXIT_CRITICAL_UNDELIVERED,
    EXIT_DELIVERY_FAILED,
    Alert,
    alert_message,
    deliver,
    fetch_alerts,
    fetch_open_alerts,
    format_value,
    load_rules,
    run_alerts,
    slack_payload,
    validate_rules,
)
from marketmetrics.catalog import load_catalog
from marketmetrics.freshness import SourceFreshness, freshness_alerts
from marketmetrics.warehouse import Warehouse

# --- the rules seed -----------------------------------------------------------------------


def test_rules_seed_is_valid_and_covers_the_incident():
    rules = load_rules()
    catalog = load_catalog()
    assert len({r["rule_name"] for r in rules}) == len(rules)
    for rule in rules:
        assert catalog[rule["metric_name"]].published
    pairs = {(r["metric_name"], r["dimension_name"], r["severity"]) for r in rules}
    assert ("payment_success_rate", "pg_provider", "critical") in pairs
    assert ("external_api_error_rate", "upstream_provider", "critical") in pairs
    assert any(r["rule_type"] == "anomaly" for r in rules)


def _rule(**changes: Any) -> list[dict[str, Any]]:
    rule = {
        "rule_name": "r",
        "rule_type": "threshold",
        "metric_name": "payment_success_rate",
        "grain": "day",
        "dimension_name": "all",
        "comparator": "<",
        "threshold_value": 0.9,
        "severity": "warning",
    }
    return [rule | changes]


@pytest.mark.parametrize(
    ("changes", "complaint"),
    [
        ({"metric_name": "no_such_metric"}, "unknown or hidden metric no_such_metric"),
        ({"metric_name": "login_successes"}, "unknown or hidden metric login_successes"),
        ({"dimension_name": "service"}, "payment_success_rate has no dimension service"),
        ({"severity": "urgent"}, "severity must be one of"),
        ({"grain": "hour"}, "grain must be one of"),
        ({"comparator": "=="}, "comparator must be one of"),
        ({"threshold_value": "0.9; drop table x"}, "threshold_value must be a number"),
        ({"rule_type": "trend"}, "rule_type must be threshold or anomaly"),
        (
            {"rule_type": "anomaly", "grain": "week", "baseline_weeks": 4, "anomaly_k": 3},
            "anomaly rules are day grain",
        ),
        (
            {
                "rule_type": "anomaly",
                "baseline_weeks": 4,
                "anomaly_k": 3,
                "anomaly_direction": "sideways",
            },
            "direction must be",
        ),
        (
            {"rule_type": "anomaly", "baseline_weeks": 1, "anomaly_k": 3},
            "baseline_weeks must be an integer, at least 2",
        ),
        (
            {
                "dimension_name": "pg_provider",
                "min_volume_metric": "orders",
                "min_volume_value": 5,
            },
            "orders has no dimension pg_provider",
        ),
    ],
)
def test_a_rule_that_cannot_mean_what_it_says_is_refused(changes, complaint):
    with pytest.raises(ValueError, match="alert rule r: " + complaint.replace("(", r"\(")):
        validate_rules(_rule(**changes))
    assert validate_rules(_rule())[0]["rule_name"] == "r"


def test_a_duplicate_rule_name_is_refused():
    rules = _rule()
    rules.append(dict(rules[0]))
    with pytest.raises(ValueError, match="duplicate name r"):
        validate_rules(rules)


def test_the_fixture_rules_pass_the_same_check():
    assert validate_rules(RULES) is RULES


def test_values_are_formatted_in_the_metric_unit_rounding_half_up():
    assert format_value(0.6, "rate") == "60.0%"
    assert format_value(0.0005, "rate") == "0.1%"
    assert format_value(0.97349, "rate") == "97.3%"
    assert format_value(2.5, "count") == "3"
    assert format_value(-2.5, "won") == "-3"
    assert format_value(12.345, "seconds") == "12.35 seconds"
    assert format_value(None, "rate") == "n/a"


def test_the_message_is_made_from_the_numbers_and_the_catalog():
    numbers = {
        "metric_name": "orders",
        "rule_type": "anomaly",
        "severity": "info",
        "grain": "day",
        "period_start": date(2026, 3, 1),
        "dimension_name": "all",
        "dimension_value": "all",
        "metric_value": 70.0,
        "comparator": None,
        "threshold_value": None,
        "baseline_mean": 100.0,
        "baseline_stddev": 8.16496580927726,
        "baseline_periods": 4,
        "anomaly_k": 2.5,
    }
    assert alert_message(numbers, load_catalog()) == (
        "[info] Orders (주문 수), day 2026-03-01: 70 vs same-weekday baseline 100 ± 8 "
        "(4 weeks, k=2.5)"
    )


def test_catalog_reader_matches_the_catalog():
    catalog = load_catalog()
    rate = catalog["payment_success_rate"]
    assert (rate.label_en, rate.label_ko, rate.unit) == (
        "Payment success rate",
        "결제 성공률",
        "rate",
    )
    assert rate.dimensions == ("payment_method", "pg_provider")
    assert "login_successes" in catalog and not catalog["login_successes"].published
    assert {m.domain for m in catalog.published} >= {"orders", "payments", "system"}


# --- exact evaluation on fixtures ---------------------------------------------------------


@pytest.fixture(scope="module")
def fixture_alerts(warehouse) -> Any:
    for statement in metric_tables_sql():
        warehouse.execute(statement)
    warehouse.dbt.run("run", "--select", "metric_alerts")
    return warehouse


def test_fixture_alerts_are_exactly_the_expected(fixture_alerts):
    columns = {
        r[0]
        for r in fixture_alerts.query(
            "select column_name from information_schema.columns "
            "where table_schema = 'metrics' and table_name = 'metric_alerts'"
        )
    }
    # Evaluation only: no label and no message in the SQL (they are made in Python).
    assert not columns & {"message", "metric_label_en", "metric_label_ko", "metric_domain"}
    assert {"metric_value", "threshold_value", "baseline_mean", "is_open"} <= columns
    rows = fixture_alerts.query(
        "select rule_name, severity, grain, period_start, dimension_name, dimension_value, "
        "metric_value, is_open from metrics.metric_alerts"
    )
    got = {(*r[:6], round(float(r[6]), 6), bool(r[7])) for r in rows}
    assert len(rows) == len(got)
    assert got == EXPECTED


def test_fixture_alert_baselines_and_messages(fixture_alerts):
    alerts = fetch_alerts(fixture_alerts.spec)
    by_key = {(a.rule_name, a.dimension_value, a.period_start): a for a in alerts}
    kcp = by_key[("a_gateway_drop", "kcp", date(2026, 3, 2))]
    assert math.isclose(kcp.baseline_mean, 0.95, abs_tol=1e-9)
    assert math.isclose(kcp.baseline_stddev, KCP_SD, rel_tol=1e-9)  # sample, not population
    assert (kcp.baseline_periods, kcp.anomaly_k, kcp.threshold_value) == (4, 3.0, None)
    orders = by_key[("a_orders_both", "all", date(2026, 3, 1))]
    assert math.isclose(orders.baseline_stddev, ORDERS_SD, rel_tol=1e-9)
    down = by_key[("t_gateway_down", "kcp", date(2026, 3, 2))]
    assert (down.comparator, down.threshold_value, down.baseline_mean) == ("<", 0.8, None)
    assert (down.metric_label_ko, down.metric_domain) == ("결제 성공률", "payments")
    for (rule, value), message in EXPECTED_MESSAGES.items():
        assert message in {
            a.message for a in alerts if (a.rule_name, a.dimension_value) == (rule, value)
        }
    assert len({a.alert_id for a in alerts}) == len(alerts)
    assert all(a.evaluated_through_date == date(2026, 3, 2) for a in alerts)
    # Most severe first.
    assert [a.severity for a in alerts][:2] == ["critical", "critical"]


def test_open_alerts_and_exit_code(fixture_alerts, webhook):
    opened = fetch_open_alerts(fixture_alerts.spec)
    assert len(opened) == sum(1 for e in EXPECTED if e[-1])
    out = io.StringIO()
    code = run_alerts(fixture_alerts.spec, webhook_url=webhook.url("/ok"), out=out)
    assert code == EXIT_CRITICAL
    text = out.getvalue()
    assert f"{len(opened)} open alert(s) (data through 2026-03-02)" in text
    assert "pg_provider=kcp" in text and "delivered to webhook" in text
    (body,) = webhook.bodies("/ok")
    assert body["text"].startswith("marketmetrics alerts: 2 critical")
    assert {a["alert_id"] for a in body["alerts"]} == {a.alert_id for a in opened}
    # `since` replays closed alerts too.
    replay = io.StringIO()
    run_alerts(fixture_alerts.spec, since=date(2026, 2, 1), out=replay)
    assert f"{len(EXPECTED)} since 2026-02-01 alert(s)" in replay.getvalue()


# --- webhook delivery ---------------------------------------------------------------------


def _alert(severity: str = "warning", value: str = "kcp") -> Alert:
    return Alert(
        alert_id=f"id-{severity}-{value}",
        rule_name="payment_success_rate_gateway_down",
        rule_type="threshold",
        severity=severity,
        metric_name="payment_success_rate",
        metric_label_en="Payment success rate",
        metric_label_ko="결제 성공률",
        metric_domain="payments",
        grain="day",
        period_start=date(2026, 3, 2),
        dimension_name="pg_provider",
        dimension_value=value,
        metric_value=0.6,
        comparator="<",
        threshold_value=0.8,
        baseline_mean=None,
        baseline_stddev=None,
        baseline_periods=None,
        anomaly_k=None,
        message=f"[{severity}] Payment success rate, pg_provider={value}: 60.0% < 80.0%",
        is_open=True,
        evaluated_through_date=date(2026, 3, 2),
    )


def test_slack_payload_shape():
    many = [_alert("critical", f"gw{i}") for i in range(45)] + [_alert("info")]
    payload = slack_payload(many)
    assert payload["text"] == "marketmetrics alerts: 45 critical, 1 info"
    assert payload["blocks"][0]["type"] == "header"
    assert len(payload["blocks"]) <= 50
    assert payload["blocks"][-1]["elements"][0]["text"] == "… and 6 more alerts"
    assert len(payload["alerts"]) == 46
    json.dumps(payload)  # serialisable as is


def test_delivery_succeeds_first_time(webhook):
    result = deliver([_alert()], webhook.url("/ok"), retries=2, timeout=2, backoff=0.01)
    assert (result.ok, result.attempts, result.status) == (True, 1, 200)
    (body,) = webhook.bodies("/ok")
    assert body["alerts"][0]["metric_label_ko"] == "결제 성공률"
    assert "pg_provider=kcp" in body["blocks"][1]["text"]["text"]


def test_delivery_retries_a_5xx_then_succeeds(webhook):
    result = deliver([_alert()], webhook.url("/flaky"), retries=2, timeout=2, backoff=0.01)
    assert (result.ok, result.attempts) == (True, 2)
    assert webhook.hits["/flaky"] == 2


def test_delivery_to_a_failing_endpoint_gives_up_after_retries(webhook):
    result = deliver([_alert()], webhook.url("/fail"), retries=2, timeout=2, backoff=0.01)
    assert (result.ok, result.attempts, result.status) == (False, 3, 500)
    assert webhook.hits["/fail"] == 3
    assert "HTTP 500" in (result.error or "")


def test_delivery_does_not_retry_a_client_error(webhook):
    result = deliver([_alert()], webhook.url("/bad"), retries=3, timeout=2, backoff=0.01)
    assert (result.ok, result.attempts, result.status) == (False, 1, 400)


def test_delivery_times_out(webhook):
    started = time.monotonic()
    result = deliver([_alert()], webhook.url("/slow"), retries=1, timeout=0.2, backoff=0.01)
    assert not result.ok and result.attempts == 2 and result.status is None
    assert time.monotonic() - started < 3


def test_delivery_to_a_closed_port():
    hook = Hook()
    url = hook.url("/ok")
    hook.close()
    result = deliver([_alert()], url, retries=1, timeout=1, backoff=0.01)
    assert not result.ok and result.attempts == 2 and result.status is None


NOWHERE = Warehouse("duckdb", duckdb_path=Path("x"))


def test_exit_codes(monkeypatch, webhook):
    def fake(alerts: list[Alert]):
        return lambda *a, **k: alerts

    monkeypatch.setattr(alerts_module, "fetch_alerts", fake([_alert("warning")]))
    out = io.StringIO()
    assert run_alerts(NOWHERE, webhook_url=webhook.url("/ok"), out=out) == 0
    failing = {"webhook_url": webhook.url("/fail"), "retries": 1, "backoff": 0.01, "out": out}
    assert run_alerts(NOWHERE, **failing) == EXIT_DELIVERY_FAILED
    assert "webhook delivery FAILED after 2 attempt(s)" in out.getvalue()
    monkeypatch.setattr(alerts_module, "fetch_alerts", fake([_alert("critical")]))
    assert run_alerts(NOWHERE, webhook_url=webhook.url("/ok"), out=out) == EXIT_CRITICAL
    # A critical alert nobody was told about is neither 1 nor 2 alone: 4 says both.
    assert run_alerts(NOWHERE, **failing) == EXIT_CRITICAL_UNDELIVERED
    assert "critical alert open and NOT delivered: exiting with status 4" in out.getvalue()
    monkeypatch.setattr(alerts_module, "fetch_alerts", fake([]))
    assert run_alerts(NOWHERE, **failing) == 0  # nothing to deliver
    assert webhook.hits["/fail"] == 4


def test_dimension_values_reach_slack_as_text():
    payload = slack_payload([_alert("critical", "<!channel> <https://evil.example|kcp> & co")])
    section = payload["blocks"][1]["text"]["text"]
    assert "pg_provider=&lt;!channel&gt; &lt;https://evil.example|kcp&gt; &amp; co" in section
    assert "<" not in section and ">" not in section
    # the machine-readable copy keeps the value as it is
    assert payload["alerts"][0]["dimension_value"] == "<!channel> <https://evil.example|kcp> & co"


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("file:///etc/passwd", "must be http or https, not 'file'"),
        ("hooks.example/T000/SECRET", "must be http or https, not 'schemeless'"),
        ("https:///T000/SECRET", "has no host"),
        ("http://[::1/T000/SECRET", "is malformed"),
    ],
)
def test_a_bad_webhook_url_is_refused_without_repeating_it(url, reason):
    result = deliver([_alert()], url, retries=2, timeout=1, backoff=0.01)
    assert not result.ok and result.attempts == 0
    assert reason in result.error
    assert "SECRET" not in result.error and "passwd" not in result.error


# --- values from data: on their line, within Slack's limits, inert on a terminal -----------

LEAD = ":red_circle: *payment_success_rate_gateway_down*\n"


def _from_data(value: str, severity: str = "critical") -> Alert:
    """An alert whose dimension value came from data, with the message the feed gives it."""
    alert = _alert(severity, value)
    return replace(alert, message=alert_message(asdict(alert), _CATALOG()))


# One read of the project's YAML for the hundreds of alerts the Slack limits tests make.
_CATALOG = functools.cache(load_catalog)


def _message(value: str) -> str:
    return f"[critical] Payment success rate (결제 성공률), pg_provider={value}, day 2026-03-02: "


@pytest.mark.parametrize(
    ("value", "in_slack", "on_terminal"),
    [
        (
            "kcp\n:white_check_mark: all clear",
            "kcp\\n:white_check_mark: all clear",
            "kcp :white_check_mark: all clear",
        ),
        ("kcp\r[info] all clear\tok", "kcp\\r[info] all clear\\tok", "kcp [info] all clear ok"),
        ("\x1b[2J\x1b[31mkcp\x1b[0m", "\\x1b[2J\\x1b[31mkcp\\x1b[0m", "kcp"),
        ("\x1b]0;pwned\x07kcp", "\\x1b]0;pwned\\x07kcp", "kcp"),
        ("\x9b31mkcp\x00", "\\x9b31mkcp\\x00", "kcp"),
        ("<!channel> & co", "&lt;!channel&gt; &amp; co", "<!channel> & co"),
        ("kcp\u202e%0.001", "kcp\\u202e%0.001", "kcp%0.001"),
        ("kcp\u2028all clear", "kcp\\u2028all clear", "kcp all clear"),
    ],
)
def test_a_value_from_data_stays_on_its_line(value, in_slack, on_terminal, monkeypatch):
    alert = _from_data(value)
    (_, section) = slack_payload([alert])["blocks"]
    assert section["text"]["text"] == LEAD + _message(in_slack) + "60.0% &lt; 80.0%"
    monkeypatch.setattr(alerts_module, "fetch_alerts", lambda *a, **k: [alert])
    out = io.StringIO()
    assert run_alerts(NOWHERE, out=out) == EXIT_CRITICAL
    assert out.getvalue() == (
        "1 open alert(s) (data through 2026-03-02)\n"
        f"  {_message(on_terminal)}60.0% < 80.0%\n"
        "critical alert open: exiting with status 2\n"
    )


def test_a_long_value_is_cut_with_a_marker():
    (_, section) = slack_payload([_from_data("x" * 100_000)])["blocks"]
    assert section["text"]["text"] == (
        f"{LEAD}[critical] Payment success rate (결제 성공률), pg_provider={'x' * 2860}"
        "… (truncated: 97171 more characters)"
    )
    assert len(section["text"]["text"]) == 2999


def _text_lengths(block: dict[str, Any]) -> list[int]:
    if block["type"] == "context":
        return [len(element["text"]) for element in block["elements"]]
    return [len(block["text"]["text"])]


def test_a_hostile_set_stays_within_slack_limits():
    hostile = [
        "x" * 100_000,
        "kcp\n:white_check_mark: all clear",
        "\x1b[31mkcp\x1b[0m",
        "<!channel>",
        "kcp\u202e%0.001",
    ]
    alerts = [_from_data(v) for v in hostile] + [_from_data(f"gw{i}") for i in range(495)]
    payload = slack_payload(alerts)
    blocks = payload["blocks"]
    assert payload["text"] == "marketmetrics alerts: 500 critical"
    assert blocks[0] == {
        "type": "header",
        "text": {"type": "plain_text", "text": "marketmetrics alerts: 500 critical"},
    }
    assert [b["type"] for b in blocks] == ["header"] + ["section"] * 40 + ["context"]
    assert blocks[-1]["elements"] == [{"type": "mrkdwn", "text": "… and 460 more alerts"}]
    assert len(blocks) <= alerts_module.SLACK_MAX_BLOCKS
    assert len(payload["text"]) <= alerts_module.SLACK_TEXT_CHARS
    assert len(blocks[0]["text"]["text"]) <= alerts_module.SLACK_HEADER_CHARS
    for block in blocks[1:-1]:
        text = block["text"]["text"]
        assert len(text) <= alerts_module.SLACK_SECTION_CHARS
        assert text.count("\n") == 1 and text.startswith(LEAD)  # the line break is ours
        assert not set(text) & {"<", ">", "\x1b", "\u202e"}
    assert len(blocks[-1]["elements"]) <= 10
    assert max(_text_lengths(blocks[-1])) <= alerts_module.SLACK_CONTEXT_CHARS
    assert sum(n for b in blocks for n in _text_lengths(b)) <= alerts_module.SLACK_BLOCKS_CHARS
    # the machine-readable copy keeps every alert and value as it is
    assert [a["dimension_value"] for a in payload["alerts"][:5]] == hostile
    assert len(payload["alerts"]) == 500


def test_long_alerts_stop_at_the_message_total():
    payload = slack_payload([_from_data("y" * 5000) for _ in range(40)])
    blocks = payload["blocks"]
    assert [b["type"] for b in blocks] == ["header", "section", "section", "section", "context"]
    assert [len(b["text"]["text"]) for b in blocks[1:4]] == [3000, 3000, 3000]
    assert blocks[-1]["elements"][0]["text"] == "… and 37 more alerts"


def test_a_stale_source_reaches_slack_and_the_terminal_inert(monkeypatch):
    state = SourceFreshness(
        source="order_db",
        table="orders",
        status="runtime error",
        max_loaded_at=None,
        snapshotted_at=datetime(2026, 3, 2, 6, tzinfo=UTC),
        age_hours=None,
        warn_after_hours=6.0,
        error_after_hours=24.0,
        error='Runtime Error\n  relation "raw.orders"\x1b[2K\u202e does not exist\n',
    )
    (stale,) = freshness_alerts([state])
    (_, section) = slack_payload([stale])["blocks"]
    assert section["text"]["text"] == (
        ":red_circle: *source_freshness*\n[critical] Raw table orders (order_db) is stale: "
        'could not be read (Runtime Error relation "raw.orders"\\x1b[2K\\u202e does not exist)'
    )
    monkeypatch.setattr(alerts_module, "fetch_alerts", lambda *a, **k: [])
    out = io.StringIO()
    run_alerts(NOWHERE, extra=[stale], out=out)
    assert out.getvalue().splitlines()[1] == (
        "  [critical] Raw table orders (order_db) is stale: could not be read (Runtime Error "
        'relation "raw.orders" does not exist)'
    )
