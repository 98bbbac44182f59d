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

from datetime import datetime

import pyarrow as pa
import pytest

from fixtures.foundation_raw import EXPECTED_FATES, _rows, contract_tables, ts

TABLES = ("payments", "order_items", "orders", "customers", "categories")


def _literal(value: str | None) -> str:
    return "null" if value is None else "'" + value.replace("'", "''") + "'"


def _insert(warehouse, table: str, rows: list[dict[str, str | None]]) -> None:
    columns = list(rows[0])
    values = ", ".join("(" + ", ".join(_literal(row[c]) for c in columns) + ")" for row in rows)
    warehouse.execute(f"insert into raw.{table} ({', '.join(columns)}) values {values}")


def _land(warehouse) -> None:
    """The fixture through the loader, then re-typed as a broken replicator would land it."""
    tables = contract_tables(_rows())
    orders = tables["orders"].to_pylist()
    first = next(row for row in orders if row["order_id"] == 1)
    # 90: replicated at a placeholder date -> ancient_synced_at; 91: ordered at one
    orders.append({**first, "order_id": 90, "_synced_at": ts("1900-01-01 00:00")})
    orders.append({**first, "order_id": 91, "ordered_at": ts("0001-01-01 00:00")})
    tables["orders"] = pa.Table.from_pylist(orders, schema=tables["orders"].schema)

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
    _insert(
        warehouse,
        "payments",
        [
            # 90: text amount that is no number -> unparsable_amount
            {**good, "payment_id": "90", "amount": "N/A"},
            # 1.5: a key with a fraction -> non_integral_payment_id (never rounded to 2)
            {**good, "payment_id": "1.5"},
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
    warehouse.dbt.run("build", "--select", "+path:models/staging", "path:models/audit")
    return warehouse


# (current, superseded, duplicate, tombstone, quarantined) = foundation + the rows above
ADDED = {
    "payments": (1, 0, 0, 0, 5),
    "order_items": (0, 0, 0, 0, 1),
    "orders": (0, 0, 0, 0, 2),
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
        "select source_table, record_key, reject_reason from audit.audit_quarantine "
        "where reject_reason like 'unparsable%' or reject_reason like 'non_integral%' "
        "or reject_reason like 'ancient%'"
    )
    assert sorted(rows, key=str) == sorted(
        [
            ("payments", "90", "unparsable_amount"),
            ("payments", None, "non_integral_payment_id"),
            ("payments", "91", "unparsable_requested_at"),
            ("payments", "93", "ancient_requested_at"),
            ("payments", "94", "unparsable_requested_at"),
            ("order_items", None, "non_integral_order_item_id"),
            ("orders", "90", "ancient_synced_at"),
            ("orders", "91", "ancient_ordered_at"),
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
