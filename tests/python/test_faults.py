"""Fault tests: what a crash, a repeat or random garbage does to the warehouse.

- PostgreSQL: a build killed part-way, then re-run, ends equal to the clean build, and a build
  with no new data changes no row (DuckDB's version, through the CLI and the serving copy, is
  in test_serving).
- Both engines: a property-based test (hypothesis) lands random mixes of good and bad rows,
  typed and as text, and asserts that staging never fails and accounts for every raw row.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fixtures.foundation_raw import _rows as foundation_rows
from fixtures.foundation_raw import contract_tables, raw_tables
from fixtures.text_rows import insert_text_rows
from marketmetrics.dbt_runner import dbt_executable

BUILD = ("build", "--exclude-resource-type", "unit_test")
READER_SCHEMAS = ("marts", "metrics")


def _contents(warehouse) -> dict[str, list[tuple]]:
    """Every mart's and metric table's rows, bookkeeping stamps (`_` columns) aside, sorted.

    The data-quality report (`dq_*`) reports on each build (test results, freshness clock):
    two builds differ there by design.
    """
    tables = warehouse.query(
        "select table_schema, table_name from information_schema.tables "
        f"where table_schema in {READER_SCHEMAS!r} and table_type = 'BASE TABLE' "
        "and left(table_name, 3) <> 'dq_' order by 1, 2"
    )
    out = {}
    for schema, table in tables:
        columns = [
            c
            for (c,) in warehouse.query(
                "select column_name from information_schema.columns "
                f"where table_schema = '{schema}' and table_name = '{table}' "
                "order by ordinal_position"
            )
            if not c.startswith("_")
        ]
        selected = ", ".join(f'"{c}"' for c in columns)
        rows = warehouse.query(f'select {selected} from "{schema}"."{table}"')
        out[f"{schema}.{table}"] = sorted(rows, key=repr)
    return out


@pytest.mark.postgres
def test_a_killed_build_then_a_rerun_equals_a_clean_build_on_postgres(
    request, tmp_path_factory, profiles_dir
):
    from conftest import open_warehouse

    with open_warehouse("postgres", request, tmp_path_factory, profiles_dir) as warehouse:
        warehouse.load(raw_tables())
        warehouse.dbt.run(*BUILD)
        clean = _contents(warehouse)
        assert clean["marts.fct_orders"] and clean["metrics.metrics_daily"]

        build = subprocess.Popen(
            [str(dbt_executable()), *BUILD],
            cwd=warehouse.dbt.project_dir,
            env=warehouse.dbt.env(),
            stdout=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )
        # Kill it part-way: once it has started rebuilding the marts.
        assert build.stdout is not None
        for line in build.stdout:
            if "START sql" in line and " model marts." in line:
                break
        time.sleep(1)
        assert build.poll() is None, "the build ended before it could be killed"
        os.killpg(build.pid, signal.SIGKILL)
        build.wait()
        # What an operator does after a crash: end the dead client's server sessions.
        warehouse.execute(
            "select pg_terminate_backend(pid) from pg_stat_activity "
            "where datname = current_database() and pid <> pg_backend_pid()"
        )

        warehouse.dbt.run(*BUILD)
        assert _contents(warehouse) == clean
        # No new data: a second build changes no row.
        warehouse.dbt.run(*BUILD)
        assert _contents(warehouse) == clean


# --- property-based: random good and bad rows never break staging --------------------------

GOOD_TEXT_AMOUNTS = ["700", " 19000 ", "0", "1e3"]
BAD_TEXT_AMOUNTS = ["N/A", "", "1.5.2", "inf", "-5", "0x10", "9" * 30, None]
TEXT_INSTANTS = [
    "2026-03-01 15:30:00",
    "2026-03-01T15:30:00Z",
    "2026-03-02 00:30:00+09:00",
    "yesterday",
    "2026-02-30 10:00:00",
    "1900-01-01",
    "9999-12-31 00:00:00",
    "",
    None,
]
TEXT_KEYS = ["1", "2", "2", " 3 ", "4.0", "4.5", "x", "", None, "-7"]
ENUM_TEXT = ["card", " CARD ", "points", "bitcoin", "\u00a0kakaopay", "", None]
STATUS_TEXT = ["requested", "approved", "failed", "cancelled", "Approved ", "lost", None]

text_payment = st.fixed_dictionaries(
    {
        "payment_id": st.sampled_from(TEXT_KEYS),
        "order_id": st.sampled_from(["1", "2", "abc", None]),
        "method": st.sampled_from(ENUM_TEXT),
        "pg_provider": st.sampled_from(["kcp", "toss", "", None]),
        "amount": st.sampled_from(GOOD_TEXT_AMOUNTS + BAD_TEXT_AMOUNTS),
        "status": st.sampled_from(STATUS_TEXT),
        "requested_at": st.sampled_from(TEXT_INSTANTS),
        "completed_at": st.sampled_from(TEXT_INSTANTS),
        "updated_at": st.sampled_from(TEXT_INSTANTS),
        "_synced_at": st.sampled_from(TEXT_INSTANTS),
        "_is_deleted": st.sampled_from(["false", "true", None]),
    }
)

typed_order = st.fixed_dictionaries(
    {
        "order_id": st.sampled_from([1, 2, 3, 3, 4, None]),
        "customer_id": st.sampled_from([1, 2, None]),
        "session_id": st.sampled_from(["s-1", " s-2 ", "", None]),
        "status": st.sampled_from(["created", "paid", " PAID", "cancelled", "confirmed", "gone"]),
        "ordered_at": st.sampled_from(["2026-03-01 15:30", "1900-01-01 00:00", None]),
        "paid_at": st.sampled_from(["2026-03-01 15:31", "2026-03-01 15:00", None]),
        "updated_at": st.sampled_from(["2026-03-01 15:30", "2026-03-01 15:31", None]),
        "_synced_at": st.sampled_from(["2026-03-01 15:32", "2200-01-01 00:00", None]),
        "_is_deleted": st.booleans(),
    }
)


def _instant(text):
    from fixtures.foundation_raw import ts

    return None if text is None else ts(text)


# What each example rebuilds: the two raw tables it changes, and the audit that counts them.
EXAMPLE_MODELS = ("base_orders", "base_payments", "audit_raw_volumes", "audit_row_reconciliation")


@pytest.fixture(scope="module")
def landed(warehouse):
    warehouse.load(raw_tables())
    warehouse.dbt.run("run", "--select", "path:models/staging", "path:models/audit")
    return warehouse


@settings(
    max_examples=4,
    deadline=None,
    derandomize=True,  # the same examples on every run and both engines: CI is reproducible
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    payments=st.lists(text_payment, min_size=1, max_size=25),
    orders=st.lists(typed_order, min_size=1, max_size=25),
)
def test_random_good_and_bad_rows_never_break_staging_and_are_all_accounted_for(
    landed, payments, orders
):
    warehouse = landed
    rows = foundation_rows()
    rows["orders"] = [
        {
            **row,
            **{k: _instant(row[k]) for k in ("ordered_at", "paid_at", "updated_at", "_synced_at")},
        }
        for row in orders
    ]
    tables = contract_tables(rows)
    warehouse.load({"orders": tables["orders"]})
    # payments as a text-typed raw table, the random rows inserted as text
    text = "varchar" if warehouse.engine == "duckdb" else "text"
    columns = tables["payments"].column_names
    warehouse.execute(
        "drop table if exists raw.payments; create table raw.payments ("
        + ", ".join(f"{c} {text}" for c in columns)
        + ")"
    )
    insert_text_rows(warehouse, "payments", payments, columns)

    # A full refresh of the two base tables each time: the examples are independent. Each
    # example's raw tables are far smaller than the last one's on purpose: the volume check
    # (which would rightly stop a shrunken replica) accepts any size here.
    result = warehouse.dbt.run(
        "run",
        "--select",
        *EXAMPLE_MODELS,
        "--full-refresh",
        vars={"raw_shrink_tolerance": 1},
        check=False,
    )
    assert result.ok, result.stdout[-3000:]
    got = dict(
        (table, (raw, unaccounted))
        for table, raw, unaccounted in warehouse.query(
            "select source_table, raw_rows, unaccounted_rows from audit.audit_row_reconciliation "
            "where source_table in ('payments', 'orders')"
        )
    )
    assert got == {"payments": (len(payments), 0), "orders": (len(orders), 0)}
