"""Apache Superset on the serving copy: `marketmetrics superset` installs Superset in
its own virtualenv, registers the DuckDB serving copy read-only, imports the dashboard kept as
code (bi/superset/dashboard.yml) with datasets labelled from the catalog, and creates a viewer
who sees that dashboard and nothing else.

Checked on a generated marketplace built and published as the scheduler does:
- headless Chromium (Debian's chromium and chromedriver, driven by selenium) logs in as the
  viewer, opens the dashboard and every chart of two tabs renders with data; the Orders KPI
  shows the metric table's value for the latest complete day, to the unit; a screenshot is
  kept under artifacts/ as a CI artefact;
- through Superset's API the viewer can list no database, dataset or chart outside the
  dashboard, run no SQL and query no dataset directly; the admin can, and the connection
  refuses writes;
- the datasets carry the catalog's labels and dbt's persisted descriptions.
The spec's checks against the catalog run without Superset.
"""

from __future__ import annotations

import json
import os
import re
import socket
import time
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any
from unittest import mock

import pytest
import yaml

from conftest import REPO_ROOT, open_warehouse
from fixtures.browser import CHROMIUM_FLAGS, chromedriver, chromium
from marketmetrics.catalog import load_catalog
from marketmetrics.superset import (
    GRAIN_TABLES,
    SupersetSite,
    dashboard_charts,
    dashboard_spec_path,
    load_dashboard_spec,
)

START = date(2026, 1, 5)
DAYS = 30
ARTIFACTS = REPO_ROOT / "artifacts"
VIEWER_PASSWORD = "viewer-test-password"
ADMIN_PASSWORD = "admin-test-password"


# --- the spec, without Superset -------------------------------------------------------------


def test_the_committed_dashboard_names_only_catalog_metrics():
    catalog = load_catalog()
    spec = load_dashboard_spec(dashboard_spec_path(), catalog)
    assert [t.domain for t in spec.tabs] == [d.id for d in catalog.domains]
    charts = dashboard_charts(spec, catalog)
    # KPIs, one series per grain and the breakdowns, per tab.
    expected = sum(len(t.kpis) + len(spec.grains) + len(t.breakdowns) for t in spec.tabs)
    assert (
        sum(len(row) for tab, rows in charts if tab.domain != "quality" for row in rows)
        == (expected)
        == 57
    )
    # Then the tab of open alerts, freshness and data quality.
    assert [tab.domain for tab, _ in charts][-1] == "quality"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"kpis": ["orders", "no_such_metric"]}, "'no_such_metric' is not a published metric"),
        ({"kpis": ["visits"]}, "'visits' belongs to domain 'traffic'"),
        ({"breakdowns": [{"metric": "gmv", "dimension": "channel"}]}, "'gmv' has no dimension"),
    ],
)
def test_a_spec_that_disagrees_with_the_catalog_is_refused(tmp_path, change, message):
    raw = yaml.safe_load(dashboard_spec_path().read_text(encoding="utf-8"))
    raw["tabs"][0].update(change)
    path = tmp_path / "dashboard.yml"
    path.write_text(yaml.safe_dump(raw), encoding="utf-8")
    with pytest.raises(ValueError, match=message):
        load_dashboard_spec(path)


def test_the_exposure_names_what_the_dashboard_reads():
    spec = load_dashboard_spec()
    read = {
        c.dataset for _, rows in dashboard_charts(spec, load_catalog()) for r in rows for c in r
    }
    exposures = yaml.safe_load((REPO_ROOT / "models/alerts/_alerts__exposures.yml").read_text())
    exposure = next(e for e in exposures["exposures"] if e["name"] == "superset_dashboard")
    assert {ref.split("'")[1] for ref in exposure["depends_on"]} == read
    quality = {"metric_alerts", "dq_source_freshness", "dq_summary", "dq_row_issues_daily"}
    assert read - set(GRAIN_TABLES.values()) == quality | {"dq_test_results"}


def test_on_postgresql_superset_reads_as_the_bi_role_with_dbt_descriptions(pg_cluster, monkeypatch):
    """The PostgreSQL registration, without starting Superset: the BI role's login, read-only
    transactions, the password kept out of the bundle, the tables and comments of the reader
    schemas only."""
    import psycopg

    from marketmetrics.superset import build_bundle, warehouse_tables
    from marketmetrics.warehouse import Warehouse as Spec

    cluster = pg_cluster
    cluster.create_database("mm_superset_pg")
    conninfo = cluster.conninfo_for("mm_superset_pg")

    with psycopg.connect(conninfo, autocommit=True) as con:
        for statement in (
            "create schema if not exists metrics",
            "create schema if not exists raw",
            "create table metrics.metrics_daily (metric_name text, period_start date)",
            "comment on table metrics.metrics_daily is 'Every published metric at day grain.'",
            "comment on column metrics.metrics_daily.metric_name is 'A catalog name.'",
            "create table raw.orders (order_id text)",
        ):
            con.execute(statement)
    for name, value in cluster.env("mm_superset_pg").items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("MARKETMETRICS_BI_PASSWORD", "bi-secret")
    warehouse = Spec("postgres", conninfo=conninfo)
    tables = warehouse_tables(warehouse)
    assert [(t.schema, t.name, t.description) for t in tables] == [
        ("metrics", "metrics_daily", "Every published metric at day grain.")
    ]
    assert [(c.name, c.description) for c in tables[0].columns] == [
        ("metric_name", "A catalog name."),
        ("period_start", None),
    ]
    database, passwords = SupersetSite().database_config(warehouse)
    env = cluster.env("mm_superset_pg")
    assert database["sqlalchemy_uri"] == (
        f"postgresql+psycopg2://marketmetrics_bi@{env['PGHOST']}:{env['PGPORT']}/mm_superset_pg"
    )
    assert "default_transaction_read_only=on" in json.dumps(database["extra"])
    assert passwords == {"databases/marketmetrics.yaml": "bi-secret"}
    spec = load_dashboard_spec()
    missing = (
        "dq_row_issues_daily, dq_source_freshness, dq_summary, dq_test_results, metric_alerts, "
        "metrics_monthly, metrics_weekly"
    )
    with pytest.raises(Exception, match=f"the warehouse has no {missing} to chart"):
        build_bundle(spec, load_catalog(), tables, database)


# --- Superset, served ---------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def served(request, tmp_path_factory, profiles_dir) -> Iterator[dict[str, Any]]:
    import pyarrow.compute as pc

    from marketmetrics.cycles import run_cycles
    from marketmetrics.generator import GeneratorConfig, generate
    from marketmetrics.serving import publish

    with open_warehouse("duckdb", request, tmp_path_factory, profiles_dir) as warehouse:
        history = generate(GeneratorConfig(seed=11, orders=1500, start_date=START, days=DAYS))
        last_sync = max(pc.max(t["_synced_at"]).as_py() for t in history.tables.values())
        # A few daily syncs with snapshots, so the stocks have history to draw.
        start = history.end - timedelta(days=3)
        # In this process, as the demo runs them: one parse for every cycle's snapshot.
        run_cycles(
            history, warehouse.dbt, warehouse.load, start=start, end=last_sync, in_process=True
        )
        warehouse.dbt.run("build", "--exclude-resource-type", "test", "unit_test")
        publish(warehouse.spec)

        home = tmp_path_factory.mktemp("superset-home")
        env = {
            "MARKETMETRICS_SUPERSET_HOME": str(home),
            "MARKETMETRICS_SUPERSET_ADMIN_PASSWORD": ADMIN_PASSWORD,
            "MARKETMETRICS_SUPERSET_VIEWER_PASSWORD": VIEWER_PASSWORD,
        }
        with mock.patch.dict(os.environ, env):
            site = SupersetSite()
            result = site.provision(warehouse.spec)
            port = _free_port()
            process = site.serve(port=port)
            url = f"http://127.0.0.1:{port}"
            try:
                site.wait_until_up(url, process)
                yield {"site": site, "url": url, "result": result, "warehouse": warehouse}
            finally:
                process.terminate()
                process.wait(timeout=30)


def test_provisioning_imports_the_dashboard_and_every_reader_table(served):
    result = served["result"]
    # 7 tabs of 4 KPIs, 3 grains and their breakdowns (52), and the quality tab's 5.
    assert result["charts"] == 62
    tables = served["warehouse"].query(
        "select count(*) from information_schema.tables where table_schema in ('marts', 'metrics')"
    )[0][0]
    assert result["datasets"] == tables


class Api:
    """Superset's REST API as one user (JWT login, CSRF token for writes)."""

    def __init__(self, url: str, username: str, password: str):
        import requests

        self.url = url
        self.session = requests.Session()
        token = self.session.post(
            f"{url}/api/v1/security/login",
            json={"username": username, "password": password, "provider": "db", "refresh": False},
            timeout=30,
        )
        token.raise_for_status()
        self.session.headers["Authorization"] = f"Bearer {token.json()['access_token']}"
        # A CSRF token for writes: the API hands one to the admin only; anybody gets one with
        # the login form, bound to this session's cookie. (A refused write must be refused
        # for its permission, not for a missing token.)
        csrf = self.session.get(f"{url}/api/v1/security/csrf_token/", timeout=30)
        if csrf.ok:
            self.session.headers["X-CSRFToken"] = csrf.json()["result"]
        else:
            form = self.session.get(f"{url}/login/", timeout=30).text
            found = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', form)
            assert found, "no CSRF token on the login form"
            self.session.headers["X-CSRFToken"] = found.group(1)
        self.session.headers["Referer"] = url

    def get(self, path: str, **params: Any):
        return self.session.get(f"{self.url}{path}", params=params, timeout=60)

    def post(self, path: str, body: dict[str, Any]):
        return self.session.post(f"{self.url}{path}", json=body, timeout=60)

    def dataset_id(self, table: str) -> int:
        q = f"(filters:!((col:table_name,opr:eq,value:{table})))"
        found = self.get("/api/v1/dataset/", q=q).json()["result"]
        assert len(found) == 1, found
        return found[0]["id"]


def _sql(api: Api, sql: str):
    database = api.get("/api/v1/database/").json()["result"][0]["id"]
    return api.post(
        "/api/v1/sqllab/execute/",
        {"database_id": database, "sql": sql, "runAsync": False, "schema": "metrics"},
    )


def test_the_viewer_sees_the_dashboard_and_nothing_else(served):
    viewer = Api(served["url"], "viewer", VIEWER_PASSWORD)
    dashboards = viewer.get("/api/v1/dashboard/").json()
    assert [d["slug"] for d in dashboards["result"]] == ["marketmetrics"]
    # No database, dataset or saved query to look at; no SQL.
    assert viewer.get("/api/v1/database/").status_code in (401, 403)
    assert viewer.get("/api/v1/dataset/").status_code in (401, 403)
    assert viewer.get("/api/v1/saved_query/").status_code in (401, 403)
    refused = viewer.post("/api/v1/sqllab/execute/", {"database_id": 1, "sql": "select 1"})
    assert refused.status_code == 403, refused.text[:300]
    # A dataset's data outside the dashboard: refused, even for a table a chart reads.
    admin = Api(served["url"], "admin", ADMIN_PASSWORD)
    for table in ("fct_orders", "metrics_daily"):
        query = {
            "datasource": {"id": admin.dataset_id(table), "type": "table"},
            "queries": [{"columns": [], "metrics": ["count"], "row_limit": 1}],
            "result_format": "json",
            "result_type": "full",
        }
        denied = viewer.post("/api/v1/chart/data", query)
        assert denied.status_code in (401, 403), (table, denied.status_code, denied.text[:300])
        assert admin.post("/api/v1/chart/data", query).status_code == 200


def test_the_connection_is_read_only_and_answers_as_the_warehouse(served):
    admin = Api(served["url"], "admin", ADMIN_PASSWORD)
    expected = served["warehouse"].query(
        "select count(*) from metrics.metrics_daily where metric_name = 'orders'"
    )[0][0]
    answer = _sql(
        admin, "select count(*) as n from metrics.metrics_daily where metric_name = 'orders'"
    )
    assert answer.status_code == 200, answer.text[:500]
    assert answer.json()["data"][0]["n"] == expected
    refused = _sql(admin, "create table metrics.intruder as select 1 as x")
    assert refused.status_code != 200
    assert "DML" in refused.text or "read-only" in refused.text.lower()


def test_datasets_carry_catalog_labels_and_dbt_descriptions(served):
    admin = Api(served["url"], "admin", ADMIN_PASSWORD)
    dataset = admin.get(f"/api/v1/dataset/{admin.dataset_id('metrics_payments_daily')}").json()[
        "result"
    ]
    columns = {c["column_name"]: c for c in dataset["columns"]}
    assert (
        columns["payment_success_rate"]["verbose_name"] == "Payment success rate (결제 성공률) [%]"
    )
    persisted = served["warehouse"].query(
        "select comment from duckdb_columns() where schema_name = 'metrics' "
        "and table_name = 'metrics_payments_daily' and column_name = 'payment_success_rate'"
    )[0][0]
    # dbt's column description when the YAML has one, else the catalog's definition (the wide
    # tables' metric columns are the loop's, documented by the metric itself).
    definition = {m.name: m for m in load_catalog().published}["payment_success_rate"].definition
    assert columns["payment_success_rate"]["description"] == (
        (persisted or "").strip() or definition
    )
    assert dataset["description"].startswith("Wide daily table of the payments metrics")
    long = admin.get(f"/api/v1/dataset/{admin.dataset_id('metrics_weekly')}").json()["result"]
    assert {m["metric_name"]: m["expression"] for m in long["metrics"]}[
        "value"
    ] == "MAX(metric_value)"
    # The filter bar's breakdown filter was imported onto the weekly table's dataset.
    dashboard = admin.get("/api/v1/dashboard/marketmetrics").json()["result"]
    filters = json.loads(dashboard["json_metadata"])["native_filter_configuration"]
    assert [f["name"] for f in filters] == ["Period", "Breakdown value"]
    assert filters[1]["targets"] == [
        {"datasetId": admin.dataset_id("metrics_weekly"), "column": {"name": "dimension_value"}}
    ]


def test_every_chart_carries_its_unit_and_its_grain():
    spec = load_dashboard_spec()
    catalog = load_catalog()
    metrics = {m.name: m for m in catalog.published}
    charts = {c.key: c for _, rows in dashboard_charts(spec, catalog) for r in rows for c in r}
    gmv = charts["line/gmv/month/all"]
    assert gmv.name == "GMV (거래액 (GMV)) [₩], month"
    assert gmv.params["currency_format"] == {"symbol": "KRW", "symbolPosition": "prefix"}
    assert (gmv.params["time_grain_sqla"], gmv.params["x_axis_time_format"]) == ("P1M", "%Y-%m")
    day = charts["line/gmv/day/all"]
    assert (day.params["time_grain_sqla"], day.params["xAxisLabelRotation"]) == ("P1D", 45)
    assert charts["kpi/api_latency_ms_p95/day"].params["y_axis_format"] == "DURATION"
    assert charts["kpi/payment_success_rate/day"].params["y_axis_format"] == ".1%"
    for key, chart in charts.items():
        if key.startswith(("kpi/", "line/")):
            metric = metrics[key.split("/")[1]]
            # A unit in the title unless the number is a plain count.
            assert (metric.unit == "count") != ("[" in chart.name), key
            # The running period is never drawn: it would read as a drop.
            assert any(
                f["sqlExpression"] == "is_complete_period" for f in chart.params["adhoc_filters"]
            )


def _driver():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = chromium()
    for flag in (*CHROMIUM_FLAGS, "--disable-dev-shm-usage", "--window-size=1600,1500"):
        options.add_argument(flag)
    return webdriver.Chrome(service=Service(chromedriver()), options=options)


def _rendered_charts(driver, expected: int, timeout: float = 120) -> list[dict[str, Any]]:
    """Wait until `expected` charts of the visible tab are drawn (an ECharts canvas or a big
    number), then describe each: its title, whether it drew, any error text."""
    script = """
    const holders = [...document.querySelectorAll('.dashboard-component-chart-holder')]
      .filter(h => h.offsetParent !== null);
    return holders.map(h => ({
      title: (h.querySelector('.header-title, [data-test="editable-title"]') || {}).innerText || '',
      drawn: !!h.querySelector('canvas') || !!h.querySelector('.header-line'),
      bigNumber: (h.querySelector('.header-line') || {}).innerText || null,
      loading: !!h.querySelector('.loading, [aria-label="Loading"]'),
      error: (h.querySelector('.alert, [role="alert"], .ant-alert') || {}).innerText || null,
      empty: /No results|No data/.test(h.innerText),
    }));
    """
    deadline = time.monotonic() + timeout
    charts: list[dict[str, Any]] = []
    while time.monotonic() < deadline:
        charts = driver.execute_script(script)
        if len(charts) >= expected and all(c["drawn"] or c["error"] or c["empty"] for c in charts):
            return charts
        time.sleep(1)
    return charts


def test_the_viewer_opens_the_dashboard_and_its_charts_render_with_data(served):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    warehouse = served["warehouse"]
    spec = load_dashboard_spec()
    per_tab = {t.domain: len(t.kpis) + len(spec.grains) + len(t.breakdowns) for t in spec.tabs}
    (latest_orders,) = warehouse.query(
        "select metric_value from metrics.metrics_daily where metric_name = 'orders' "
        "and dimension_name = 'all' and is_complete_period order by period_start desc limit 1"
    )[0]
    driver = _driver()
    try:
        driver.get(f"{served['url']}/login/")
        driver.find_element(By.ID, "username").send_keys("viewer")
        driver.find_element(By.ID, "password").send_keys(VIEWER_PASSWORD + Keys.ENTER)
        # Signed in, the viewer lands on the dashboard (Home would be empty and forbidden).
        deadline = time.monotonic() + 30
        while "/superset/dashboard/" not in driver.current_url and time.monotonic() < deadline:
            time.sleep(0.5)
        assert driver.current_url.endswith("/superset/dashboard/marketmetrics/"), driver.current_url
        driver.get(f"{served['url']}/superset/welcome/")
        assert driver.current_url.endswith("/superset/dashboard/marketmetrics/")
        charts = _rendered_charts(driver, per_tab["orders"])
        assert len(charts) == per_tab["orders"], charts
        assert all(c["drawn"] and not c["error"] and not c["empty"] for c in charts), charts
        orders_kpi = next(c for c in charts if c["title"].startswith("Orders ("))
        assert orders_kpi["bigNumber"] == f"{int(latest_orders):,}"

        tab = driver.find_element(By.XPATH, "//div[@role='tab'][contains(., 'Payments')]")
        tab.click()
        charts = _rendered_charts(driver, per_tab["payments"])
        assert len(charts) == per_tab["payments"], charts
        assert all(c["drawn"] and not c["error"] and not c["empty"] for c in charts), charts
        ARTIFACTS.mkdir(exist_ok=True)
        driver.save_screenshot(str(ARTIFACTS / "superset-viewer-payments.png"))
        # The filter bar: a period range and a breakdown value.
        bar = driver.execute_script("return document.body.innerText")
        assert "Period" in bar and "Breakdown value" in bar
        tab = driver.find_element(By.XPATH, "//div[@role='tab'][contains(., 'data quality')]")
        tab.click()
        charts = _rendered_charts(driver, 5)
        assert len(charts) == 5, charts
        assert all(c["drawn"] or not c["error"] for c in charts), charts
        titles = {c["title"].split(" (")[0] for c in charts}
        assert titles == {
            "Open alerts",
            "Source freshness",
            "Raw tables, worst first",
            "Rows kept out of staging per day",
            "Data tests per build",
        }, titles
        driver.save_screenshot(str(ARTIFACTS / "superset-viewer-quality.png"))
        console = [
            entry["message"]
            for entry in driver.get_log("browser")
            if entry["level"] == "SEVERE" and "127.0.0.1" not in entry["message"]
        ]
        # The page asks no outside host for anything (the CSP names none).
        assert not [m for m in console if "http" in m and "Content Security Policy" not in m], (
            console
        )
    finally:
        driver.quit()


def test_the_command_reimports_over_the_same_objects(served, capsys):
    """`marketmetrics superset --no-serve` (what a restart runs first) imports the repository's
    dashboard again over the same database, datasets and charts: nothing is duplicated."""
    from marketmetrics.cli import main

    site: SupersetSite = served["site"]
    admin = Api(served["url"], "admin", ADMIN_PASSWORD)
    before = admin.get("/api/v1/chart/", q="(page_size:100)").json()["count"]
    path = served["warehouse"].duckdb_path
    assert main(["superset", "--no-serve", "--duckdb-path", str(path)]) == 0
    assert "dashboard 'marketmetrics' (62 charts, " in capsys.readouterr().out
    assert admin.get("/api/v1/chart/", q="(page_size:100)").json()["count"] == before == 62
    assert len(admin.get("/api/v1/database/").json()["result"]) == 1
    # The passwords came from the environment: none was written to the home.
    assert not (site.home / "viewer_password").exists()
    assert not (site.home / "admin_password").exists()


def test_without_a_serving_copy_the_command_says_what_to_do(tmp_path, capsys):
    from marketmetrics.cli import main

    path = tmp_path / "never_built.duckdb"
    assert main(["superset", "--no-serve", "--duckdb-path", str(path)]) == 1
    err = capsys.readouterr().err
    assert "has no serving copy yet: run `marketmetrics build`" in err
