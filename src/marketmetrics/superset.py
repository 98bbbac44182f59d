"""Apache Superset as the reference BI tool (`marketmetrics superset`, docs/bi.md).

Superset lives in its own virtualenv (`.venv-superset`, pins in bi/superset/requirements.txt):
its dependencies (Flask, SQLAlchemy 1.4, pandas, ...) never meet dbt's. This module, in the
project's venv, does everything that needs the project: it reads the dashboard kept as code
(bi/superset/dashboard.yml) and the metric catalog, looks at the serving warehouse's tables
and their persisted descriptions, and writes Superset's import bundle (database, datasets,
charts, dashboard, as YAML). Superset's own interpreter then runs bi/superset/provision.py,
which imports the bundle and creates the viewer role, and gunicorn serves Superset on
loopback.

The warehouse is registered read-only: on DuckDB the serving copy (published after every
successful build, no personal columns) opened with `read_only`; on PostgreSQL a login as the
BI role, which dbt's grants let read the marts and metric tables only (docs/access.md).

Every identifier in the bundle is a uuid5 of its name, so a restart re-imports over the same
objects instead of adding copies.
"""

from __future__ import annotations

import json
import logging
import os
import secrets
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from marketmetrics.catalog import Catalog, Metric, load_catalog

if TYPE_CHECKING:
    from marketmetrics.warehouse import Warehouse

__all__ = [
    "DASHBOARD_SPEC_PATH",
    "DashboardSpec",
    "SupersetError",
    "SupersetSite",
    "build_bundle",
    "load_dashboard_spec",
    "warehouse_tables",
]

log = logging.getLogger(__name__)

PROJECT_DIR = Path(__file__).resolve().parents[2]
BI_DIR = PROJECT_DIR / "bi" / "superset"
DASHBOARD_SPEC_PATH = BI_DIR / "dashboard.yml"
REQUIREMENTS_PATH = BI_DIR / "requirements.txt"
PROVISION_SCRIPT = BI_DIR / "provision.py"
DEFAULT_VENV = PROJECT_DIR / ".venv-superset"
DEFAULT_HOME = PROJECT_DIR / "data" / "superset"
DATABASE_NAME = "marketmetrics"
VIEWER_ROLE = "marketmetrics_viewer"
# uuid5 namespace of every object the bundle defines.
NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "marketmetrics/superset")
GRAIN_TABLES = {
    "day": "metrics_daily",
    "week": "metrics_weekly",
    "month": "metrics_monthly",
    "quarter": "metrics_quarterly",
    "year": "metrics_yearly",
}
# d3 number formats per catalog unit: rates are fractions, amounts whole won.
UNIT_FORMATS = {
    "count": ",d",
    "won": ",.0f",
    "rate": ".1%",
    "seconds": ",.1f",
    "hours": ",.1f",
    "ms": ",.0f",
    "pct": ",.1f",
    "score": ",.1f",
}
# Labels of the long metric tables' columns (their descriptions are dbt's, persisted).
LONG_COLUMN_LABELS = {
    "metric_name": "Metric",
    "period_start": "Period start",
    "dimension_name": "Breakdown",
    "dimension_value": "Breakdown value",
    "metric_value": "Value",
    "prior_period_value": "Prior period",
    "same_weekday_last_week_value": "Same weekday last week",
    "prior_year_value": "Prior year",
    "pct_change_prior_period": "% change vs prior period",
    "pct_change_prior_year": "% change vs prior year",
    "is_complete_period": "Complete period",
}


class SupersetError(RuntimeError):
    """Superset could not be installed, provisioned or started: one sentence why."""


def _uuid(kind: str, name: str) -> str:
    return str(uuid.uuid5(NAMESPACE, f"{kind}:{name}"))


# --- the dashboard kept as code -------------------------------------------------------------


@dataclass(frozen=True)
class Breakdown:
    metric: str
    dimension: str


@dataclass(frozen=True)
class Tab:
    domain: str
    kpis: tuple[str, ...]
    series: str
    breakdowns: tuple[Breakdown, ...] = ()


@dataclass(frozen=True)
class DashboardSpec:
    title: str
    slug: str
    grains: tuple[str, ...]
    tabs: tuple[Tab, ...]

    @property
    def uuid(self) -> str:
        return _uuid("dashboard", self.slug)


def load_dashboard_spec(
    path: str | Path = DASHBOARD_SPEC_PATH, catalog: Catalog | None = None
) -> DashboardSpec:
    """The dashboard of bi/superset/dashboard.yml, checked against the catalog: every metric
    published, in the tab's domain, every breakdown one of the metric's dimensions."""
    raw = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    catalog = catalog or load_catalog()
    published = {m.name: m for m in catalog.published}
    domains = {d.id: d for d in catalog.domains}
    errors: list[str] = []
    grains = tuple(raw.get("grains") or ("day", "week", "month"))
    errors += [f"unknown grain {g!r}" for g in grains if g not in GRAIN_TABLES]
    tabs = []
    for entry in raw.get("tabs") or ():
        domain = domains.get(entry.get("domain"))
        if domain is None:
            errors.append(f"unknown domain {entry.get('domain')!r}")
            continue
        breakdowns = tuple(Breakdown(**b) for b in entry.get("breakdowns") or ())
        tab = Tab(domain.id, tuple(entry.get("kpis") or ()), entry["series"], breakdowns)
        names = [*tab.kpis, tab.series, *(b.metric for b in breakdowns)]
        for name in names:
            metric = published.get(name)
            if metric is None:
                errors.append(f"{domain.id}: {name!r} is not a published metric of the catalog")
            elif metric.domain not in domain.includes:
                errors.append(f"{domain.id}: {name!r} belongs to domain {metric.domain!r}")
        for b in breakdowns:
            metric = published.get(b.metric)
            if metric is not None and b.dimension not in metric.dimensions:
                errors.append(f"{domain.id}: {b.metric!r} has no dimension {b.dimension!r}")
        tabs.append(tab)
    if not tabs:
        errors.append("no tabs")
    if errors:
        raise ValueError(f"{path}: " + "; ".join(errors))
    return DashboardSpec(raw["title"], raw["slug"], grains, tuple(tabs))


# --- what the warehouse offers ----------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    description: str | None = None


@dataclass(frozen=True)
class Table:
    schema: str
    name: str
    description: str | None
    columns: tuple[Column, ...] = field(default_factory=tuple)


def warehouse_tables(warehouse: Warehouse) -> list[Table]:
    """The tables and views readers get (marts and metrics schemas), with their columns and the
    descriptions dbt persisted as comments, as the serving warehouse has them."""
    readers = warehouse.schemas.readers
    placeholders = ", ".join(f"'{s}'" for s in readers)
    if warehouse.engine == "duckdb":
        tables_sql = (
            "select schema_name, table_name, comment from duckdb_tables() "
            f"where schema_name in ({placeholders}) union all "
            "select schema_name, view_name, comment from duckdb_views() "
            f"where schema_name in ({placeholders}) and not internal"
        )
        columns_sql = (
            "select schema_name, table_name, column_name, data_type, comment "
            f"from duckdb_columns() where schema_name in ({placeholders}) "
            "order by schema_name, table_name, column_index"
        )
    else:
        tables_sql = (
            "select n.nspname, c.relname, obj_description(c.oid, 'pg_class') "
            "from pg_class c join pg_namespace n on n.oid = c.relnamespace "
            f"where n.nspname in ({placeholders}) and c.relkind in ('r', 'v', 'm', 'p')"
        )
        columns_sql = (
            "select n.nspname, c.relname, a.attname, format_type(a.atttypid, a.atttypmod), "
            "col_description(c.oid, a.attnum) "
            "from pg_attribute a join pg_class c on c.oid = a.attrelid "
            "join pg_namespace n on n.oid = c.relnamespace "
            f"where n.nspname in ({placeholders}) and c.relkind in ('r', 'v', 'm', 'p') "
            "and a.attnum > 0 and not a.attisdropped order by n.nspname, c.relname, a.attnum"
        )
    columns: dict[tuple[str, str], list[Column]] = {}
    for schema, table, column, data_type, comment in warehouse.query(columns_sql):
        columns.setdefault((schema, table), []).append(
            Column(column, str(data_type).upper(), (comment or "").strip() or None)
        )
    return sorted(
        (
            Table(
                schema,
                table,
                (comment or "").strip() or None,
                tuple(columns.get((schema, table), ())),
            )
            for schema, table, comment in warehouse.query(tables_sql)
        ),
        key=lambda t: (t.schema, t.name),
    )


# --- the import bundle --------------------------------------------------------------------------


def _metric_label(metric: Metric) -> str:
    return f"{metric.label_en} ({metric.label_ko})"


def _dataset(table: Table, database_uuid: str, catalog: Catalog) -> dict[str, Any]:
    metrics = {m.name: m for m in catalog.published}
    is_long = table.name in GRAIN_TABLES.values()
    cols = []
    for column in table.columns:
        label = None
        description = column.description
        if column.name in metrics:  # a wide table's metric column
            metric = metrics[column.name]
            label = _metric_label(metric)
            description = description or metric.definition
        elif is_long:
            label = LONG_COLUMN_LABELS.get(column.name)
        cols.append(
            {
                "column_name": column.name,
                "verbose_name": label,
                "description": description,
                "is_dttm": column.type == "DATE" or column.type.startswith("TIMESTAMP"),
                "is_active": True,
                "type": column.type,
                "advanced_data_type": None,
                "groupby": True,
                "filterable": True,
                "expression": None,
                "python_date_format": None,
                "extra": None,
            }
        )
    dttm = next((c["column_name"] for c in cols if c["column_name"] == "period_start"), None)
    saved_metrics = [
        {
            "metric_name": "count",
            "verbose_name": "Rows",
            "metric_type": "count",
            "expression": "COUNT(*)",
            "description": None,
            "d3format": None,
            "currency": None,
            "extra": None,
            "warning_text": None,
        }
    ]
    if is_long:
        saved_metrics.append(
            {
                "metric_name": "value",
                "verbose_name": "Value",
                "metric_type": None,
                "expression": "MAX(metric_value)",
                "description": "The metric's value: one row per metric, period and breakdown "
                "value, so MAX returns it unchanged. Filter one metric_name and one "
                "dimension_name; never sum values across periods or grains.",
                "d3format": None,
                "currency": None,
                "extra": None,
                "warning_text": "Filter metric_name and dimension_name first",
            }
        )
    return {
        "table_name": table.name,
        "schema": table.schema,
        "catalog": None,
        "sql": None,
        "main_dttm_col": dttm,
        "description": table.description,
        "default_endpoint": None,
        "offset": 0,
        "cache_timeout": None,
        "filter_select_enabled": True,
        "fetch_values_predicate": None,
        "extra": None,
        "normalize_columns": False,
        "always_filter_main_dttm": False,
        "uuid": _uuid("dataset", f"{table.schema}.{table.name}"),
        "metrics": saved_metrics,
        "columns": cols,
        "version": "1.0.0",
        "database_uuid": database_uuid,
    }


def _sql_literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _sql_filter(expression: str) -> dict[str, Any]:
    """A chart's WHERE clause as Superset's ad-hoc SQL filter."""
    return {
        "clause": "WHERE",
        "expressionType": "SQL",
        "sqlExpression": expression,
        "subject": None,
        "operator": None,
        "comparator": None,
        "filterOptionName": _uuid("filter", expression),
    }


def _series_params(metric: Metric, dimension: str | None) -> dict[str, Any]:
    """What every chart of one metric's series shares: the metric and breakdown it reads
    (complete periods only: the running period would read as a drop), the period axis taken
    as stored, the catalog unit's number format."""
    breakdown = _sql_literal(dimension) if dimension else "'all'"
    return {
        "x_axis": "period_start",
        "time_grain_sqla": "P1D",
        "adhoc_filters": [
            _sql_filter(
                f"metric_name = {_sql_literal(metric.name)} AND dimension_name = {breakdown}"
            ),
            _sql_filter("is_complete_period"),
        ],
        "y_axis_format": UNIT_FORMATS.get(metric.unit, "SMART_NUMBER"),
        "extra_form_data": {},
    }


@dataclass(frozen=True)
class Chart:
    key: str
    name: str
    viz_type: str
    dataset: str
    params: dict[str, Any]
    description: str | None

    @property
    def uuid(self) -> str:
        return _uuid("chart", self.key)

    def config(self, dataset_uuid: str) -> dict[str, Any]:
        return {
            "slice_name": self.name,
            "description": self.description,
            "certified_by": None,
            "certification_details": None,
            "viz_type": self.viz_type,
            "params": {**self.params, "viz_type": self.viz_type, "datasource": "0__table"},
            "query_context": None,
            "cache_timeout": None,
            "uuid": self.uuid,
            "version": "1.0.0",
            "dataset_uuid": dataset_uuid,
        }


def _kpi_chart(metric: Metric, grain: str = "day") -> Chart:
    return Chart(
        key=f"kpi/{metric.name}/{grain}",
        name=_metric_label(metric),
        viz_type="big_number",
        dataset=GRAIN_TABLES[grain],
        description=metric.definition,
        params={
            **_series_params(metric, None),
            "metric": "value",
            "show_trend_line": True,
            "start_y_axis_at_zero": True,
            "compare_lag": 1,
            "compare_suffix": f"vs prior {grain}",
            "header_font_size": 0.4,
            "subheader_font_size": 0.15,
            "time_format": "%Y-%m-%d",
            "rolling_type": "None",
        },
    )


def _line_chart(metric: Metric, grain: str, dimension: str | None, catalog: Catalog) -> Chart:
    if dimension:
        dim = catalog.dimensions[dimension]
        name = f"{_metric_label(metric)} by {dim.label_en} ({dim.label_ko}), {grain}"
    else:
        name = f"{_metric_label(metric)}, {grain}"
    return Chart(
        key=f"line/{metric.name}/{grain}/{dimension or 'all'}",
        name=name,
        viz_type="echarts_timeseries_line",
        dataset=GRAIN_TABLES[grain],
        description=metric.definition,
        params={
            **_series_params(metric, dimension),
            "metrics": ["value"],
            "groupby": ["dimension_value"] if dimension else [],
            "row_limit": 10000,
            "order_desc": True,
            "show_legend": True,
            "legendOrientation": "top",
            "legendType": "scroll",
            "rich_tooltip": True,
            "markerEnabled": grain != "day",
            "markerSize": 4,
            "x_axis_time_format": "%Y-%m-%d",
            "tooltipTimeFormat": "%Y-%m-%d",
            "truncateXAxis": True,
            "y_axis_bounds": [None, None],
            "color_scheme": "supersetColors",
            "comparison_type": "values",
        },
    )


def dashboard_charts(spec: DashboardSpec, catalog: Catalog) -> list[tuple[Tab, list[list[Chart]]]]:
    """Each tab's rows of charts: KPIs, the series at each grain, the breakdowns."""
    metrics = {m.name: m for m in catalog.published}
    out = []
    for tab in spec.tabs:
        kpis = [_kpi_chart(metrics[name]) for name in tab.kpis]
        series = [_line_chart(metrics[tab.series], grain, None, catalog) for grain in spec.grains]
        breakdowns = [
            _line_chart(metrics[b.metric], "week", b.dimension, catalog) for b in tab.breakdowns
        ]
        out.append((tab, [row for row in (kpis, series, breakdowns) if row]))
    return out


def _position(
    spec: DashboardSpec, catalog: Catalog, tabs: list[tuple[Tab, list[list[Chart]]]]
) -> dict[str, Any]:
    """The dashboard's layout (Superset's position_json): a tab per domain, a row per chart
    row. Each node lists its children and the path of ids above it."""
    labels = {d.id: f"{d.label_en} ({d.label_ko})" for d in catalog.domains}
    position: dict[str, Any] = {
        "DASHBOARD_VERSION_KEY": "v2",
        "HEADER_ID": {"id": "HEADER_ID", "type": "HEADER", "meta": {"text": spec.title}},
        "ROOT_ID": {"id": "ROOT_ID", "type": "ROOT", "children": []},
    }

    def node(kind: str, node_id: str, parents: list[str], meta: dict[str, Any]) -> list[str]:
        """Add a node under parents[-1]; return the parents of its own children."""
        position[parents[-1]]["children"].append(node_id)
        position[node_id] = {
            "id": node_id,
            "type": kind,
            "children": [],
            "parents": parents,
            "meta": meta,
        }
        return [*parents, node_id]

    in_tabs = node("TABS", "TABS-domains", ["ROOT_ID"], {})
    for tab, rows in tabs:
        in_tab = node(
            "TAB",
            f"TAB-{tab.domain}",
            in_tabs,
            {"text": labels[tab.domain], "defaultText": "Tab title"},
        )
        for r, row in enumerate(rows):
            in_row = node(
                "ROW", f"ROW-{tab.domain}-{r}", in_tab, {"background": "BACKGROUND_TRANSPARENT"}
            )
            width = max(3, 12 // max(len(row), 1))
            for chart in row:
                meta = {
                    "chartId": 0,
                    "uuid": chart.uuid,
                    "sliceName": chart.name,
                    "width": width,
                    "height": 50,
                }
                node("CHART", f"CHART-{chart.uuid[:13]}", in_row, meta)
    return position


def build_bundle(
    spec: DashboardSpec,
    catalog: Catalog,
    tables: Iterable[Table],
    database: Mapping[str, Any],
) -> dict[str, str]:
    """Superset's import bundle (`superset import-dashboards` format, v1) as file name ->
    YAML text: the database, a dataset per reader table, the charts and the dashboard."""
    tables = list(tables)
    database_uuid = _uuid("database", DATABASE_NAME)
    files: dict[str, Any] = {
        "metadata.yaml": {
            "version": "1.0.0",
            "type": "Dashboard",
            "timestamp": "1970-01-01T00:00:00+00:00",
        },
        f"databases/{DATABASE_NAME}.yaml": {
            "database_name": DATABASE_NAME,
            "cache_timeout": None,
            "expose_in_sqllab": True,
            "allow_run_async": False,
            "allow_ctas": False,
            "allow_cvas": False,
            "allow_dml": False,
            "allow_file_upload": False,
            "uuid": database_uuid,
            "version": "1.0.0",
            **database,
        },
    }
    datasets: dict[str, str] = {}
    for table in tables:
        config = _dataset(table, database_uuid, catalog)
        datasets[table.name] = config["uuid"]
        files[f"datasets/{DATABASE_NAME}/{table.schema}.{table.name}.yaml"] = config
    tabs = dashboard_charts(spec, catalog)
    missing = sorted({c.dataset for _, rows in tabs for row in rows for c in row} - set(datasets))
    if missing:
        raise SupersetError(
            f"the warehouse has no {', '.join(missing)} to chart: build and publish it first"
        )
    for _, rows in tabs:
        for row in rows:
            for chart in row:
                files[f"charts/{chart.key.replace('/', '_')}.yaml"] = chart.config(
                    datasets[chart.dataset]
                )
    files[f"dashboards/{spec.slug}.yaml"] = {
        "dashboard_title": spec.title,
        "description": None,
        "css": "",
        "slug": spec.slug,
        "certified_by": "",
        "certification_details": "",
        "published": True,
        "uuid": spec.uuid,
        "version": "1.0.0",
        "position": _position(spec, catalog, tabs),
        "metadata": {
            "color_scheme": "supersetColors",
            "label_colors": {},
            "shared_label_colors": [],
            "color_scheme_domain": [],
            "cross_filters_enabled": False,
            "native_filter_configuration": [],
            "chart_configuration": {},
            "global_chart_configuration": {
                "scope": {"rootPath": ["ROOT_ID"], "excluded": []},
                "chartsInScope": [],
            },
            "refresh_frequency": 0,
            "timed_refresh_immune_slices": [],
            "expanded_slices": {},
            "default_filters": "{}",
        },
    }
    return {
        name: yaml.safe_dump(content, allow_unicode=True, sort_keys=False)
        for name, content in files.items()
    }


def write_bundle(files: Mapping[str, str], path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in files.items():
            archive.writestr(f"marketmetrics_bundle/{name}", text)
    return path


# --- the site: virtualenv, configuration, provisioning, server ---------------------------------


def _secret(path: Path, env_name: str) -> str:
    """A secret from the environment, else one generated once and kept (mode 0600)."""
    value = os.environ.get(env_name)
    if value:
        return value
    if path.exists():
        return path.read_text(encoding="utf-8").strip()
    value = secrets.token_urlsafe(24)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.touch(mode=0o600)
    path.write_text(value + "\n", encoding="utf-8")
    return value


@dataclass
class SupersetSite:
    """One Superset installation: its virtualenv, its home (metadata database, config,
    secrets) and the users it provisions."""

    home: Path = DEFAULT_HOME
    venv: Path = DEFAULT_VENV
    admin_user: str = "admin"
    viewer_user: str = "viewer"

    def __post_init__(self) -> None:
        # The environment names them unless the caller did.
        if self.home == DEFAULT_HOME:
            self.home = Path(os.environ.get("MARKETMETRICS_SUPERSET_HOME") or self.home)
        if self.venv == DEFAULT_VENV:
            self.venv = Path(os.environ.get("MARKETMETRICS_SUPERSET_VENV") or self.venv)
        self.home, self.venv = self.home.resolve(), self.venv.resolve()

    @property
    def python(self) -> Path:
        return self.venv / "bin" / "python"

    @property
    def config_path(self) -> Path:
        return self.home / "superset_config.py"

    @property
    def admin_password(self) -> str:
        return _secret(self.home / "admin_password", "MARKETMETRICS_SUPERSET_ADMIN_PASSWORD")

    @property
    def viewer_password(self) -> str:
        return _secret(self.home / "viewer_password", "MARKETMETRICS_SUPERSET_VIEWER_PASSWORD")

    def env(self) -> dict[str, str]:
        return {
            **os.environ,
            "SUPERSET_CONFIG_PATH": str(self.config_path),
            "SUPERSET_HOME": str(self.home),
            "FLASK_APP": "superset.app:create_app()",
            "PYTHONWARNINGS": "ignore",
        }

    # The virtualenv ---------------------------------------------------------------------------
    def requirements(self) -> list[str]:
        import duckdb

        pins = [
            line.strip()
            for line in REQUIREMENTS_PATH.read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.lstrip().startswith("#")
        ]
        # One DuckDB on both sides: a newer writer's file is unreadable to an older reader.
        return [*pins, f"duckdb=={duckdb.__version__}"]

    def ensure_venv(self) -> None:
        """Create .venv-superset with the pinned requirements (again when they change)."""
        requirements = self.requirements()
        wanted = "\n".join(requirements)
        stamp = self.venv / ".marketmetrics-requirements"
        if self.python.exists() and stamp.exists() and stamp.read_text() == wanted:
            return
        if not self.python.exists():
            log.info("creating Superset's virtualenv %s", self.venv)
            subprocess.run([sys.executable, "-m", "venv", str(self.venv)], check=True)
        log.info("installing Superset into %s (a few minutes the first time)", self.venv)
        subprocess.run(
            [
                str(self.python),
                "-m",
                "pip",
                "install",
                "--disable-pip-version-check",
                "-q",
                *requirements,
            ],
            check=True,
        )
        stamp.write_text(wanted)

    # Configuration ----------------------------------------------------------------------------
    def write_config(self) -> None:
        self.home.mkdir(parents=True, exist_ok=True)
        os.chmod(self.home, 0o700)
        secret_key = _secret(self.home / "secret_key", "SUPERSET_SECRET_KEY")
        text = f"""# Written by `marketmetrics superset` (src/marketmetrics/superset.py).
SECRET_KEY = {secret_key!r}
SQLALCHEMY_DATABASE_URI = {"sqlite:///" + str(self.home / "superset.db")!r}
# A dashboard's roles decide who sees it, and reach its charts' data through it only.
FEATURE_FLAGS = {{"DASHBOARD_RBAC": True, "ALERT_REPORTS": False}}
# No example data, no outbound calls: this machine reaches no network but loopback.
SUPERSET_WEBSERVER_TIMEOUT = 120
WTF_CSRF_ENABLED = True
# A content security policy that names no outside host: Superset's default lets the page
# load a telemetry pixel and map tiles from the internet; this one keeps the browser on
# this server.
TALISMAN_ENABLED = True
TALISMAN_CONFIG = {{
    "content_security_policy": {{
        "base-uri": ["'self'"],
        "default-src": ["'self'"],
        "img-src": ["'self'", "blob:", "data:"],
        "worker-src": ["'self'", "blob:"],
        "connect-src": ["'self'"],
        "object-src": "'none'",
        "style-src": ["'self'", "'unsafe-inline'"],
        "font-src": ["'self'", "data:"],
        "script-src": ["'self'", "'strict-dynamic'"],
    }},
    "content_security_policy_nonce_in": ["script-src"],
    "force_https": False,
    "session_cookie_secure": False,
}}
PREVENT_UNSAFE_DB_CONNECTIONS = True
RATELIMIT_STORAGE_URI = "memory://"
THUMBNAIL_CACHE_CONFIG = {{"CACHE_TYPE": "NullCache"}}
LOG_LEVEL = "WARNING"
"""
        self.config_path.write_text(text, encoding="utf-8")

    def _run(self, argv: list[str], what: str) -> str:
        """Run a program of Superset's venv in its environment; its output, or SupersetError
        with the last lines it printed."""
        done = subprocess.run(argv, env=self.env(), capture_output=True, text=True, check=False)
        if done.returncode:
            tail = "\n".join((done.stderr or done.stdout or "").strip().splitlines()[-20:])
            raise SupersetError(f"{what} failed:\n{tail}")
        return done.stdout

    def superset(self, *args: str) -> None:
        self._run([str(self.venv / "bin" / "superset"), *args], f"superset {' '.join(args)}")

    # Provisioning ------------------------------------------------------------------------------
    def database_config(self, warehouse: Warehouse) -> tuple[dict[str, Any], dict[str, str]]:
        """The database entry of the bundle and its password, if any (never in the YAML)."""
        reader = warehouse.serving()
        if reader.engine == "duckdb":
            assert reader.duckdb_path is not None
            if reader.duckdb_path == warehouse.duckdb_path:
                raise SupersetError(
                    f"{warehouse.describe()} has no serving copy yet: run `marketmetrics "
                    "build` (or `publish`) first; Superset reads the copy, never the builds' file"
                )
            uri = f"duckdb:///{Path(reader.duckdb_path).resolve()}"
            extra = {
                "engine_params": {"connect_args": {"read_only": True}},
                "allows_virtual_table_explore": True,
                "schemas_allowed_for_file_upload": [],
            }
            return {"sqlalchemy_uri": uri, "extra": extra}, {}
        from marketmetrics.roles import role_names
        from marketmetrics.warehouse import PG_DEFAULTS

        def setting(name: str) -> str:
            return os.environ.get(name) or PG_DEFAULTS[name]

        role = role_names().bi
        uri = (
            f"postgresql+psycopg2://{role}@{setting('PGHOST')}:{setting('PGPORT')}/"
            f"{setting('PGDATABASE')}"
        )
        extra = {
            "engine_params": {"connect_args": {"options": "-c default_transaction_read_only=on"}}
        }
        password = os.environ.get("MARKETMETRICS_BI_PASSWORD")
        passwords = {f"databases/{DATABASE_NAME}.yaml": password} if password else {}
        return {"sqlalchemy_uri": uri, "extra": extra}, passwords

    def provision(
        self, warehouse: Warehouse, spec_path: Path = DASHBOARD_SPEC_PATH
    ) -> dict[str, Any]:
        """Install, configure, migrate, import the dashboard and create the viewer."""
        catalog = load_catalog()
        spec = load_dashboard_spec(spec_path, catalog)
        # Reads the warehouse first: a missing serving copy fails before minutes of installing.
        database, passwords = self.database_config(warehouse)
        tables = warehouse_tables(warehouse.serving())
        bundle = write_bundle(
            build_bundle(spec, catalog, tables, database), self.home / "bundle.zip"
        )
        self.ensure_venv()
        self.write_config()
        log.info("migrating Superset's metadata database")
        self.superset("db", "upgrade")
        self.superset("init")
        settings = {
            "bundle": str(bundle),
            "dashboard_uuid": spec.uuid,
            "passwords": passwords,
            "admin": {
                "username": self.admin_user,
                "password": self.admin_password,
                "email": "admin@marketmetrics.invalid",
            },
            "viewer": {
                "username": self.viewer_user,
                "password": self.viewer_password,
                "email": "viewer@marketmetrics.invalid",
                "role": VIEWER_ROLE,
            },
        }
        settings_path = self.home / "provision.json"
        settings_path.touch(mode=0o600)
        settings_path.write_text(json.dumps(settings), encoding="utf-8")
        try:
            out = self._run(
                [str(self.python), str(PROVISION_SCRIPT), str(settings_path)],
                "importing the Superset dashboard",
            )
        finally:
            settings_path.unlink(missing_ok=True)
        result = json.loads(out.strip().splitlines()[-1])
        log.info(
            "imported dashboard %r (%s charts over %s datasets) for role %s",
            spec.title,
            result["charts"],
            len(tables),
            VIEWER_ROLE,
        )
        return {**result, "slug": spec.slug, "datasets": len(tables)}

    # Serving -----------------------------------------------------------------------------------
    def serve(self, host: str = "127.0.0.1", port: int = 8088) -> subprocess.Popen[bytes]:
        """Start Superset under gunicorn on `host:port` (loopback unless told otherwise)."""
        gunicorn = self.venv / "bin" / "gunicorn"
        if not gunicorn.exists():
            raise SupersetError(
                f"{gunicorn} is missing: run `marketmetrics superset` once to install"
            )
        log_file = open(self.home / "superset.log", "ab")  # noqa: SIM115 (the server keeps it)
        return subprocess.Popen(
            [
                str(gunicorn),
                "--bind",
                f"{host}:{port}",
                "--workers",
                "1",
                "--worker-class",
                "gthread",
                "--threads",
                "8",
                "--timeout",
                "120",
                "superset.app:create_app()",
            ],
            env=self.env(),
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )

    @staticmethod
    def wait_until_up(
        url: str, process: subprocess.Popen[bytes] | None = None, timeout: float = 180
    ) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if process is not None and process.poll() is not None:
                raise SupersetError(f"Superset exited with status {process.returncode}")
            try:
                with urllib.request.urlopen(f"{url}/health", timeout=5) as response:
                    if response.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(1)
        raise SupersetError(f"Superset did not answer on {url} within {timeout:.0f}s")

    def remove(self) -> None:
        shutil.rmtree(self.home, ignore_errors=True)
