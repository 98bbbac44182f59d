"""The metrics dashboard: one self-contained HTML file built from the metric tables.

    from marketmetrics.dashboard import build_dashboard
    from marketmetrics.warehouse import Warehouse
    build_dashboard(Warehouse.resolve("duckdb").serving(), "target/dashboard")  # -> .../index.html

The charting library (Apache ECharts) comes from the npm registry at build time
(`package.json` at the repository root, `npm ci`), and is inlined into the page with the
data, the styles and the script, so the file opens from disk with no network.
"""

from marketmetrics.dashboard.build import build_dashboard, collect_data, ensure_echarts

__all__ = ["build_dashboard", "collect_data", "ensure_echarts"]
