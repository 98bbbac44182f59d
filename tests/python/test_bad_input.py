"""Bad input is quarantined with its reason and counted, never fatal, on both engines.

The foundation fixture (tests/python/fixtures/foundation_raw.py) with its counts, changed the
way replicators really break:

- `payments` lands with every column as text (a CSV or JSON replicator), the good rows
  unchanged in meaning, plus rows whose text does not parse;
- `order_items` lands with a float key, plus a key with a fraction;
- `orders` gets a row replicated at a placeholder date and one ordered at one;
- `customers` and `categories` get look-alike spaces and a decomposed accent.

Expected fates are the foundation's counts plus the rows added here, counted by hand.
"""

from __future__ import annotations

import hashlib
from datetime import datetime

import pyarrow as pa
import pytest

from fixtures.foundation_raw import EXPECTED_FATES, EXPECTED_QUARANTINE, _rows, contract_tables, ts
from fixtures.text_rows import insert_text_rows

TABLES = ("payments", "order_items", "orders", "customers", "categories", "refunds", "returns")


CONFLICT_SESSIONS = ("s-conflict-a", "s-conflict-b")


def _payload(session: str) -> str:
    """base_orders' payload text for order 92 (macros/staging/classify_raw_rows.sql)."""
    at = "2026-03-01 15:30:00"  # T0 as naive UTC text, the same on both engines
    return "|".join(["92", "1", session, "created", at, "", "", "", at, "false"])


CONFLICT_WINNER = max(
    CONFLICT_SESSIONS, key=lambda s: hashlib.md5(_payload(s).encode()).hexdigest()
)


def _land(warehouse) -> None:
    """The fixture through the loader, then re-typed as a broken replicator would land it."""
    tables = contract_tables(_rows())
    orders = tables["orders"].to_pylist()
    first = next(row for row in orders if row["order_id"] == 1)
    # 90: replicated at a placeholder date -> ancient_synced_at; 91: ordered at one
    orders.append({**first, "order_id": 90, "_synced_at": ts("1900-01-01 00:00")})
    orders.append({**first, "order_id": 91, "ordered_at": ts("0001-01-01 00:00")})
    # 92: two versions with equal updated_at and _synced_at, different values: the greater
    # payload hash wins (CONFLICT_WINNER), the other is a duplicate counted as a conflict
    for session in CONFLICT_SESSIONS:
        orders.append({**first, "order_id": 92, "session_id": session})
    tables["orders"] = pa.Table.from_pylist(orders, schema=tables["orders"].schema)

    # Checks across tables: each row is valid alone, the pair is wrong (audit_held_rows).
    items = tables["order_items"].to_pylist()
    item = next(row for row in items if row["order_item_id"] == 1)  # quantity 2, order 1
    items.append({**item, "order_item_id": 95, "order_id": 999})  # orphan_order_id
    tables["order_items"] = pa.Table.from_pylist(items, schema=tables["order_items"].schema)
    refunds = tables["refunds"].to_pylist()
    refund = next(row for row in refunds if row["refund_id"] == 1)  # payment 1: 19,000
    refunds.append({**refund, "refund_id": 95, "amount": 20000})  # refund_exceeds_payment
    tables["refunds"] = pa.Table.from_pylist(refunds, schema=tables["refunds"].schema)
    returns = tables["returns"].to_pylist()
    ret = next(row for row in returns if row["return_id"] == 1)  # item 1
    returns.append({**ret, "return_id": 95, "quantity": 3})  # return_exceeds_quantity
    tables["returns"] = pa.Table.from_pylist(returns, schema=tables["returns"].schema)

    customers = tables["customers"].to_pylist()
    base = next(row for row in customers if row["customer_id"] == 3)
    # 90: a no-break space and an ideographic space around the status -> current, `regular`
    customers.append({**base, "customer_id": 90, "status": "\u00a0regular\u3000"})
    tables["customers"] = pa.Table.from_pylist(customers, schema=tables["customers"].schema)

    categories = tables["categories"].to_pylist()
    root = next(row for row in categories if row["category_id"] == 1)
    # 90 and 91: one name, decomposed and composed -> the same text
    categories.append({**root, "category_id": 90, "name": "cafe\u0301"})
    categories.append({**root, "category_id": 91, "name": "caf\u00e9"})
    tables["categories"] = pa.Table.from_pylist(categories, schema=tables["categories"].schema)
    warehouse.load(tables)

    # payments: every column as text (PostgreSQL renders the instants in the database's time
    # zone, with its offset), then rows whose text does not parse.
    text = "varchar" if warehouse.engine == "duckdb" else "text"
    for column in tables["payments"].column_names:
        warehouse.execute(f"alter table raw.payments alter column {column} type {text}")
    good = dict(
        order_id="1",
        method="card",
        pg_provider="kcp",
        amount="700",
        status="approved",
        requested_at="2026-03-01 15:30",
        completed_at="2026-03-01 15:31",
        updated_at="2026-03-01 15:30:00",
        _synced_at="2026-03-01 15:31:00",
        _is_deleted="false",
    )
    insert_text_rows(
        warehouse,
        "payments",
        [
            # 90: text amount that is no number -> unparsable_amount
            {**good, "payment_id": "90", "amount": "N/A"},
            # 1.5: a key with a fraction -> non_integral_payment_id (never rounded to 2); the
            # quarantine keeps the key as the source holds it, to find the row there
            {**good, "payment_id": "1.5"},
            {**good, "payment_id": "990004.5"},
            # N/A: a key that is no number -> unparsable_payment_id, key kept as text
            {**good, "payment_id": "N/A"},
            # 96: a replication instant that is no instant -> unparsable__synced_at, kept as text
            {**good, "payment_id": "96", "_synced_at": "last tuesday"},
            # 91: an instant PostgreSQL alone would read -> unparsable_requested_at
            {**good, "payment_id": "91", "requested_at": "yesterday"},
            # 92: good; an instant with an offset, one without (UTC): current
            {
                **good,
                "payment_id": " 92 ",
                "requested_at": "2026-03-02T00:30:00+09:00",
                "completed_at": "2026-03-01 15:35:00",
            },
            # 93: a placeholder date -> ancient_requested_at
            {**good, "payment_id": "93", "requested_at": "1900-01-01 00:00:00"},
            # 94: an impossible date -> unparsable_requested_at (a plain cast would raise)
            {**good, "payment_id": "94", "requested_at": "2026-02-30 10:00:00"},
        ],
    )

    # order_items: a float key, then a key with a fraction -> non_integral_order_item_id
    double = "double" if warehouse.engine == "duckdb" else "double precision"
    warehouse.execute(f"alter table raw.order_items alter column order_item_id type {double}")
    columns = [c for c in tables["order_items"].column_names if c != "order_item_id"]
    warehouse.execute(
        f"insert into raw.order_items (order_item_id, {', '.join(columns)}) "
        f"select 2.5, {', '.join(columns)} from raw.order_items where order_item_id = 1"
    )


@pytest.fixture(scope="module")
def built(warehouse):
    _land(warehouse)
    warehouse.dbt.run(
        "build",
        "--select",
        "+path:models/staging",
        "path:models/audit",
        "+path:models/quality",
        "--exclude",
        "path:models/marts",
    )
    return warehouse


# (current, superseded, duplicate, tombstone, quarantined) = foundation + the rows above
ADDED = {
    "payments": (1, 0, 0, 0, 8),
    "order_items": (1, 0, 0, 0, 1),
    "orders": (1, 0, 1, 0, 2),
    "refunds": (1, 0, 0, 0, 0),
    "returns": (1, 0, 0, 0, 0),
    "customers": (1, 0, 0, 0, 0),
    "categories": (2, 0, 0, 0, 0),
}


def test_every_bad_row_is_quarantined_and_counted(built):
    rows = built.query(
        "select source_table, current_rows, superseded_rows, duplicate_rows, tombstone_rows, "
        "quarantined_rows, unaccounted_rows from audit.audit_row_reconciliation"
    )
    got = {r[0]: r[1:] for r in rows}
    for table in TABLES:
        expected = tuple(a + b for a, b in zip(EXPECTED_FATES[table], ADDED[table], strict=True))
        assert got[table] == (*expected, 0), table


def test_each_kind_has_its_reason(built):
    rows = built.query(
        "select source_table, record_key, reject_reason, _raw_synced_at "
        "from audit.audit_quarantine "
        "where reject_reason like 'unparsable%' or reject_reason like 'non_integral%' "
        "or reject_reason like 'ancient%'"
    )
    # A key that does not parse is kept as the source's text (never null), and so is a
    # replication instant that does not parse: what finds the row in the source.
    assert sorted(rows, key=str) == sorted(
        [
            ("payments", "90", "unparsable_amount", None),
            ("payments", "1.5", "non_integral_payment_id", None),
            ("payments", "990004.5", "non_integral_payment_id", None),
            ("payments", "N/A", "unparsable_payment_id", None),
            ("payments", "96", "unparsable__synced_at", "last tuesday"),
            ("payments", "91", "unparsable_requested_at", None),
            ("payments", "93", "ancient_requested_at", None),
            ("payments", "94", "unparsable_requested_at", None),
            ("order_items", "2.5", "non_integral_order_item_id", None),
            ("orders", "90", "ancient_synced_at", None),
            ("orders", "91", "ancient_ordered_at", None),
        ],
        key=str,
    )


def test_text_values_parse_to_the_contract_types(built):
    (row,) = built.query(
        "select payment_id, amount, requested_at, completed_at from staging.stg_payments "
        "where payment_id = 92"
    )
    # +09:00 honoured: 00:30 in Seoul is 15:30 UTC the day before; a naive text instant is UTC.
    assert row == (92, 700, datetime(2026, 3, 1, 15, 30), datetime(2026, 3, 1, 15, 35))
    # The foundation's text rows read exactly as their typed originals.
    assert built.query("select payment_id, amount from staging.stg_payments order by 1") == [
        (1, 19000),
        (3, 500),
        (92, 700),
    ]
    assert built.query("select order_item_id from staging.stg_order_items") == [(1,)]


def test_unicode_variants_are_one_value(built):
    assert built.query("select status from staging.stg_customers where customer_id = 90") == [
        ("regular",)
    ]
    names = built.query(
        "select category_name from staging.stg_categories where category_id in (90, 91)"
    )
    assert names == [("caf\u00e9",), ("caf\u00e9",)]


def test_conflicting_versions_have_one_deterministic_winner_and_are_counted(built):
    assert built.query("select session_id from staging.stg_orders where order_id = 92") == [
        (CONFLICT_WINNER,)
    ]
    counts = dict(
        built.query("select source_table, conflicting_rows from audit.audit_row_reconciliation")
    )
    assert counts == {table: (1 if table == "orders" else 0) for table in counts}


def test_rows_contradicted_by_another_table_are_held_with_their_reason(built):
    held = built.query("select source_table, record_id, hold_reason from audit.audit_held_rows")
    assert sorted(held) == [
        ("order_items", 95, "orphan_order_id"),
        ("refunds", 95, "refund_exceeds_payment"),
        ("returns", 95, "return_exceeds_quantity"),
    ]
    counts = dict(built.query("select source_table, held_rows from audit.audit_row_reconciliation"))
    assert counts == {
        table: (1 if table in ("order_items", "refunds", "returns") else 0) for table in counts
    }
    for table, key in (
        ("order_items", "order_item_id"),
        ("refunds", "refund_id"),
        ("returns", "return_id"),
    ):
        assert built.query(f"select count(*) from staging.stg_{table} where {key} = 95") == [(0,)]


def test_the_quality_report_counts_what_staging_kept_out(built):
    """The data-quality tables readers get (models/quality) against the hand counts."""
    issues = built.query(
        "select source_table, issue, sum(issue_rows) from metrics.dq_row_issues_daily "
        "group by source_table, issue"
    )
    quarantined = {t: EXPECTED_FATES[t][4] + ADDED.get(t, (0,) * 5)[4] for t in EXPECTED_FATES}
    assert {(t, i): int(n) for t, i, n in issues} == {
        **{(t, "quarantined"): n for t, n in quarantined.items() if n},
        ("order_items", "held"): 1,
        ("refunds", "held"): 1,
        ("returns", "held"): 1,
    }
    # Payment 96's `_synced_at` ("last tuesday") has no date; its siblings were synced on
    # 2026-03-01 15:31 UTC, the 2nd in Seoul.
    assert built.query(
        "select reason, issue_rows from metrics.dq_row_issues_daily "
        "where source_table = 'payments' and synced_date is null"
    ) == [("unparsable__synced_at", 1)]

    # Volumes: every row staging did not reject, on contiguous days (0 on a day without one).
    volumes = built.query(
        "select source_table, count(*), sum(synced_rows), min(synced_date), max(synced_date) "
        "from metrics.dq_source_volumes_daily group by source_table"
    )
    accepted = {
        t: sum(EXPECTED_FATES[t][:4]) + sum(ADDED.get(t, (0,) * 5)[:4]) for t in EXPECTED_FATES
    }
    assert {t: int(n) for t, _, n, _, _ in volumes} == accepted
    spans = {(days, first, last) for _, days, _, first, last in volumes}
    ((days, first, last),) = spans
    assert days == (last - first).days + 1

    # The worst offenders first: the fixture is months old, so every table with a freshness
    # rule is an `error` and `act`, ranked by quarantined share (hand counts), then by name;
    # categories has no rule (`freshness: null`, reference data), nothing held and no volume
    # baseline yet, so it is `fine` and last.
    ranked = built.query(
        "select source_table, offence_rank, verdict, freshness_status from metrics.dq_summary "
        "order by offence_rank"
    )
    shares = {t: quarantined[t] / (accepted[t] + quarantined[t]) for t in EXPECTED_FATES}
    checked = sorted(
        (t for t in EXPECTED_FATES if t != "categories"), key=lambda t: (-shares[t], t)
    )
    assert ranked == [
        *[(t, i + 1, "act", "error") for i, t in enumerate(checked)],
        ("categories", len(EXPECTED_FATES), "fine", "unchecked"),
    ]

    # Test results kept by the on-run-end hook: the build above warned on the quarantine, one
    # failing row per raw table and reason.
    reasons = (
        {(t, r) for t, _, r in EXPECTED_QUARANTINE}
        | {
            ("payments", r)
            for r in (
                "unparsable_amount",
                "non_integral_payment_id",
                "unparsable_payment_id",
                "unparsable__synced_at",
                "unparsable_requested_at",
                "ancient_requested_at",
            )
        }
        | {
            ("order_items", "non_integral_order_item_id"),
            ("orders", "ancient_synced_at"),
            ("orders", "ancient_ordered_at"),
        }
    )
    (warned,) = built.query(
        "select status, failures, severity, test_kind from metrics.dq_test_results "
        "where test_name = 'assert_no_quarantined_rows'"
    )
    assert warned == ("warn", len(reasons), "WARN", "singular")


# Last in the module: these break the raw schema on purpose.
def test_a_missing_raw_column_is_one_error_naming_table_column_and_contract(built):
    built.execute("alter table raw.orders rename column paid_at to paid_time")
    result = built.dbt.run("run", "--select", "base_orders", check=False)
    assert not result.ok
    assert (
        "raw table raw.orders has no column paid_at, which the raw contract "
        "(docs/raw_contract.md) requires" in result.stdout
    )
    assert "paid_time" in result.stdout  # the columns it found


def test_a_missing_raw_table_is_one_error_naming_it_and_the_contract(built, capsys):
    built.execute("drop table raw.shipments")
    result = built.dbt.run("run", "--select", "base_shipments", check=False)
    assert not result.ok
    assert "raw table raw.shipments does not exist: the raw contract" in result.stdout
    if built.engine == "duckdb":
        from marketmetrics.cli import main

        code = main(
            ["build", "--duckdb-path", str(built.duckdb_path), "--", "--select", "base_shipments"]
        )
        err = capsys.readouterr().err
        assert code == 1
        assert "raw table raw.shipments does not exist" in err
        assert "Traceback" not in err
