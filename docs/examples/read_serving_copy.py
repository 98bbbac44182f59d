"""Read the serving copy from Python, as a notebook would: the last weeks of a metric with
their prior year, and the open alerts.

    .venv/bin/python docs/examples/read_serving_copy.py                 # after `make demo`
    .venv/bin/python docs/examples/read_serving_copy.py --metric orders --weeks 4

Only what the project installs: the `duckdb` package of its virtualenv. The copy is opened
read-only, so it never blocks a build; the metric tables' contract applies (one metric, one
dimension, `is_complete_period` to leave out the running week). `marketmetrics export` writes
the same rows to CSV or Parquet for tools outside Python.
"""

from __future__ import annotations

import argparse

import duckdb


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--path", default="data/warehouse_serving.duckdb", help="serving copy")
    parser.add_argument("--schema", default="metrics", help="the metric tables' schema")
    parser.add_argument("--metric", default="gmv", help="a published metric")
    parser.add_argument("--weeks", type=int, default=8, help="how many weeks, newest first")
    args = parser.parse_args()

    con = duckdb.connect(args.path, read_only=True)
    weeks = con.execute(
        f"""
        select period_start, metric_value, prior_year_value, is_complete_period
        from {args.schema}.metrics_weekly
        where metric_name = ? and dimension_name = 'all'
        order by period_start desc
        limit ?
        """,
        [args.metric, args.weeks],
    ).fetchall()
    print(f"{args.metric} by week (newest first)")
    for start, value, prior_year, complete in weeks:
        change = "" if value is None or not prior_year else f" ({value / prior_year - 1:+.1%})"
        note = "" if complete else "  in progress"
        print(f"  {start}  {_number(value)}  prior year {_number(prior_year)}{change}{note}")

    alerts = con.execute(
        f"""
        select severity, rule_name, metric_name, period_start, dimension_value
        from {args.schema}.metric_alerts
        where is_open
        order by severity, rule_name, period_start, dimension_value
        """
    ).fetchall()
    print(f"{len(alerts)} open alert(s)")
    for severity, rule, metric, period, value in alerts:
        print(f"  {severity:8} {rule} {metric} {period} {value}")
    con.close()


def _number(value: float | None) -> str:
    return "-" if value is None else f"{value:,.2f}"


if __name__ == "__main__":
    main()
