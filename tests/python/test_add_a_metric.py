"""The README's "Add your own metric", followed step by step on a fresh clone.

The clone's warehouse holds the hand-built metric fixture (fixtures/metrics_raw.py), built
whole, as `make demo` leaves a warehouse. The test then applies the README's YAML blocks where
their first line says, runs its commands as written in a reader's shell, and checks the new
metric `discounts` (the discounts on paid orders' items) against values counted by hand:

    o1 (D1, paid): item 2 fashion, discount 5,000
    o4 (D4, paid): item 6 fashion, discount 10,000 (its first version had none: superseded)
    o7 (D8, paid): item 10 beauty, discount 3,000
    o6 is unpaid, o8 deleted, items 1, 3, 4, 5, 7, 9 carry no discount.

The values model meets a metric it has never computed, on an incremental run with no new raw
row: every period must still get its value (a history that is complete, not only the days a
sync touched). Then the measure is redefined (discounts of 5,000 or more only) and the next
incremental run must recompute every period again. On DuckDB and PostgreSQL; on DuckDB the
published dashboard carries the metric too.
"""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest

from conftest import ENGINES, TEST_PII_KEY
from fixtures.clone import clone_project, doc_commands, mf_weeks, reader_env, run
from fixtures.metrics_raw import DAYS, DIMENSION_VALUES, raw_tables
from marketmetrics.dbt_runner import query
from marketmetrics.loader import load_tables
from marketmetrics.pii import install_key
from marketmetrics.warehouse import Warehouse

README = Path(__file__).resolve().parents[2] / "README.md"
SECTION = ("## Add your own metric", "## ")

D1, D4, D8 = DAYS[0], DAYS[3], DAYS[7]
# By hand (module docstring): the day each discount counts on, its category and amount.
DISCOUNTS = [(D1, "fashion", 5000), (D4, "fashion", 10000), (D8, "beauty", 3000)]
WEEKS = {date(2026, 3, 23): 5000, date(2026, 3, 30): 13000}
MONTHS = {date(2026, 3, 1): 15000, date(2026, 4, 1): 3000}
# Redefined: discounts of 5,000 or more.
REDEFINED = "case when is_paid_order and discount_amount >= 5000 then discount_amount end"


def _readme_steps() -> tuple[list[tuple[str, str, str]], list[str]]:
    """The section's YAML blocks as (file, where, text) and its shell commands, in order."""
    text = README.read_text(encoding="utf-8")
    section = text[text.index(SECTION[0]) :]
    section = section[: section.index("\n" + SECTION[1], len(SECTION[0]))]
    blocks = []
    for indent, body in re.findall(r"\n( *)```yaml\n(.*?)\n *```", section, re.S):
        lines = [line.removeprefix(indent) for line in body.split("\n")]
        header = re.fullmatch(r"# (\S+): (.+)", lines[0])
        assert header, f"a YAML block of the README must say where it goes: {lines[0]!r}"
        blocks.append((header.group(1), header.group(2), "\n".join(lines[1:]) + "\n"))
    commands = [c.text for c in doc_commands(README, start=SECTION[0], end="## Point it")]
    return blocks, commands


def _apply(project: Path, file: str, where: str, block: str) -> None:
    """Put a README block where its header says: "at the end", or "after the measure X"."""
    path = project / file
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    if where == "at the end":
        lines.append(block)
    else:
        name = re.fullmatch(r"after the measure (\w+)", where)
        assert name, f"unknown place {where!r}"
        (start,) = [  # the measure (its next line is its `agg`), not the metric of that name
            i
            for i, line in enumerate(lines[:-1])
            if line.strip() == f"- name: {name[1]}" and lines[i + 1].strip().startswith("agg:")
        ]
        indent = len(lines[start]) - len(lines[start].lstrip())
        end = start + 1
        while end < len(lines) and len(lines[end]) - len(lines[end].lstrip()) > indent:
            end += 1
        lines.insert(end, block)
    path.write_text("".join(lines), encoding="utf-8")


def _values(engine, where, grain: str, dimension: str = "all") -> dict[tuple[date, str], float]:
    rows = query(
        engine,
        f"select period_start, dimension_value, metric_value from metrics.metrics_{grain} "
        f"where metric_name = 'discounts' and dimension_name = '{dimension}'",
        **where,
    )
    return {(day, value): float(amount) for day, value, amount in rows}


def _expected_daily(discounts) -> dict[tuple[date, str], float]:
    overall = {(day, "all"): 0.0 for day in DAYS}
    for day, _category, amount in discounts:
        overall[(day, "all")] += amount
    return overall


def _expected_by_category(discounts) -> dict[tuple[date, str], float]:
    expected = {(day, value): 0.0 for day in DAYS for value in DIMENSION_VALUES["category"]}
    for day, category, amount in discounts:
        expected[(day, category)] += amount
    return expected


@pytest.mark.parametrize("engine", ENGINES)
def test_the_readme_walkthrough_adds_a_metric_with_its_whole_history(
    engine, request, tmp_path: Path
) -> None:
    blocks, commands = _readme_steps()
    assert [(f, w) for f, w, _ in blocks] == [
        ("models/marts/orders/_orders__metrics.yml", "after the measure settlement_amount"),
        ("models/marts/orders/_orders__metrics.yml", "at the end"),
    ]
    assert [c.split()[0] for c in commands[-2:]] == [".venv/bin/dbt", ".venv/bin/mf"]

    project = clone_project(tmp_path / "clone")
    home = tmp_path / "home"
    if engine == "duckdb":
        duckdb_path = project / "data" / "warehouse.duckdb"
        duckdb_path.parent.mkdir(exist_ok=True)
        spec = Warehouse(engine="duckdb", duckdb_path=duckdb_path)
        env = reader_env(home)
        where = {"duckdb_path": duckdb_path}
    else:
        cluster = request.getfixturevalue("pg_cluster")
        dbname = "add_a_metric"
        cluster.create_database(dbname)
        spec = Warehouse(engine="postgres", conninfo=cluster.conninfo_for(dbname))
        env = reader_env(
            home,
            **cluster.env(dbname),
            DBT_TARGET="postgres",
            MARKETMETRICS_PII_KEY=TEST_PII_KEY.decode(),
        )
        where = {"conninfo": spec.conninfo}
    install_key(spec, key=TEST_PII_KEY)
    load_tables(raw_tables(), spec)

    def shell(command: str) -> str:
        result = run(command, project, env)
        assert result.returncode == 0, f"`{command}`\n{result.stdout[-3000:]}{result.stderr}"
        return result.stdout

    # The warehouse as `make demo` leaves it: built whole, without the new metric.
    shell(".venv/bin/dbt build")
    assert _values(engine, where, "daily") == {}

    for file, place, block in blocks:
        _apply(project, file, place, block)
    *builds, mf = commands
    for command in builds:
        shell(command)
    assert _values(engine, where, "daily") == _expected_daily(DISCOUNTS)
    assert _values(engine, where, "daily", "category") == _expected_by_category(DISCOUNTS)
    weekly = _values(engine, where, "weekly")
    assert weekly == {(week, "all"): amount for week, amount in WEEKS.items()}
    assert _values(engine, where, "monthly") == {(m, "all"): a for m, a in MONTHS.items()}
    assert _values(engine, where, "yearly") == {(date(2026, 1, 1), "all"): 18000.0}
    assert mf_weeks(shell(mf)) == WEEKS

    # A changed definition recomputes the history too, with no new raw row.
    metrics_file = project / "models/marts/orders/_orders__metrics.yml"
    original = "expr: case when is_paid_order then discount_amount end"
    assert metrics_file.read_text().count(original) == 1
    metrics_file.write_text(metrics_file.read_text().replace(original, f"expr: {REDEFINED}"))
    for command in builds:
        shell(command)
    redefined = [d for d in DISCOUNTS if d[2] >= 5000]
    assert _values(engine, where, "daily") == _expected_daily(redefined)
    assert _values(engine, where, "weekly") == {
        (date(2026, 3, 23), "all"): 5000.0,
        (date(2026, 3, 30), "all"): 10000.0,
    }

    if engine == "duckdb":
        # The README's last step: publish, then the dashboard shows it on the Orders tab.
        shell(".venv/bin/marketmetrics build")
        shell(".venv/bin/marketmetrics dashboard")
        data = json.loads((project / "target" / "dashboard" / "data.json").read_text())
        assert data["metrics"]["discounts"]["domain"] == "orders"
        assert data["metrics"]["discounts"]["ko"] == "할인 금액"
        assert data["metrics"]["discounts"]["dimensions"] == ["category"]
    else:
        cluster.drop_database(dbname)


def test_a_metric_with_a_breakdown_its_fact_lacks_or_an_unknown_domain_is_refused(
    tmp_path: Path,
) -> None:
    """docs/metrics.md: what dbt checks when it compiles and builds the catalog."""
    project = clone_project(tmp_path / "clone")
    env = reader_env(tmp_path / "home")
    metrics_file = project / "models/marts/orders/_orders__metrics.yml"
    original = metrics_file.read_text()
    blocks, _commands = _readme_steps()
    for file, place, block in blocks:
        _apply(project, file, place, block)
    walkthrough = metrics_file.read_text()

    def in_the_new_metric(old: str, new: str) -> str:
        head, found, tail = walkthrough.rpartition(old)  # the walkthrough's metric is the last
        assert found and "name: discounts" in walkthrough[walkthrough.rindex("- name:") :]
        return head + new + tail

    metrics_file.write_text(in_the_new_metric("- category\n", "- category\n          - channel\n"))
    result = run(".venv/bin/dbt compile --select int_metric_values__order_items", project, env)
    assert result.returncode != 0
    assert (
        "metric discounts (models/marts/orders/_orders__metrics.yml): its breakdown channel is "
        "not a categorical dimension of the semantic model fct_order_items, which has category"
    ) in result.stdout

    metrics_file.write_text(in_the_new_metric("domain: orders\n", "domain: order\n"))
    result = run(
        ".venv/bin/dbt build --select metric_domains alert_rules metric_catalog", project, env
    )
    assert result.returncode == 1
    assert re.search(r"FAIL 1 rules_metric_catalog ", result.stdout), result.stdout
    assert (
        "rules_metric_catalog: relationships(domain -> metric_domains.domain) broken (1 failing, "
        "error)"
    ) in result.stdout

    metrics_file.write_text(original)
    result = run(
        ".venv/bin/dbt build --select metric_domains alert_rules metric_catalog", project, env
    )
    assert result.returncode == 0, result.stdout[-3000:]
