"""Apache Superset as the reference BI tool: the import bundle (bundle.py) and the server
(server.py). docs/bi.md."""

from marketmetrics.superset.bundle import (
    GRAIN_TABLES,
    DashboardSpec,
    SupersetError,
    build_bundle,
    dashboard_charts,
    dashboard_spec_path,
    load_dashboard_spec,
    warehouse_tables,
)
from marketmetrics.superset.server import SupersetSite

__all__ = [
    "GRAIN_TABLES",
    "DashboardSpec",
    "SupersetError",
    "SupersetSite",
    "build_bundle",
    "dashboard_charts",
    "dashboard_spec_path",
    "load_dashboard_spec",
    "warehouse_tables",
]
