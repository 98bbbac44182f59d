"""The dbt docs carry every published metric's definition, and the page is current."""

from __future__ import annotations

from marketmetrics.catalog import load_catalog
from marketmetrics.metric_docs import DOCS_PATH, render_metric_docs


def test_committed_metric_docs_match_the_catalog():
    assert DOCS_PATH.read_text(encoding="utf-8") == render_metric_docs(), (
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
