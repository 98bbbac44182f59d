"""Data to take away: one metric's rows of a metric table, as CSV or Parquet.

    marketmetrics export gmv --grain week --from 2026-01-01 --to 2026-03-31 --by pg_provider \\
        --out gmv_weekly.csv

The rows are the metric table's own (metrics_daily ... metrics_yearly, read where readers
read: the serving copy on DuckDB, the BI schemas on PostgreSQL), filtered to the metric, the
breakdown (`all` for the total) and the periods that start in the range, ordered by period
and dimension value; the columns are the ones every grain's table has (with the grain first), so
a file equals the table it came from.
CSV writes dates as YYYY-MM-DD, numbers as the warehouse holds them (no rounding, no
thousands separator), booleans as true/false and a missing value as an empty field.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from marketmetrics.catalog import GRAIN_TABLES, Catalog, load_catalog
from marketmetrics.warehouse import Warehouse

__all__ = [
    "COLUMNS",
    "FORMATS",
    "GRAIN_TABLES",
    "NUMBERS",
    "ExportError",
    "Exported",
    "export_metric",
]

COLUMNS = (
    "metric_name",
    "grain",
    "period_start",
    "dimension_name",
    "dimension_value",
    "metric_value",
    "prior_period_value",
    "prior_year_value",
    "pct_change_prior_period",
    "pct_change_prior_year",
    "is_complete_period",
)
NUMBERS = (
    "metric_value",
    "prior_period_value",
    "prior_year_value",
    "pct_change_prior_period",
    "pct_change_prior_year",
)
FORMATS = ("csv", "parquet")


class ExportError(ValueError):
    """The request names something the catalog or the tables do not have: one sentence."""


@dataclass(frozen=True)
class Exported:
    path: Path
    rows: int
    table: str


def export_metric(
    reader: Warehouse,
    metric: str,
    out: Path,
    *,
    grain: str = "day",
    start: date | None = None,
    end: date | None = None,
    by: str = "all",
    fmt: str | None = None,
    catalog: Catalog | None = None,
) -> Exported:
    """Write the metric's rows of the grain's metric table to `out` (format from `fmt`, else
    from the file's suffix) and say what was written."""
    catalog = catalog or load_catalog()
    published = {m.name: m for m in catalog.published}
    if metric not in published:
        raise ExportError(
            f"no published metric {metric!r}; the catalog has {', '.join(sorted(published))}"
        )
    if grain not in GRAIN_TABLES:
        raise ExportError(f"grain must be one of {', '.join(GRAIN_TABLES)}, not {grain!r}")
    dimensions = ("all", *published[metric].dimensions)
    if by not in dimensions:
        raise ExportError(
            f"{metric} has no breakdown {by!r}; it has {', '.join(dimensions)} (all: the total)"
        )
    if start and end and start > end:
        raise ExportError(f"--from {start} is after --to {end}")
    fmt = fmt or out.suffix.lstrip(".").lower()
    if fmt not in FORMATS:
        raise ExportError(
            f"cannot tell the format of {out.name}: name it .csv or .parquet, or give --format"
        )

    table = reader.table("metrics", GRAIN_TABLES[grain])
    where = ["metric_name = %s", "dimension_name = %s"]
    params: list[Any] = [metric, by]
    if start:
        where.append("period_start >= %s")
        params.append(start)
    if end:
        where.append("period_start <= %s")
        params.append(end)
    # The grain is a column only of the combined tables' rows; every table is one grain.
    columns = ", ".join(f"'{grain}' as grain" if c == "grain" else c for c in COLUMNS)
    sql = (
        f"select {columns} from {table} where {' and '.join(where)} "
        "order by period_start, dimension_value"
    )
    rows = reader.query(sql, params)
    out.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "csv":
        _write_csv(out, rows)
    else:
        _write_parquet(out, rows)
    return Exported(path=out, rows=len(rows), table=table)


def _csv_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return str(value)


def _write_csv(out: Path, rows: list[tuple[Any, ...]]) -> None:
    with out.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(COLUMNS)
        for row in rows:
            writer.writerow([_csv_value(v) for v in row])


def _write_parquet(out: Path, rows: list[tuple[Any, ...]]) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    def column(i: int) -> list[Any]:
        values = [row[i] for row in rows]
        if COLUMNS[i] in NUMBERS:
            return [None if v is None else float(v) for v in values]
        return values

    schema = pa.schema(
        [
            ("metric_name", pa.string()),
            ("grain", pa.string()),
            ("period_start", pa.date32()),
            ("dimension_name", pa.string()),
            ("dimension_value", pa.string()),
            *[(name, pa.float64()) for name in NUMBERS],
            ("is_complete_period", pa.bool_()),
        ]
    )
    table = pa.table({name: column(i) for i, name in enumerate(COLUMNS)}, schema=schema)
    pq.write_table(table, out)
