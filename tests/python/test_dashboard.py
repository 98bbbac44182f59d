"""Generated data end to end: the incident day fires the payment alerts, they are delivered,
and the dashboard built from the metric tables renders every tab's charts with data in
headless Chromium (Debian's `chromium`), on both engines. A screenshot of the payments tab
is kept under artifacts/ as a CI artefact.
"""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from threading import Thread
from typing import Any

import pytest

from conftest import REPO_ROOT
from fixtures.browser import CHROMIUM_FLAGS, chromium
from marketmetrics.alerts import EXIT_CRITICAL, fetch_open_alerts, run_alerts
from marketmetrics.catalog import load_catalog
from marketmetrics.dashboard import build_dashboard
from marketmetrics.export import COLUMNS, NUMBERS, ExportError, export_metric
from marketmetrics.warehouse import Warehouse as WarehouseSpec

pytestmark = pytest.mark.slow

START = date(2026, 1, 5)
DAYS = 36
# Late in the period, so four weeks of same-weekday baseline exist and the alert is open.
INCIDENT = START + timedelta(days=DAYS - 2)
ARTIFACTS = REPO_ROOT / "artifacts"
METRICS_SCHEMA = "kpi"
NOWHERE = WarehouseSpec("duckdb", duckdb_path=Path("nowhere.duckdb"))


def _run_chromium(url: str, *extra: str) -> str:
    with tempfile.TemporaryDirectory(prefix="chromium-") as profile:
        done = subprocess.run(
            [
                chromium(),
                *CHROMIUM_FLAGS,
                "--hide-scrollbars",
                f"--user-data-dir={profile}",
                "--virtual-time-budget=15000",
                *extra,
                url,
            ],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    return done.stdout


@pytest.fixture(scope="module")
def built(warehouse):
    import pyarrow.compute as pc

    from marketmetrics.cycles import run_cycles
    from marketmetrics.generator import GeneratorConfig, generate

    # The metric tables under a renamed schema (its dbt var): the alerts and the dashboard
    # below read where dbt wrote, through the resolved warehouse (marketmetrics.warehouse).
    warehouse.dbt.vars = {"metrics_schema": METRICS_SCHEMA}
    cfg = GeneratorConfig(seed=7, orders=3000, start_date=START, days=DAYS, incident_date=INCIDENT)
    history = generate(cfg)
    # As the demo does: the last days arrive as daily syncs, each followed by a snapshot, so
    # the history metrics (stocks, transitions, display latency) have data to draw.
    last_sync = max(pc.max(t["_synced_at"]).as_py() for t in history.tables.values())
    start = history.end - timedelta(days=3)
    # In this process, as the demo runs them: one parse for every cycle's snapshot.
    run_cycles(history, warehouse.dbt, warehouse.load, start=start, end=last_sync, in_process=True)
    # Seeds, snapshots and models; the data tests belong to other test modules.
    warehouse.dbt.run("build", "--exclude-resource-type", "test", "unit_test")
    return warehouse


def test_the_metric_tables_live_in_the_renamed_schema(built):
    assert built.spec.schemas.metrics == METRICS_SCHEMA
    tables = {
        (schema, name)
        for schema, name in built.query(
            "select table_schema, table_name from information_schema.tables "
            "where table_name in ('metrics_daily', 'metric_alerts')"
        )
    }
    assert tables == {(METRICS_SCHEMA, "metrics_daily"), (METRICS_SCHEMA, "metric_alerts")}


def test_incident_fires_the_payment_alerts(built):
    opened = fetch_open_alerts(built.spec)
    fired = {(a.rule_name, a.dimension_value, a.period_start, a.severity) for a in opened}
    assert ("payment_success_rate_gateway_down", "kcp", INCIDENT, "critical") in fired
    assert ("external_api_error_rate_high", "kcp", INCIDENT, "critical") in fired
    # The incident is the only critical one: no other gateway, no other day.
    critical = {(a.dimension_value, a.period_start) for a in opened if a.is_critical}
    assert critical == {("kcp", INCIDENT)}


def test_incident_alerts_are_delivered_and_the_exit_code_is_critical(built):
    received: list[dict[str, Any]] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802
            received.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    Thread(target=server.serve_forever, daemon=True).start()
    try:
        out = io.StringIO()
        url = f"http://127.0.0.1:{server.server_address[1]}/hook"
        code = run_alerts(built.spec, webhook_url=url, timeout=5, out=out)
    finally:
        server.shutdown()
        server.server_close()
    assert code == EXIT_CRITICAL, out.getvalue()
    (payload,) = received
    kcp = [a for a in payload["alerts"] if a["dimension_value"] == "kcp"]
    assert {a["rule_name"] for a in kcp} >= {
        "payment_success_rate_gateway_down",
        "external_api_error_rate_high",
    }
    assert "pg_provider=kcp" in out.getvalue()


@pytest.fixture(scope="module")
def site(built, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp(f"site-{built.engine}")
    return build_dashboard(built.spec, out_dir=out)


def test_site_is_self_contained(site):
    html = site.read_text(encoding="utf-8")
    assert "echarts" in html and "window.DASHBOARD_DATA" in html
    # Opens from disk: no script, stylesheet or font fetched from anywhere.
    assert not re.search(r"<(script|link)[^>]+(src|href)=", html)
    data = json.loads((site.parent / "data.json").read_text(encoding="utf-8"))
    catalog = load_catalog()
    assert set(data["metrics"]) == {m.name for m in catalog.published}
    assert data["metrics"]["payment_success_rate"]["ko"] == "결제 성공률"
    assert [d["id"] for d in data["domains"]] == [d.id for d in load_catalog().domains]
    # Labels come from the catalog and the seed enum_labels, nowhere else.
    assert data["domains"][1] == {
        "id": "payments",
        "en": "Payments",
        "ko": "결제",
        "catalog_domains": ["payments"],
    }
    assert data["dimensions"]["pg_provider"]["ko"] == "PG사"
    assert data["dimensions"]["payment_method"]["values"]["card"] == {
        "en": "Card",
        "ko": "신용/체크카드",
    }
    assert data["dimensions"]["reason"]["values"]["changed_mind"]["en"] == "Changed mind"
    assert set(data["grains"]) == {"day", "week", "month"}
    assert any(a["open"] and a["severity"] == "critical" for a in data["alerts"])


def _tab_dom(site: Path, tab: str) -> tuple[str, str]:
    return tab, _run_chromium(f"{site.as_uri()}#tab={tab}&grain=day&lang=en", "--dump-dom")


def test_every_tab_renders_its_charts_with_data(site):
    catalog = load_catalog()
    tabs = [d.id for d in load_catalog().domains]
    with ThreadPoolExecutor(max_workers=2) as pool:
        doms = dict(pool.map(lambda tab: _tab_dom(site, tab), tabs))
    for tab in load_catalog().domains:
        tab_id, domains = tab.id, tab.includes
        dom = doms[tab_id]
        assert f'data-tab-rendered="{tab_id}"' in dom, f"tab {tab_id} did not finish rendering"
        charts = re.findall(r'<div class="chart"[^>]*>', dom)
        expected = [m.name for m in catalog.published if m.domain in domains]
        assert len(charts) == len(expected), tab_id
        for tag in charts:
            name = re.search(r'data-metric="([a-z0-9_]+)"', tag).group(1)
            rendered = re.search(r'data-rendered="(\d+)"', tag)
            assert rendered and int(rendered.group(1)) > 0, f"{tab_id}: {name} drew no data"
        assert dom.count('class="kpi') >= len(expected)
    # The incident shows on the payments tab: an open critical alert, in the tab badge too.
    assert "payment_success_rate_gateway_down" in doms["payments"]
    assert 'class="count critical"' in doms["payments"]


def test_screenshot_for_ci(site, built):
    ARTIFACTS.mkdir(exist_ok=True)
    shots = {
        ARTIFACTS / f"dashboard-{built.engine}-payments.png": "tab=payments&grain=day&lang=en",
        ARTIFACTS / f"dashboard-{built.engine}-system-week-ko.png": "tab=system&grain=week&lang=ko",
    }
    for path, state in shots.items():
        path.unlink(missing_ok=True)
        _run_chromium(f"{site.as_uri()}#{state}", "--window-size=1440,2600", f"--screenshot={path}")
        assert path.is_file() and path.stat().st_size > 50_000, path


def test_no_value_or_code_can_end_the_inline_scripts():
    from html.parser import HTMLParser

    from marketmetrics.dashboard.build import _json_script_safe, _script_safe

    hostile = {"category": "</SCRIPT><img src=x onerror=alert(1)><!--", "amp": "a & b"}
    data_json = json.dumps(hostile, ensure_ascii=False)
    safe = _json_script_safe(data_json)
    assert json.loads(safe) == hostile  # the same data once parsed
    code = _script_safe("var s = '</Script>'; var r = /<\\/script>/; // <!-- x")

    class Tags(HTMLParser):
        def __init__(self):
            super().__init__()
            self.tags: list[str] = []

        def handle_starttag(self, tag, attrs):
            self.tags.append(tag)

        def handle_endtag(self, tag):
            self.tags.append("/" + tag)

    parser = Tags()
    parser.feed(
        f"<html><body><script>var DATA = {safe};</script><script>{code}</script></body></html>"
    )
    assert parser.tags == [
        "html",
        "body",
        "script",
        "/script",
        "script",
        "/script",
        "/body",
        "/html",
    ]


def _typed(column: str, text: str) -> Any:
    """A CSV field back as the warehouse's value (export.py writes numbers as repr)."""
    if text == "":
        return None
    if column == "period_start":
        return date.fromisoformat(text)
    if column == "is_complete_period":
        return {"true": True, "false": False}[text]
    if column in NUMBERS:
        return float(text)
    return text


def test_export_writes_the_metric_table_rows(built, tmp_path):
    first, last = START + timedelta(days=7), INCIDENT
    out = tmp_path / "success_rate.csv"
    done = export_metric(
        built.spec,
        "payment_success_rate",
        out,
        grain="week",
        start=first,
        end=last,
        by="pg_provider",
    )
    table = f"{METRICS_SCHEMA}.metrics_weekly"
    expected = [
        tuple(float(v) if i in (4, 5, 6, 7, 8) and v is not None else v for i, v in enumerate(r))
        for r in built.query(
            "select metric_name, period_start, dimension_name, dimension_value, metric_value, "
            "prior_period_value, prior_year_value, pct_change_prior_period, "
            "pct_change_prior_year, is_complete_period "
            f"from {table} where metric_name = 'payment_success_rate' "
            "and dimension_name = 'pg_provider' "
            f"and period_start between '{first}' and '{last}' "
            "order by period_start, dimension_value"
        )
    ]
    with out.open(encoding="utf-8") as handle:
        header, *lines = list(csv.reader(handle))
    assert tuple(header) == COLUMNS
    got = [
        tuple(_typed(c, v) for c, v in zip(COLUMNS, line, strict=True) if c != "grain")
        for line in lines
    ]
    assert {line[1] for line in lines} == {"week"}
    # Four weeks from the second Monday (01-12) through the incident's week (02-02 .. 02-08),
    # a row per gateway.
    weeks = {row[1] for row in expected}
    assert sorted(weeks) == [START + timedelta(days=7 * i) for i in (1, 2, 3, 4)]
    assert got == expected and done.rows == len(expected) > 5 and done.table == table
    # The incident week's kcp row is there, with the week before as its prior period (one
    # bad day of seven does not put a week below the other gateways': the daily grain shows
    # the incident, test_dashboard's alert tests).
    kcp = {row[1]: row for row in expected if row[3] == "kcp"}
    assert kcp[max(weeks)][5] == kcp[max(weeks) - timedelta(days=7)][4] is not None

    parquet = export_metric(
        built.spec,
        "payment_success_rate",
        tmp_path / "rate.parquet",
        grain="week",
        start=first,
        end=last,
        by="pg_provider",
    )
    import pyarrow.parquet as pq

    rows = [tuple(r.values()) for r in pq.read_table(parquet.path).to_pylist()]
    assert [r[:1] + r[2:] for r in rows] == expected


@pytest.mark.parametrize(
    ("kwargs", "sentence"),
    [
        ({"metric": "no_such"}, "no published metric 'no_such'"),
        ({"by": "pg_provider"}, "gmv has no breakdown 'pg_provider'; it has all, category"),
        ({"grain": "hour"}, "grain must be one of day, week, month, quarter, year"),
        ({"out": "gmv.xlsx"}, "cannot tell the format of gmv.xlsx"),
    ],
)
def test_export_refuses_what_the_catalog_lacks(kwargs, sentence, tmp_path):
    args = {"metric": "gmv", "out": "gmv.csv"} | kwargs
    with pytest.raises(ExportError, match=re.escape(sentence)):
        export_metric(NOWHERE, args.pop("metric"), tmp_path / args.pop("out"), **args)
    assert not list(tmp_path.iterdir())


def test_the_notebook_example_reads_the_serving_copy(built, tmp_path):
    if built.engine != "duckdb":
        pytest.skip("the serving copy is DuckDB's; PostgreSQL readers use the BI role")
    from marketmetrics.serving import publish

    copy = publish(built.spec, tmp_path / "serving.duckdb")
    script = REPO_ROOT / "docs" / "examples" / "read_serving_copy.py"
    done = subprocess.run(
        [
            sys.executable,
            str(script),
            "--path",
            str(copy.path),
            "--schema",
            METRICS_SCHEMA,
            "--weeks",
            "3",
        ],
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    weeks = built.query(
        f"select period_start, metric_value, is_complete_period from {METRICS_SCHEMA}."
        "metrics_weekly where metric_name = 'gmv' and dimension_name = 'all' "
        "order by period_start desc limit 3"
    )
    opened = fetch_open_alerts(built.spec)
    lines = done.stdout.splitlines()
    assert lines[0] == "gmv by week (newest first)"
    for line, (start, value, complete) in zip(lines[1:4], weeks, strict=True):
        assert line.startswith(f"  {start}  {float(value):,.2f}  prior year -"), line
        assert line.endswith("in progress") == (not complete)
    assert lines[4] == f"{len(opened)} open alert(s)" and len(lines) == 5 + len(opened)
    assert f"critical payment_success_rate_gateway_down payment_success_rate {INCIDENT} kcp" in (
        " ".join(done.stdout.split())
    )


def _overflow(url: str, width: int) -> tuple[str | None, str]:
    dom = _run_chromium(url, f"--window-size={width},1000", "--dump-dom")
    found = re.search(r'data-overflow="([^"]*)"', dom)
    return (found.group(1) if found else None), dom


def test_everything_fits_at_both_widths_in_both_languages(site, built):
    """Every card, legend line, heading and table cell fits its box at 1200 and 1600 px, in
    English and Korean, on every tab (the page lists what does not: app.js overflowing())."""
    if built.engine != "duckdb":
        pytest.skip("the page is the same on both engines")
    tabs = [d.id for d in load_catalog().domains] + ["quality"]
    views = [(w, lang, tab) for w in (1200, 1600) for lang in ("en", "ko") for tab in tabs]
    with ThreadPoolExecutor(max_workers=2) as pool:
        found = list(
            pool.map(
                lambda v: _overflow(f"{site.as_uri()}#tab={v[2]}&grain=day&lang={v[1]}", v[0]),
                views,
            )
        )
    problems = {view: text for view, (text, _) in zip(views, found, strict=True) if text != ""}
    assert not problems, problems
    doms = {view: dom for view, (_, dom) in zip(views, found, strict=True)}
    # Korean is complete where the page writes words: severities and the quality verdicts.
    assert 'class="sev critical">심각<' in doms[(1200, "ko", "payments")]
    assert ">critical<" not in doms[(1200, "ko", "payments")]
    assert "데이터 품질" in doms[(1200, "ko", "quality")]
    # A rate's change reads in percentage points.
    assert re.search(r"[+−±]\d+\.\d pp</b>", doms[(1200, "en", "payments")])


def test_the_overflow_check_sees_text_that_does_not_fit(site, tmp_path):
    """The check above can fail: a label of 120 letters without a break overflows its card."""
    html = site.read_text(encoding="utf-8")
    long_label = '"en":"' + "W" * 120 + '"'
    assert '"en":"Payment success rate"' in html
    bad = tmp_path / "index.html"
    bad.write_text(html.replace('"en":"Payment success rate"', long_label, 1), encoding="utf-8")
    text, _ = _overflow(f"{bad.as_uri()}#tab=payments&grain=day&lang=en", 1200)
    assert text and "name: WWWW" in text


def test_the_quality_tab_shows_the_quarantine_and_the_test_results(site, built):
    data = json.loads((site.parent / "data.json").read_text(encoding="utf-8"))
    quality = data["quality"]
    quarantined = dict(
        built.query("select source_table, quarantined_rows from audit.audit_row_reconciliation")
    )
    assert {r["table"]: r["quarantined"] for r in quality["summary"]} == quarantined
    assert [r["rank"] for r in quality["summary"]] == list(range(1, len(quarantined) + 1))
    per_day = built.query(
        f"select synced_date, sum(issue_rows) from {METRICS_SCHEMA}.dq_row_issues_daily "
        "where issue = 'quarantined' and synced_date is not null group by synced_date "
        "order by synced_date"
    )
    days = dict(zip(quality["days"], quality["per_day"]["quarantined"], strict=True))
    assert {d.isoformat(): int(n) for d, n in per_day if d.isoformat() in days} == {
        d: n for d, n in days.items() if n
    }
    # The module's build ran no data test (other modules' business): the runs are those kept.
    runs = built.query(
        f"select count(distinct invocation_id) from {METRICS_SCHEMA}.dq_test_results"
    )
    assert len(quality["runs"]) == min(runs[0][0], 30)
    dom = _run_chromium(f"{site.as_uri()}#tab=quality&grain=day&lang=en", "--dump-dom")
    assert 'data-tab-rendered="quality"' in dom
    top = quality["summary"][0]["table"]
    assert f'<tr data-table="{top}"><td>1</td>' in dom
