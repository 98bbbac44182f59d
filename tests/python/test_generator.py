"""The generator's promises: contract shapes, determinism, realistic referential
structure, replication by instant, and artefacts that staging can count."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pytest

from marketmetrics.contract import ENUMS, TABLES
from marketmetrics.generator import ArtefactRates, GeneratorConfig, History, generate, replicate
from marketmetrics.generator.artefacts import (
    BAD_KINDS,
    MISSING_REQUIRED,
    NEGATIVE,
    OWN_TIME,
    UNKNOWN_ENUM,
)
from marketmetrics.generator.frame import ARROW_TYPES

SMALL = GeneratorConfig(seed=7, orders=4_000, days=40, start_date=date(2026, 1, 5))


@pytest.fixture(scope="module")
def history() -> History:
    return generate(SMALL)


@pytest.fixture(scope="module")
def clean_history() -> History:
    return generate(GeneratorConfig(seed=7, orders=1_000, days=20, artefacts=ArtefactRates.none()))


def ids(table: pa.Table, column: str) -> set[int]:
    return set(pc.drop_null(table[column]).to_pylist())


def test_same_seed_same_tables_and_other_seed_differs() -> None:
    cfg = GeneratorConfig(seed=3, orders=300, days=10)
    first, second = replicate(generate(cfg)), replicate(generate(cfg))
    assert all(first[name].equals(second[name]) for name in TABLES)
    other = replicate(generate(GeneratorConfig(seed=4, orders=300, days=10)))
    assert not other["orders"].equals(first["orders"])


def test_tables_have_exactly_the_contract_columns_and_types(history: History) -> None:
    tables = replicate(history)
    assert list(tables) == list(TABLES)
    for name, table in tables.items():
        spec = TABLES[name].all_columns
        assert table.column_names == list(spec), name
        assert [f.type for f in table.schema] == [ARROW_TYPES[t] for t in spec.values()], name
        assert table.num_rows > 0, name
        assert table["_synced_at"].null_count == 0
        if TABLES[name].kind == "entity":
            assert table["_is_deleted"].null_count == 0


def test_keys_unique_among_clean_rows(history: History) -> None:
    for name, spec in TABLES.items():
        clean = history.clean(name)
        assert clean[spec.key].null_count == 0, name
        if spec.kind == "event":
            assert len(pc.unique(clean[spec.key])) == clean.num_rows, name
        else:
            pairs = pa.table({"k": clean[spec.key], "u": clean["updated_at"]})
            assert pairs.group_by(["k", "u"]).aggregate([]).num_rows == clean.num_rows, name


def test_clean_enums_are_in_the_contract(history: History) -> None:
    for (name, column), allowed in ENUMS.items():
        values = set(pc.drop_null(history.clean(name)[column]).to_pylist())
        assert values <= set(allowed), (name, column, values - set(allowed))


def test_references_point_at_existing_rows(history: History) -> None:
    c = history.clean
    assert ids(c("order_items"), "order_id") <= ids(c("orders"), "order_id")
    assert ids(c("order_items"), "product_id") <= ids(c("products"), "product_id")
    assert ids(c("payments"), "order_id") <= ids(c("orders"), "order_id")
    assert ids(c("refunds"), "payment_id") <= ids(c("payments"), "payment_id")
    assert ids(c("shipments"), "order_id") <= ids(c("orders"), "order_id")
    assert ids(c("shipment_events"), "shipment_id") <= ids(c("shipments"), "shipment_id")
    assert ids(c("returns"), "order_item_id") <= ids(c("order_items"), "order_item_id")
    assert ids(c("orders"), "customer_id") <= ids(c("customers"), "customer_id")
    assert ids(c("products"), "seller_id") <= ids(c("sellers"), "seller_id")
    assert ids(c("web_events"), "product_id") <= ids(c("products"), "product_id")
    assert ids(c("orders"), "session_id") <= ids(c("web_events"), "session_id")
    categories = c("categories")
    leaves = ids(categories.filter(pc.is_valid(categories["parent_category_id"])), "category_id")
    assert ids(c("products"), "category_id") <= leaves
    tops = categories.filter(pc.is_null(categories["parent_category_id"]))
    assert len(pc.unique(tops["name"])) == 8


def test_volumes_per_order_are_in_range(history: History) -> None:
    orders = len(ids(history.clean("orders"), "order_id"))
    assert orders == pytest.approx(SMALL.orders, rel=0.01)
    per_order = {n: history.clean(n).num_rows / orders for n in TABLES}
    assert 1.4 < per_order["order_items"] < 1.8
    sessions = len(ids(history.clean("web_events"), "session_id"))
    assert 0.22 < len(ids(history.clean("orders"), "session_id")) / sessions < 0.32
    assert 2.5 < per_order["web_events"] / (sessions / orders) < 4.5
    assert 4 < per_order["api_request_logs"] < 6
    attempts = len(ids(history.clean("payments"), "payment_id")) / orders
    assert 1.05 < attempts < 1.3


def test_versions_show_nothing_from_their_future(history: History) -> None:
    orders = history.clean("orders")
    for column in ("paid_at", "cancelled_at", "confirmed_at"):
        shown = orders.filter(pc.is_valid(orders[column]))
        assert pc.all(pc.less_equal(shown[column], shown["updated_at"])).as_py(), column
    created = orders.filter(pc.equal(orders["status"], "created"))
    assert created["paid_at"].null_count == created.num_rows
    for name in TABLES:
        clean = history.clean(name)
        assert pc.all(pc.greater_equal(clean["_synced_at"], clean[OWN_TIME[name]])).as_py()


def test_replicate_as_of_returns_synced_rows_and_grows(history: History) -> None:
    instants = [history.start + timedelta(days=d) for d in (3, 10, 25)]
    previous = None
    for as_of in instants:
        tables = replicate(history, as_of)
        for name, table in tables.items():
            assert pc.all(pc.less_equal(table["_synced_at"], pa.scalar(as_of))).as_py() in (
                True,
                None,
            )
            later = history.tables[name].filter(
                pc.greater(history.tables[name]["_synced_at"], pa.scalar(as_of))
            )
            assert table.num_rows + later.num_rows == history.tables[name].num_rows
            if previous is not None:
                before = previous[name]
                assert table.slice(0, before.num_rows).equals(before), name
        previous = tables
    assert sum(t.num_rows for t in replicate(history).values()) == sum(
        t.num_rows for t in history.tables.values()
    )


def test_a_replicated_order_is_paid_only_after_its_payment_synced(history: History) -> None:
    as_of = history.start + timedelta(days=12)
    orders = replicate(history, as_of)["orders"]
    paid = orders.filter(pc.is_valid(orders["paid_at"]))
    assert pc.all(pc.less_equal(paid["paid_at"], pa.scalar(as_of))).as_py()


def test_every_artefact_kind_is_injected_and_counted(history: History) -> None:
    counts = history.artefact_counts
    for name, spec in TABLES.items():
        assert counts[name]["duplicate"] > 0 and counts[name]["late"] > 0, name
        assert counts[name]["null_key"] > 0 and counts[name]["future_timestamp"] > 0, name
        assert (counts[name]["unknown_enum"] > 0) == (name in UNKNOWN_ENUM), name
        assert (counts[name]["negative_amount"] > 0) == (name in NEGATIVE), name
        assert (counts[name]["missing_required"] > 0) == (name in MISSING_REQUIRED), name
        for kind in ("duplicate", "tombstone", *BAD_KINDS):
            assert history.rows_of_kind(name, kind).num_rows == counts[name][kind], (name, kind)
        if spec.kind == "entity":
            deleted = pc.sum(history.tables[name]["_is_deleted"]).as_py()
            assert deleted == counts[name]["tombstone"]
    for name in ("customers", "products", "orders", "order_items"):
        assert counts[name]["tombstone"] > 0, name
    assert counts["orders"]["versions"] > 0 and counts["customers"]["versions"] > 0


def test_bad_rows_carry_their_defect(history: History) -> None:
    for name, spec in TABLES.items():
        bad = history.rows_of_kind
        assert bad(name, "null_key")[spec.key].null_count == counts(history, name, "null_key")
        future = bad(name, "future_timestamp")[OWN_TIME[name]]
        assert all(ts.year == 2099 for ts in future.to_pylist()), name
        if name in UNKNOWN_ENUM:
            column, value = UNKNOWN_ENUM[name]
            assert set(bad(name, "unknown_enum")[column].to_pylist()) == {value}
            assert value not in ENUMS.get((name, column), ())
        if name in NEGATIVE:
            rows = bad(name, "negative_amount")
            negative = np.zeros(rows.num_rows, dtype=bool)
            for column in NEGATIVE[name]:
                values = rows[column].cast(pa.float64()).to_numpy(zero_copy_only=False)
                negative |= values < 0
            assert negative.all(), name
        if name in MISSING_REQUIRED:
            rows = bad(name, "missing_required")
            assert rows[MISSING_REQUIRED[name]].null_count == rows.num_rows, name


def counts(history: History, name: str, kind: str) -> int:
    return history.artefact_counts[name][kind]


def test_clean_rates_inject_nothing(clean_history: History) -> None:
    for name, spec in TABLES.items():
        c = clean_history.artefact_counts[name]
        assert all(c[k] == 0 for k in ("duplicate", "late", "tombstone", *BAD_KINDS)), name
        assert clean_history.clean(name).num_rows == clean_history.tables[name].num_rows
        if spec.kind == "entity":
            assert not pc.any(clean_history.tables[name]["_is_deleted"]).as_py()


def test_incident_day_spikes_the_gateway_failure_rate(history: History) -> None:
    payments = history.clean("payments").filter(
        pc.equal(history.clean("payments")["pg_provider"], SMALL.incident_gateway)
    )
    final = payments.filter(pc.is_in(payments["status"], pa.array(["approved", "failed"])))
    local_day = pc.cast(
        pc.local_timestamp(final["requested_at"].cast(pa.timestamp("us", tz="Asia/Seoul"))),
        pa.date32(),
    )
    on_day = pc.equal(local_day, pa.scalar(SMALL.incident_day))
    failed = pc.equal(final["status"], "failed")

    def rate(mask: pa.Array) -> float:
        rows = failed.filter(mask)
        return pc.sum(rows.cast(pa.int64())).as_py() / len(rows)

    assert rate(on_day) > 0.25
    assert rate(pc.invert(on_day)) < 0.1


def test_hours_follow_the_korean_day(history: History) -> None:
    orders = history.clean("orders").filter(pc.equal(history.clean("orders")["status"], "created"))
    hours = pc.hour(orders["ordered_at"].cast(pa.timestamp("us", tz="Asia/Seoul"))).to_numpy()
    by_hour = np.bincount(hours, minlength=24)
    assert by_hour[21] > 3 * by_hour[4]
    assert by_hour[12] > 2 * by_hour[4]
