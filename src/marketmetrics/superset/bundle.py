"""Superset's import bundle, built from the dashboard kept as code (bi/superset/dashboard.yml),
the metric catalog and the serving warehouse's own tables and descriptions: the database, a
dataset per mart and metric table, the charts and the dashboard, as YAML in a zip. Every
identifier is a uuid5 of its name, so a restart re-imports over the same objects instead of
adding copies. The server that imports it is marketmetrics.superset.server.
"""

from __future__ import annotations

import logging
import uuid
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from marketmetrics.catalog import GRAIN_TABLES, Catalog, Metric, load_catalog
from marketmetrics.project import project_dir, read_yaml

if TYPE_CHECKING:
    from marketmetrics.warehouse import Warehouse

__all__ = [
    "DashboardSpec",
    "SupersetError",
    "build_bundle",
    "dashboard_spec_path",
    "load_dashboard_spec",
    "warehouse_tables",
    "write_bundle",
]

log = logging.getLogger(__name__)


def bi_dir() -> Path:
    """The project's Superset files: the dashboard spec, the pins, the provisioning script."""
    return project_dir() / "bi" / "superset"


def dashboard_spec_path() -> Path:
    return bi_dir() / "dashboard.yml"


DATABASE_NAME = "marketmetrics"
VIEWER_ROLE = "marketmetrics_viewer"
# uuid5 namespace of every object the bundle defines.
NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "marketmetrics/superset")
# d3 number formats per catalog unit: rates are fractions, amounts whole won (with the currency
# format below), latencies as Superset's durations.
UNIT_FORMATS = {
    "count": ",d",
    "won": ",.0f",
    "rate": ".1%",
    "seconds": "DURATION_SEC",
    "hours": ",.1f",
    "ms": "DURATION",
    "pct": ",.1f",
    "score": ",.1f",
}
# The unit in every chart's title, so no number stands without one (Superset's number formats
# have no suffix for hours, percentages of 100 or scores).
UNIT_SUFFIX = {
    "won": "₩",
    "rate": "%",
    "seconds": "s",
    "hours": "h",
    "ms": "ms",
    "pct": "%",
    "score": "score",
}
WON = {"symbol": "KRW", "symbolPosition": "prefix"}
# Each grain's time grain and axis labels: a monthly chart labels months, not days.
GRAIN_TIME = {
    "day": ("P1D", "%m-%d"),
    "week": ("P1W", "%Y-%m-%d"),
    "month": ("P1M", "%Y-%m"),
    "quarter": ("P3M", "%Y-%m"),
    "year": ("P1Y", "%Y"),
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
    path: str | Path | None = None, catalog: Catalog | None = None
) -> DashboardSpec:
    """The dashboard of bi/superset/dashboard.yml, checked against the catalog: every metric
    published, in the tab's domain, every breakdown one of the metric's dimensions."""
    raw = read_yaml(path or dashboard_spec_path())
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
    unit = UNIT_SUFFIX.get(metric.unit)
    return f"{metric.label_en} ({metric.label_ko})" + (f" [{unit}]" if unit else "")


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


def _series_params(metric: Metric, dimension: str | None, grain: str = "day") -> dict[str, Any]:
    """What every chart of one metric's series shares: the metric and breakdown it reads
    (complete periods only: the running period would read as a drop), the period axis at the
    grain's own time grain, the catalog unit's number format (and the won's currency)."""
    breakdown = _sql_literal(dimension) if dimension else "'all'"
    extra = {"currency_format": WON} if metric.unit == "won" else {}
    return {
        **extra,
        "x_axis": "period_start",
        "time_grain_sqla": GRAIN_TIME[grain][0],
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
            **_series_params(metric, None, grain),
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
            **_series_params(metric, dimension, grain),
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
            "x_axis_time_format": GRAIN_TIME[grain][1],
            "tooltipTimeFormat": "%Y-%m-%d",
            # Day labels are many: slanted, so neighbours never overlap.
            "xAxisLabelRotation": 45 if grain == "day" else 0,
            "truncateXAxis": True,
            "y_axis_bounds": [None, None],
            "color_scheme": "supersetColors",
            "comparison_type": "values",
        },
    )


def _table_chart(
    key: str,
    name: str,
    dataset: str,
    columns: list[str],
    order_by: str,
    where: str | None = None,
    description: str | None = None,
) -> Chart:
    """A table of a reader table's rows as they are (Superset's raw mode)."""
    return Chart(
        key=key,
        name=name,
        viz_type="table",
        dataset=dataset,
        description=description,
        params={
            "query_mode": "raw",
            "all_columns": columns,
            "order_by_cols": [f'["{order_by}", true]'],
            "adhoc_filters": [_sql_filter(where)] if where else [],
            "row_limit": 200,
            "server_pagination": False,
            "table_timestamp_format": "%Y-%m-%d %H:%M",
            "extra_form_data": {},
        },
    )


def _bar_chart(key: str, name: str, dataset: str, x_axis: str, sql: str, by: str) -> Chart:
    """Stacked bars of one SQL aggregate over a time column, by one column."""
    return Chart(
        key=key,
        name=name,
        viz_type="echarts_timeseries_bar",
        dataset=dataset,
        description=None,
        params={
            "x_axis": x_axis,
            "time_grain_sqla": "P1D",
            "metrics": [
                {"expressionType": "SQL", "sqlExpression": sql, "label": "rows", "optionName": key}
            ],
            "groupby": [by],
            "adhoc_filters": [],
            "stack": "Stack",
            "show_legend": True,
            "legendOrientation": "top",
            "x_axis_time_format": "%m-%d",
            "xAxisLabelRotation": 45,
            "y_axis_format": ",d",
            "row_limit": 10000,
            "extra_form_data": {},
        },
    )


# The tab that is not a domain's: what is wrong now, and how the data is.
QUALITY_TAB = "quality"


def quality_charts() -> list[list[Chart]]:
    """The alerts-and-quality tab's rows: the open alerts and source freshness; the raw tables
    worst first; the rows kept out of staging per day and each build's test results."""
    return [
        [
            _table_chart(
                "quality/open_alerts",
                "Open alerts (진행 중인 알림)",
                "metric_alerts",
                ["severity", "rule_name", "metric_name", "grain", "period_start",
                 "dimension_name", "dimension_value", "metric_value", "threshold_value"],
                "period_start",
                where="is_open",
                description="Alerts whose period ended within the open window (metric_alerts).",
            ),
            _table_chart(
                "quality/freshness",
                "Source freshness (원천 데이터 최신성)",
                "dq_source_freshness",
                ["source_table", "freshness_status", "hours_since_last_row", "last_synced_at"],
                "hours_since_last_row",
                description="Each raw table's newest row at the last build, against its "
                "freshness limits.",
            ),
        ],
        [
            _table_chart(
                "quality/summary",
                "Raw tables, worst first (원천 테이블, 문제 순)",
                "dq_summary",
                ["offence_rank", "source_table", "verdict", "quarantined_rows",
                 "quarantined_share", "held_rows", "unaccounted_rows", "freshness_status",
                 "volume_status"],
                "offence_rank",
            ),
        ],
        [
            _bar_chart(
                "quality/issues",
                "Rows kept out of staging per day (일별 스테이징 제외 행)",
                "dq_row_issues_daily",
                "synced_date",
                "SUM(issue_rows)",
                "issue",
            ),
            _bar_chart(
                "quality/tests",
                "Data tests per build (빌드별 데이터 테스트)",
                "dq_test_results",
                "run_started_at",
                "COUNT(*)",
                "status",
            ),
        ],
    ]  # fmt: skip


def dashboard_charts(spec: DashboardSpec, catalog: Catalog) -> list[tuple[Tab, list[list[Chart]]]]:
    """Each tab's rows of charts: KPIs, the series at each grain, the breakdowns; then the
    alerts-and-quality tab."""
    metrics = {m.name: m for m in catalog.published}
    out = []
    for tab in spec.tabs:
        kpis = [_kpi_chart(metrics[name]) for name in tab.kpis]
        series = [_line_chart(metrics[tab.series], grain, None, catalog) for grain in spec.grains]
        breakdowns = [
            _line_chart(metrics[b.metric], "week", b.dimension, catalog) for b in tab.breakdowns
        ]
        out.append((tab, [row for row in (kpis, series, breakdowns) if row]))
    out.append((Tab(QUALITY_TAB, (), ""), quality_charts()))
    return out


def native_filters(datasets: Mapping[str, str]) -> list[dict[str, Any]]:
    """The dashboard's filter bar: a period range over every chart's time axis, and a breakdown
    value (a gateway, a category, ...) chosen from the weekly metric table's values."""
    scope = {"rootPath": ["ROOT_ID"], "excluded": []}
    return [
        {
            "id": "NATIVE_FILTER-period",
            "name": "Period",
            "filterType": "filter_time",
            "targets": [{}],
            "controlValues": {},
            "defaultDataMask": {"filterState": {}, "extraFormData": {}},
            "cascadeParentIds": [],
            "scope": scope,
            "type": "NATIVE_FILTER",
            "description": "Periods that start in this range",
        },
        {
            "id": "NATIVE_FILTER-breakdown",
            "name": "Breakdown value",
            "filterType": "filter_select",
            "targets": [
                {"datasetUuid": datasets["metrics_weekly"], "column": {"name": "dimension_value"}}
            ],
            "controlValues": {
                "multiSelect": True,
                "enableEmptyFilter": False,
                "defaultToFirstItem": False,
                "inverseSelection": False,
                "searchAllOptions": False,
            },
            "defaultDataMask": {"filterState": {}, "extraFormData": {}},
            "cascadeParentIds": [],
            "scope": scope,
            "type": "NATIVE_FILTER",
            "description": "One or more values of the breakdowns (a gateway, a category, ...)",
        },
    ]


def _position(
    spec: DashboardSpec, catalog: Catalog, tabs: list[tuple[Tab, list[list[Chart]]]]
) -> dict[str, Any]:
    """The dashboard's layout (Superset's position_json): a tab per domain, a row per chart
    row. Each node lists its children and the path of ids above it."""
    labels = {d.id: f"{d.label_en} ({d.label_ko})" for d in catalog.domains}
    labels[QUALITY_TAB] = "Alerts and data quality (알림·데이터 품질)"
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
            "native_filter_configuration": native_filters(datasets),
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
