"""The semantic layer, written by hand beside the fact marts, checked without a warehouse.

Its answers are compared with the metric tables on both engines in test_metric_values.py
(test_metricflow_answers_equal_the_metric_tables, and the `mf` command itself).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from marketmetrics.catalog import load_catalog
from marketmetrics.semantic import (
    expressible_metrics,
    inexpressible,
    offset_metrics,
)

REPO_ROOT = Path(__file__).resolve().parents[2]
DOC = REPO_ROOT / "docs" / "metrics.md"


def _semantic_layer() -> dict[str, list[dict[str, Any]]]:
    """Every semantic model and metric of the project's YAML."""
    out: dict[str, list[dict[str, Any]]] = {"semantic_models": [], "metrics": []}
    for path in sorted((REPO_ROOT / "models").rglob("*.yml")):
        document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for key in out:
            out[key] += document.get(key) or []
    return out


def test_every_catalog_metric_is_defined_or_listed_as_inexpressible():
    catalog = load_catalog()
    document = _semantic_layer()
    defined = {entry["name"] for entry in document["metrics"]}
    names = {m.name for m in catalog.metrics}
    blocked = inexpressible(catalog)
    assert names - defined == set(blocked)
    assert blocked == {
        name: blocked["products_total_eod"]
        for name in (
            "products_total_eod",
            "products_displayed_eod",
            "sellers_by_status_eod",
            "shipments_by_status_eod",
            "customers_by_status_eod",
        )
    }
    # Besides the catalog's metrics: the sides of two ratios and the offset metrics.
    helpers = {"payment_success_rate_denominator", "login_failure_rate_denominator"}
    assert defined - names == helpers | set(offset_metrics(catalog))
    assert len(offset_metrics(catalog)) == 2 * sum(
        1 for m in expressible_metrics(catalog) if m.published and m.calc == "sum"
    )
    # Each offset metric is the one the metric tables' comparison columns give.
    metrics = {entry["name"]: entry for entry in document["metrics"]}
    for name, (source, _offset, window) in offset_metrics(catalog).items():
        assert metrics[name]["type_params"]["metrics"] == [
            {"name": source, "offset_window": window, "alias": f"{source}_offset"}
        ], name


def test_measures_carry_the_catalog_filters_and_percentiles():
    document = _semantic_layer()
    measures = {
        measure["name"]: (model["name"], measure)
        for model in document["semantic_models"]
        for measure in model["measures"]
    }
    model, approved = measures["payments_approved"]
    assert model == "fct_payments"
    assert (
        approved["agg"] == "sum" and approved["expr"] == "case when status = 'approved' then 1 end"
    )
    payments = next(m for m in document["semantic_models"] if m["name"] == "fct_payments")
    assert payments["defaults"]["agg_time_dimension"] == "requested_date"
    _, p95 = measures["payment_processing_seconds_p95"]
    assert p95["agg"] == "percentile"
    assert p95["agg_params"] == {"percentile": 0.95, "use_discrete_percentile": False}
    _, buyers = measures["buyers"]
    assert buyers["agg"] == "count_distinct"
    assert buyers["expr"] == "case when is_paid then customer_id end"
    metrics = {entry["name"]: entry for entry in document["metrics"]}
    assert metrics["payment_success_rate"]["type_params"] == {
        "numerator": "payments_approved",
        "denominator": "payment_success_rate_denominator",
    }
    assert metrics["availability"]["type_params"]["expr"] == "1 - api_error_rate"
    assert metrics["orders_prior_year"]["type_params"]["metrics"] == [
        {"name": "orders", "offset_window": "52 weeks", "alias": "orders_offset"}
    ]
    # The breakdown upstream_provider is observed on outbound calls only.
    api = next(m for m in document["semantic_models"] if m["name"] == "fct_api_requests")
    dims = {d["name"]: d for d in api["dimensions"]}
    assert dims["upstream_provider"]["expr"] == ("case when is_external then upstream_provider end")
    assert api["entities"] == [{"name": "api_request", "type": "primary", "expr": "request_id"}]


def test_the_docs_list_every_inexpressible_metric_with_its_reason():
    text = DOC.read_text(encoding="utf-8")
    for name in inexpressible(load_catalog()):
        assert f"`{name}`" in text, f"docs/metrics.md does not list {name}"
    assert "semi-additive" in text
