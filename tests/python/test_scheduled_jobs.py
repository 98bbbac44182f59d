"""The scheduled jobs: what each selector runs, and a sync run's data tests scoped to its rows.

`selectors.yml` names the jobs (sync, weekly, ci) and `marketmetrics build --job` maps each to
its dbt arguments. With `test_scope: changed` (the sync job) a data test reads only the rows
its model's latest build wrote (macros/tests/changed_rows_scope.sql). Proved on the hand-built
fixture: a broken row that the latest build did not write passes the scoped tests and fails the
full ones; once stamped as written by the latest build, it fails the scoped tests too.
"""

from __future__ import annotations

import re

import pytest
import yaml

from fixtures.foundation_raw import raw_tables
from marketmetrics.jobs import JOBS
from marketmetrics.project import project_dir

BUILD_ORDERS = (
    "build",
    "--select",
    "+fct_orders",
    # the parents of fct_orders' relationships, which its rules test reads
    "+dim_customers",
    "+fct_sessions",
    "+audit_quarantine",
    # the seeds whose rules the rule cases below break
    "enum_labels",
    "payment_method_fees",
    "--exclude-resource-type",
    "test",
    "--exclude-resource-type",
    "unit_test",
)


def _errors(result) -> int:
    """ERROR= of dbt's closing summary (a failing data test counts as an error)."""
    found = re.findall(r"Done\. PASS=\d+ WARN=\d+ ERROR=(\d+)", result.stdout)
    assert found, result.stdout[-2000:]
    return int(found[-1])


def _test_fct_orders(warehouse, scope: str) -> int:
    result = warehouse.dbt.run(
        "test",
        "--select",
        "rules_fct_orders",
        vars={"test_scope": scope},
        check=False,
    )
    return _errors(result)


@pytest.fixture(scope="module")
def built(warehouse):
    warehouse.load(raw_tables())
    warehouse.dbt.run(*BUILD_ORDERS)
    return warehouse


def test_every_job_names_a_selector():
    selectors = yaml.safe_load((project_dir() / "selectors.yml").read_text())["selectors"]
    names = {selector["name"] for selector in selectors}
    assert names == set(JOBS)
    for name, (args, _job_vars) in JOBS.items():
        assert args[:2] == ("--selector", name)
    assert JOBS["sync"][1] == {"test_scope": "changed", "sync_job": True}
    assert "--full-refresh" in JOBS["weekly"][0]


def test_sync_runs_data_tests_but_no_unit_tests(built):
    def listed(selector: str, resource_type: str) -> set[str]:
        return _listed(built.dbt, "--selector", selector, "--resource-type", resource_type)

    assert listed("sync", "unit_test") == set()
    assert "orders_local_dates_and_flags" in listed("ci", "unit_test")
    assert "orders_local_dates_and_flags" in listed("weekly", "unit_test")
    sync_tests = listed("sync", "test")
    assert sync_tests == listed("ci", "test")
    assert len(sync_tests) > 100
    assert "snap_orders" in listed("sync", "snapshot")


def _listed(project, *args: str) -> set[str]:
    result = project.run("ls", *args, "--output", "name")
    lines = (line.strip() for line in result.stdout.splitlines())
    # dbt's own log lines start with a clock; the listed names do not.
    return {line for line in lines if line and not re.match(r"\d\d:\d\d:\d\d", line)}


def test_scoped_tests_read_only_the_rows_the_last_build_wrote(built):
    assert _test_fct_orders(built, "all") == 0
    assert _test_fct_orders(built, "changed") == 0

    # An unpaid order that is nobody's first paid order: marking it paid breaks exactly one
    # rule (is_paid = (paid_at is not null)) of fct_orders' one rules test.
    ((order_id,),) = built.query(
        "select min(order_id) from marts.fct_orders "
        "where paid_at is null and not is_first_paid_order"
    )
    built.execute(
        "update marts.fct_orders set is_paid = true, "
        f"_built_at = _built_at - interval '1 day' where order_id = {order_id}"
    )
    assert _test_fct_orders(built, "all") == 1
    assert _test_fct_orders(built, "changed") == 0  # written by an earlier build: out of scope

    built.execute(
        "update marts.fct_orders set _built_at = "
        "(select max(_built_at) from marts.fct_orders) "
        f"where order_id = {order_id}"
    )
    assert _test_fct_orders(built, "changed") == 1
    built.execute(f"update marts.fct_orders set is_paid = false where order_id = {order_id}")
    assert _test_fct_orders(built, "all") == 0  # restored for the cases below


def test_an_unknown_scope_is_refused(built):
    result = built.dbt.run(
        "test", "--select", "fct_orders", vars={"test_scope": "some"}, check=False
    )
    assert not result.ok
    assert "test_scope must be 'all' or 'changed'" in result.stdout


# --- one rules test per model (macros/tests/rules.sql) ---------------------------------------
#
# Each case breaks one rule of one table on purpose, runs that table's one rules test, and
# expects the test to fail (error) or warn with the broken rule named, and nothing else broken.
# The table is restored from a copy after each case.

RULE_CASES = {
    # kind: (table, statement breaking one row, the line the build prints, severity)
    "not_null": (
        "marts.fct_orders",
        "update {t} set items_quantity = null where order_id = {order}",
        "rules_fct_orders: not_null(items_quantity) broken (1 failing, error)",
    ),
    "unique": (
        "marts.fct_orders",
        "insert into {t} select * from {t} where order_id = {order}",
        "rules_fct_orders: unique(order_id) broken (1 failing, error)",
    ),
    "range": (
        "marts.fct_orders",
        "update {t} set item_count = -1 where order_id = {order}",
        "rules_fct_orders: accepted_range_item_count broken (1 failing, error)",
    ),
    "enum": (
        "marts.fct_orders",
        "update {t} set status = 'lost' where order_id = {order}",
        "rules_fct_orders: enum(status: orders.status) broken (1 failing, error)",
    ),
    "expression": (
        "marts.fct_orders",
        "update {t} set is_cancelled = not is_cancelled where order_id = {order}",
        "rules_fct_orders: expression(is_cancelled = (status = 'cancelled')) broken "
        "(1 failing, error)",
    ),
    "expression_warn": (
        "marts.fct_orders",
        "update {t} set paid_at = ordered_at - interval '1 hour' where order_id = {paid}",
        "rules_fct_orders: expression(paid_at >= ordered_at) broken (1 failing, warn)",
    ),
    "relationship_warn": (
        "marts.fct_orders",
        "update {t} set customer_id = -1 where order_id = {order}",
        "rules_fct_orders: relationships(customer_id -> dim_customers.customer_id) broken "
        "(1 failing, warn)",
    ),
    "accepted_values": (
        "staging.base_orders",
        "update {t} set _row_status = 'lost' where order_id = {order} and _row_status = 'current'",
        "rules_base_orders: accepted_values__row_status broken (1 failing, error)",
    ),
    "unique_combination": (
        "reference.enum_labels",
        "insert into {t} select * from {t} where enum_value = 'paid' and table_name = 'orders'",
        "rules_enum_labels: unique(table_name, column_name, enum_value) broken (1 failing, error)",
    ),
    "seed_check": (
        "reference.payment_method_fees",
        "update {t} set fee_rate = 2 where payment_method = 'card'",
        "rules_payment_method_fees: accepted_range_fee_rate broken (1 failing, error)",
    ),
}


@pytest.mark.parametrize("kind", sorted(RULE_CASES))
def test_each_kind_of_rule_breaks_its_model_s_one_test_by_name(built, kind):
    table, statement, line = RULE_CASES[kind]
    severity = line.rsplit(", ", 1)[1].rstrip(")")
    model = line.split(":", 1)[0].removeprefix("rules_")
    ((order,),) = built.query(
        "select min(order_id) from marts.fct_orders where status not in ('cancelled')"
    )
    ((paid,),) = built.query("select min(order_id) from marts.fct_orders where paid_at is not null")
    saved = f"{table}_saved_by_test"
    built.execute(f"create table {saved} as select * from {table}")
    try:
        built.execute(statement.format(t=table, order=order, paid=paid))
        result = built.dbt.run("test", "--select", f"rules_{model}", check=False)
    finally:
        built.execute(f"delete from {table}")
        built.execute(f"insert into {table} select * from {saved}")
        built.execute(f"drop table {saved}")
    broken = re.findall(r"rules_\w+: .* broken \(\d+ failing, \w+\)", result.stdout)
    assert broken == [line], result.stdout[-3000:]
    if severity == "error":
        assert not result.ok
        assert _errors(result) == 1
    else:
        assert result.ok
        assert re.search(rf"WARN 1 rules_{model} ", result.stdout), result.stdout[-2000:]


def test_the_restored_tables_pass_every_rules_test_again(built):
    """After the cases above (each restored its table from a copy) the rules tests of every
    table they broke pass: the failures came from the breaks, and the next case started clean
    (a case that left its break behind would also show in the next case's list of broken rules).
    """
    models = sorted({line.split(":", 1)[0] for _, _, line in RULE_CASES.values()})
    assert len(models) == 4
    result = built.dbt.run("test", "--select", *models)
    assert result.ok and "WARN=0 ERROR=0" in result.stdout, result.stdout[-2000:]
    passed = set(re.findall(r" PASS (rules_\w+) ", result.stdout))
    assert passed >= set(models), result.stdout[-2000:]
