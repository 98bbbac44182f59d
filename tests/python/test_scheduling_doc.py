"""docs/scheduling.md, run as written: every command of the page, in the page's order, from a
fresh clone of the project, against a throwaway PostgreSQL (and the DuckDB file the `ci` job
names), in a reader's shell (the libpq variables and the pseudonym key set, nothing else).

The page is the production runbook: the three jobs, the alerts with the freshness check, the
split snapshot step, the repair of a damaged history, the slim-CI recipe (from a second clone
standing in for a pull request) and the cron line (the first clone standing in for
/srv/marketmetrics). Each command's outcome is checked, not only its exit code: the `ci` job on
DuckDB gives the sync job's metric table exactly, the alert reaches the webhook, the pull
request's tables hold production's rows and nothing upstream was rebuilt.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import TEST_PII_KEY
from fixtures.clone import Command, clone_project, doc_commands, reader_env, run
from fixtures.foundation_raw import raw_tables
from marketmetrics.dbt_runner import query
from marketmetrics.loader import load_tables
from marketmetrics.warehouse import Warehouse

pytestmark = pytest.mark.postgres

DOC = Path(__file__).resolve().parents[2] / "docs" / "scheduling.md"
METRICS = (
    "select metric_name, cast(period_start as varchar(10)), dimension_name, dimension_value,"
    " cast(metric_value as decimal(38, 6)), is_complete_period"
    " from metrics.metrics_daily order by 1, 2, 3, 4"
)


def _kind(command: Command) -> str:
    """What a command of the page is, by its words (so the test follows the page's order)."""
    text = command.text
    if command.fence == "cron":
        return "cron"
    if "state:modified+" in text:
        return "slim_ci"
    if text.startswith("mkdir -p prod-artifacts"):
        return "keep_manifest"
    if "marketmetrics alerts" in text:
        return "alerts"
    if "repair_history" in text:
        return "repair" if "--args" in text else "repair_list"
    if text.startswith("dbt test") and "resource_type:snapshot" in text:
        return "snapshot_tests"
    if "tag:snapshot_source" in text:
        return "snapshot_step"
    for job in ("sync", "weekly", "ci"):
        if text.startswith("marketmetrics build") and text.endswith(f"--job {job}"):
            return job
    raise AssertionError(f"docs/scheduling.md:{command.line}: a command this test does not know")


def test_every_command_of_the_scheduling_page_runs_as_written(
    pg_cluster, webhook, tmp_path: Path
) -> None:
    commands = doc_commands(DOC)
    kinds = [_kind(c) for c in commands]
    assert kinds == [
        "sync",
        "weekly",
        "ci",
        "alerts",
        "snapshot_step",
        "sync",
        "repair_list",
        "repair",
        "snapshot_tests",
        "keep_manifest",
        "slim_ci",
        "cron",
    ]

    production = clone_project(tmp_path / "srv" / "marketmetrics")
    dbname = "scheduling_doc"
    pg_cluster.create_database(dbname)
    conninfo = pg_cluster.conninfo_for(dbname)
    postgres = Warehouse(engine="postgres", conninfo=conninfo)
    duckdb_file = production / "data" / "warehouse.duckdb"
    duckdb_file.parent.mkdir(exist_ok=True)
    duck = Warehouse(engine="duckdb", duckdb_path=duckdb_file)
    load_tables(raw_tables(), postgres)
    load_tables(raw_tables(), duck)
    env = reader_env(
        tmp_path / "home",
        **pg_cluster.env(dbname),
        MARKETMETRICS_PII_KEY=TEST_PII_KEY.decode(),
        ALERT_WEBHOOK_URL=webhook.url("/ok"),
    )

    def pg(sql: str) -> list[tuple]:
        return query("postgres", sql, conninfo=conninfo)

    pull_request = tmp_path / "pull-request"
    for command, kind in zip(commands, kinds, strict=True):
        cwd = production
        text = command.text
        if kind == "cron":
            text = text.replace("/srv/marketmetrics", str(production))
        if kind == "slim_ci":
            clone_project(pull_request)
            shutil.copytree(production / "prod-artifacts", pull_request / "prod-artifacts")
            edited = pull_request / "models" / "audit" / "audit_quarantine.sql"
            edited.write_text(edited.read_text() + "\n-- a pull request's edit\n")
            cwd = pull_request
        result = run(text, cwd, env)
        where = f"docs/scheduling.md:{command.line} `{command.text}`"
        expected_rc = 2 if kind == "alerts" else 0
        assert result.returncode == expected_rc, (
            f"{where} exited {result.returncode}\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
        )

        if kind == "sync" and not pg("select 1 from pg_tables where tablename = 'snap_orders'"):
            raise AssertionError(f"{where}: no snapshot after the sync job")
        if kind == "ci":
            # The `ci` job on DuckDB gives the PostgreSQL jobs' metric table, row for row.
            daily = query("duckdb", METRICS, duckdb_path=duckdb_file)
            assert len(daily) > 100
            assert daily == pg(METRICS)
        if kind == "alerts":
            ((path, body),) = webhook.received
            assert path == "/ok"
            assert "source_freshness" in str(body) or "stale" in str(body).lower(), body
        if kind == "repair_list":
            for snapshot in ("snap_products", "snap_sellers", "snap_customers", "snap_orders"):
                assert snapshot in result.stdout, result.stdout[-2000:]
        if kind == "keep_manifest":
            assert (production / "prod-artifacts" / "manifest.json").is_file()
        if kind == "slim_ci":
            ((ci_rows,),) = pg("select count(*) from ci_audit.audit_quarantine")
            ((prod_rows,),) = pg("select count(*) from audit.audit_quarantine")
            assert ci_rows == prod_rows > 0
            # Only the edited model and its children (the audit's reconciliation, the quality
            # report's row issues) were built: its parents were read from production, so no
            # other CI schema exists and no metric table was rebuilt.
            schemas = {s for (s,) in pg("select schema_name from information_schema.schemata")}
            assert {s for s in schemas if s.startswith("ci_")} == {"ci_audit", "ci_metrics"}
            ci_metrics = {
                t
                for (t,) in pg(
                    "select table_name from information_schema.tables "
                    "where table_schema = 'ci_metrics'"
                )
            }
            assert "dq_row_issues_daily" in ci_metrics
            assert {t for t in ci_metrics if not t.startswith("dq_")} == set()
        if kind == "cron":
            log = (production / "logs" / "cron.log").read_text()
            assert "Completed successfully" in log or "PASS=" in log, log[-2000:]
    pg_cluster.drop_database(dbname)
