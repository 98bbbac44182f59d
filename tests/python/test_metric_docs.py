"""The dbt docs carry every published metric's definition and SQL, and the page is current."""

from __future__ import annotations

import re

import pytest

from conftest import REPO_ROOT, open_warehouse
from marketmetrics.catalog import load_catalog
from marketmetrics.metric_docs import (
    DOCS_PATH,
    metric_expression,
    render_docs_file,
    render_metric_docs,
    shared_percentile,
)


def test_committed_catalog_macro_matches_the_catalog_yaml():
    from marketmetrics.catalog import CATALOG_MACRO_PATH, render_catalog_macro

    assert CATALOG_MACRO_PATH.read_text(encoding="utf-8") == render_catalog_macro(), (
        "macros/metrics/metric_catalog.sql is stale: run `marketmetrics catalog`"
    )


def test_committed_wide_table_docs_match_the_catalog():
    """The wide per-domain tables are documented column by column, from the catalog."""
    import yaml

    from marketmetrics.metric_docs import WIDE_TABLES_PATH, render_wide_tables_yaml

    assert WIDE_TABLES_PATH.read_text(encoding="utf-8") == render_wide_tables_yaml(), (
        "models/metrics/domains/_domains__models.yml is stale: run `marketmetrics catalog`"
    )
    models = {m["name"]: m for m in yaml.safe_load(render_wide_tables_yaml())["models"]}
    wide_sql = sorted(p.stem for p in (REPO_ROOT / "models" / "metrics" / "domains").glob("*.sql"))
    assert sorted(models) == wide_sql
    payments = [c["name"] for c in models["metrics_payments_daily"]["columns"]]
    published = [m.name for m in load_catalog().published if m.domain == "payments"]
    assert payments == ["period_start", *published, "is_complete_period"]
    success = next(
        c
        for c in models["metrics_payments_daily"]["columns"]
        if c["name"] == "payment_success_rate"
    )
    assert success["description"].startswith("Payment success rate (결제 성공률; fraction")


def test_the_catalog_refuses_jinja_it_would_break(tmp_path):
    import pytest

    from marketmetrics.catalog import CATALOG_PATH, render_catalog_macro

    broken = tmp_path / "catalog.yml"
    broken.write_text(CATALOG_PATH.read_text() + "# {% endset %}\n")
    with pytest.raises(ValueError, match="Jinja delimiter"):
        render_catalog_macro(broken)


def test_committed_metric_docs_match_the_catalog():
    assert DOCS_PATH.read_text(encoding="utf-8") == render_docs_file(), (
        "docs/dbt/metric_catalog.md is stale: run `marketmetrics docs`"
    )


def test_every_published_metric_is_documented():
    text = render_metric_docs()
    published = [m for m in load_catalog().metrics if m.published]
    assert len(published) >= 65
    for metric in published:
        assert f"| `{metric.name}` |" in text
        assert metric.definition.replace("|", "\\|") in text
    for metric in load_catalog().metrics:
        if metric.hidden:
            assert f"`{metric.name}`" not in text


def _flat(sql: str) -> str:
    """SQL with its layout folded: one space between words, none inside parentheses."""
    sql = re.sub(r"\s+", " ", sql)
    return re.sub(r"\(\s+", "(", re.sub(r"\s+\)", ")", sql))


@pytest.fixture(scope="module")
def compiled_values_models(request, tmp_path_factory, profiles_dir) -> dict[str, str]:
    """Every values model compiled by dbt (DuckDB target; compiling needs no data)."""
    catalog = load_catalog()
    models = sorted({spec["metrics"] for spec in catalog.facts.values()})
    with open_warehouse("duckdb", request, tmp_path_factory, profiles_dir) as warehouse:
        warehouse.dbt.run("compile", "--select", *models)
        root = warehouse.dbt.target_path / "compiled" / "marketmetrics" / "models" / "metrics"
        return {m: (root / "values" / f"{m}.sql").read_text() for m in models}


def test_a_metric_is_two_hops_from_its_sql(compiled_values_models):
    """gmv's catalog entry names its model; the docs name its values model, whose compiled SQL
    holds the very expression the docs show, for every base metric."""
    catalog = load_catalog()
    gmv = catalog["gmv"]
    assert catalog.values_model(gmv) == "int_metric_values__order_items"
    docs = DOCS_PATH.read_text(encoding="utf-8")
    assert (
        "| `gmv` | `int_metric_values__order_items` | `fct_order_items` by `ordered_date` |" in docs
    )
    checked = 0
    for metric in catalog.metrics:
        if metric.calc in {"count", "sum", "count_distinct", "percentile"}:
            sql = _flat(compiled_values_models[catalog.values_model(metric)])
            shared = shared_percentile(metric, catalog)
            if shared is None:
                assert _flat(metric_expression(metric, catalog)) in sql, metric.name
                assert f"as {metric.name}" in sql, metric.name
            else:
                aggregate, index = shared
                assert _flat(aggregate) in sql, metric.name
                assert f"when '{metric.name}' then cast(grouped.percentiles_" in sql, metric.name
                assert f"[{index}] as decimal(38, 6))" in sql, metric.name
            checked += 1
    assert checked >= 50


def test_compiled_values_models_stay_readable(compiled_values_models):
    """One model per fact, each a few hundred lines at most once compiled."""
    catalog = load_catalog()
    assert len(compiled_values_models) == len(catalog.facts)
    for name, sql in compiled_values_models.items():
        assert len(sql.splitlines()) <= 500, f"{name}: {len(sql.splitlines())} lines"
