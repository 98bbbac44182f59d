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
    "+audit_quarantine",
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
        "fct_orders",
        "--resource-type",
        "test",
        # only the tests of fct_orders alone (the relationships' parents are not built here)
        "--indirect-selection",
        "cautious",
        "--exclude",
        "test_name:relationships",
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
    assert JOBS["sync"][1] == {"test_scope": "changed"}
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
    # test (is_paid = (paid_at is not null)).
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


def test_an_unknown_scope_is_refused(built):
    result = built.dbt.run(
        "test", "--select", "fct_orders", vars={"test_scope": "some"}, check=False
    )
    assert not result.ok
    assert "test_scope must be 'all' or 'changed'" in result.stdout
