"""DuckDB and PostgreSQL give the same numbers.

The same generated marketplace (replication artefacts, bad rows, a gateway incident) is built
on both engines, and every metric table must match row for row. Sums are exact decimals and
percentiles are rounded to 6 decimals, so the values are compared exactly; only ratios of
doubles get a relative tolerance of 1e-12 against the last-bit differences of division.
"""

from __future__ import annotations

import pytest

from fixtures.metric_rows import GRAINS, metric_rows, rows_that_differ
from marketmetrics.generator import GeneratorConfig, generate, replicate

pytestmark = pytest.mark.postgres


@pytest.fixture(scope="module")
def built(both_warehouses):
    raw = replicate(generate(GeneratorConfig(seed=5, orders=1_500, days=40)))
    for warehouse in both_warehouses:
        warehouse.load(raw)
        warehouse.dbt.run(
            "build", "--exclude-resource-type", "test", "--exclude-resource-type", "unit_test"
        )
    return both_warehouses


@pytest.mark.parametrize("grain", GRAINS)
def test_every_metric_row_is_the_same_on_both_engines(built, grain):
    duck, pg = (metric_rows(w, grain) for w in built)
    assert len(duck) > 300  # every metric and dimension value, at least one period
    assert set(duck) == set(pg), f"keys differ: {sorted(set(duck) ^ set(pg))[:5]}"
    differing = rows_that_differ(duck, pg)
    assert not differing, f"{len(differing)} rows differ, first: {differing[:3]}"


def test_every_table_has_planner_statistics_after_the_build(built):
    """PostgreSQL: each loaded, seeded, snapshotted or built table was analyzed by the load or
    the build itself, not left to autovacuum (a snapshot without statistics once made
    fct_product_first_displays nested-loop for 18 minutes at 1 M orders)."""
    _, pg = built
    tables = pg.query(
        "select schemaname, relname, last_analyze is not null from pg_stat_user_tables "
        "where schemaname <> 'private'"
    )
    schemas = {schema for schema, _, _ in tables}
    assert {"raw", "reference", "snapshots", "staging", "marts", "metrics"} <= schemas
    assert [f"{schema}.{name}" for schema, name, analyzed in tables if not analyzed] == []


def test_every_stamp_a_later_run_reads_is_indexed(built):
    """PostgreSQL: each table a build writes with a watermark or build stamp (`_synced_at`,
    `_classified_at`, `_built_at`, `_computed_at`) has an index that starts with it, so a
    scheduled run's watermarks and scoped tests read their newest rows, not the whole table
    (macros/index_stamps.sql). Raw tables are the replicator's, snapshots dbt's."""
    _, pg = built
    stamps = pg.query(
        "select c.table_schema || '.' || c.table_name || '.' || c.column_name "
        "from information_schema.columns as c "
        "inner join information_schema.tables as t "
        "on t.table_schema = c.table_schema and t.table_name = c.table_name "
        "where t.table_type = 'BASE TABLE' "
        "and c.table_schema in ('staging', 'intermediate', 'marts', 'metrics', 'audit') "
        "and c.column_name in ('_synced_at', '_classified_at', '_built_at', '_computed_at')"
    )
    indexed = pg.query(
        "select n.nspname || '.' || t.relname || '.' || a.attname "
        "from pg_index as i "
        "inner join pg_class as t on t.oid = i.indrelid "
        "inner join pg_namespace as n on n.oid = t.relnamespace "
        "inner join pg_attribute as a on a.attrelid = i.indrelid and a.attnum = i.indkey[0]"
    )
    stamped = {s for (s,) in stamps}
    assert {"staging.base_orders._classified_at", "marts.fct_orders._built_at"} <= stamped
    assert sorted(stamped - {s for (s,) in indexed}) == []
