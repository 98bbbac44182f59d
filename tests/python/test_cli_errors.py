"""Errors a person can act on: an unreachable PostgreSQL, a refused login, a missing database,
a locked DuckDB file (naming the process holding it), a missing profile, a missing raw
schema, no warehouse or no metric tables yet, an unknown $DBT_TARGET, malformed --vars and a
--since that is no date each give one sentence from the CLI, not a traceback."""

from __future__ import annotations

import argparse
import re
import socket
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from marketmetrics.cli import EXIT_UNREACHABLE, build_parser, main
from marketmetrics.warehouse import conninfo as _conninfo


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.parametrize("command", [["alerts"], ["dashboard"]])
def test_postgres_down(command, monkeypatch, capsys):
    port = _closed_port()
    monkeypatch.setenv("PGHOST", "127.0.0.1")
    monkeypatch.setenv("PGPORT", str(port))
    monkeypatch.setenv("PGDATABASE", "nowhere")
    assert main([*command, "--target", "postgres"]) == EXIT_UNREACHABLE
    err = capsys.readouterr().err
    assert f"cannot reach PostgreSQL database 'nowhere' on 127.0.0.1:{port}" in err
    assert "Traceback" not in err


def test_duckdb_file_locked_by_another_process(tmp_path, capsys):
    path = tmp_path / "warehouse.duckdb"
    duckdb.connect(str(path)).close()
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); print('held', flush=True);"
            " time.sleep(60)",
            str(path),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        assert main(["alerts", "--duckdb-path", str(path)]) == EXIT_UNREACHABLE
    finally:
        holder.kill()
        holder.wait()
    err = capsys.readouterr().err
    assert f"the DuckDB file {path} is in use by process {holder.pid} (" in err
    assert f"open the serving copy {tmp_path / 'warehouse_serving.duckdb'} read-only" in err
    assert "Traceback" not in err


def test_the_cli_connects_where_dbt_does(monkeypatch):
    for name in ("PGHOST", "PGPORT", "PGUSER", "PGDATABASE"):
        monkeypatch.delenv(name, raising=False)
    # the fallbacks of profiles.yml.example
    assert _conninfo() == (
        "host=localhost port=5432 user=marketmetrics_transformer dbname=marketmetrics "
        "connect_timeout=10"
    )
    monkeypatch.setenv("PGHOST", "db.internal")
    monkeypatch.setenv("PGUSER", "transformer")
    assert _conninfo().startswith("host=db.internal port=5432 user=transformer ")


@pytest.mark.postgres
def test_postgres_wrong_credentials_and_missing_database(pg_cluster, monkeypatch, capsys):
    for name, value in pg_cluster.env().items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("PGUSER", "nobody_here")
    assert main(["alerts", "--target", "postgres"]) == EXIT_UNREACHABLE
    err = capsys.readouterr().err
    assert f"PostgreSQL on 127.0.0.1:{pg_cluster.port} refused the login as 'nobody_here'" in err
    assert "check PGUSER and PGPASSWORD" in err
    monkeypatch.setenv("PGUSER", pg_cluster.user)
    monkeypatch.setenv("PGDATABASE", "no_such_warehouse")
    assert main(["alerts", "--target", "postgres"]) == EXIT_UNREACHABLE
    err = capsys.readouterr().err
    assert "has no database 'no_such_warehouse'" in err
    assert "Traceback" not in err


def test_a_missing_profile(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("DBT_PROFILES_DIR", str(tmp_path))
    assert main(["build", "--duckdb-path", str(tmp_path / "w.duckdb")]) == 1
    err = capsys.readouterr().err
    assert f"DBT_PROFILES_DIR={tmp_path} holds no profiles.yml: copy profiles.yml.example" in err
    assert "Traceback" not in err


def test_a_missing_raw_schema(tmp_path, profiles_dir, monkeypatch, capsys):
    monkeypatch.setenv("DBT_PROFILES_DIR", str(profiles_dir))
    path = tmp_path / "empty.duckdb"
    code = main(["build", "--duckdb-path", str(path), "--raw-schema", "replica"])
    err = capsys.readouterr().err
    assert code == 1
    # The first raw table the contract lists (sources in dbt's order) is the one named.
    assert re.search(r"raw table replica\.[a-z_]+ does not exist: the raw contract", err), err
    assert "check the var raw_schema (now replica)" in err
    assert "Traceback" not in err


# --- nothing to read yet, or a wrong setting: one sentence each, no traceback --------------


def _sentence(err: str) -> str:
    assert "Traceback" not in err
    assert err.endswith("\n") and err.count("\n") == 1, err
    return err.removeprefix("[marketmetrics] ").rstrip("\n")


@pytest.mark.parametrize("command", ["dashboard", "alerts"])
def test_nothing_built_yet(command, tmp_path, monkeypatch, capsys):
    monkeypatch.delenv("MARKETMETRICS_SERVING_PATH", raising=False)
    path = tmp_path / "warehouse.duckdb"
    assert main([command, "--duckdb-path", str(path)]) == EXIT_UNREACHABLE
    assert _sentence(capsys.readouterr().err) == (
        f"there is no warehouse at {path} yet, nor its serving copy "
        f"{tmp_path / 'warehouse_serving.duckdb'}: build it first (`marketmetrics build`, or "
        "`marketmetrics demo` for sample data), then retry"
    )
    assert not path.exists()  # reading must not create an empty warehouse


def test_nothing_to_publish_yet(tmp_path, monkeypatch, capsys):
    monkeypatch.delenv("MARKETMETRICS_SERVING_PATH", raising=False)
    path = tmp_path / "warehouse.duckdb"
    assert main(["publish", "--duckdb-path", str(path)]) == EXIT_UNREACHABLE
    assert _sentence(capsys.readouterr().err) == (
        f"there is no warehouse at {path} yet, so nothing to publish: build it first "
        "(`marketmetrics build` publishes when it succeeds)"
    )
    assert not path.exists()
    assert not (tmp_path / "warehouse_serving.duckdb").exists()


@pytest.mark.parametrize(
    ("value", "command", "targets"),
    [("snowflake", "alerts", "duckdb or postgres"), ("spark", "dashboard", "duckdb or postgres")],
)
def test_an_unknown_dbt_target(value, command, targets, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("DBT_TARGET", value)
    assert main([command, "--duckdb-path", str(tmp_path / "w.duckdb")]) == 1
    assert _sentence(capsys.readouterr().err) == (
        f"DBT_TARGET is {value!r}, not a target of `marketmetrics {command}`: set it to "
        f"{targets}, or unset it (or pass --target)"
    )


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("{metrics_schema: ", "is not YAML (expected the node content, but found '<stream end>')"),
        ("[1, 2]", "is a YAML list, not a mapping"),
        ("a", "is a YAML str, not a mapping"),
    ],
)
def test_malformed_vars(text, why, tmp_path, capsys):
    code = main(["alerts", "--duckdb-path", str(tmp_path / "w.duckdb"), "--vars", text])
    assert code == 1
    assert _sentence(capsys.readouterr().err) == (
        f"marketmetrics alerts: argument --vars: {text!r} {why}; give dbt vars as a YAML "
        "mapping, e.g. '{metrics_schema: analytics}' (see `marketmetrics alerts --help`)"
    )


def test_since_is_not_a_date(tmp_path, capsys):
    code = main(["alerts", "--duckdb-path", str(tmp_path / "w.duckdb"), "--since", "yesterday"])
    assert code == 1
    assert _sentence(capsys.readouterr().err) == (
        "marketmetrics alerts: argument --since: 'yesterday' is not a date: give it as "
        "YYYY-MM-DD, e.g. 2026-03-01 (see `marketmetrics alerts --help`)"
    )


def _serving_copy_without_metric_tables(tmp_path: Path) -> tuple[Path, Path]:
    """A warehouse whose build failed before the metric tables, published anyway: the
    reader schemas exist, the metric tables do not."""
    path = tmp_path / "warehouse.duckdb"
    serving = tmp_path / "warehouse_serving.duckdb"
    for file in (path, serving):
        con = duckdb.connect(str(file))
        con.execute("create schema marts; create schema metrics")
        con.execute("create table marts.dim_sellers (seller_id bigint)")
        con.close()
    return path, serving


@pytest.mark.parametrize(
    ("command", "tables"),
    [
        ("dashboard", "metrics.metrics_daily, metrics.metrics_weekly, metrics.metrics_monthly"),
        ("alerts", "metrics.metric_alerts"),
    ],
)
def test_a_failed_build_left_no_metric_tables(command, tables, tmp_path, monkeypatch, capsys):
    monkeypatch.delenv("MARKETMETRICS_SERVING_PATH", raising=False)
    path, serving = _serving_copy_without_metric_tables(tmp_path)
    assert main([command, "--duckdb-path", str(path)]) == EXIT_UNREACHABLE
    assert _sentence(capsys.readouterr().err) == (
        f"the serving copy {serving} has no table {tables}: no build has made it yet, or the "
        "last one failed before it; run `marketmetrics build`, fix what it reports, then retry"
    )


@pytest.mark.postgres
@pytest.mark.parametrize(
    ("command", "tables"),
    [
        ("dashboard", "metrics.metrics_daily, metrics.metrics_weekly, metrics.metrics_monthly"),
        ("alerts", "metrics.metric_alerts"),
    ],
)
def test_postgres_before_any_build(command, tables, pg_cluster, monkeypatch, capsys):
    dbname = f"mm_cli_errors_empty_{command}"
    pg_cluster.create_database(dbname)
    try:
        for name, value in pg_cluster.env(dbname).items():
            monkeypatch.setenv(name, value)
        assert main([command, "--target", "postgres"]) == EXIT_UNREACHABLE
    finally:
        pg_cluster.drop_database(dbname)
    assert _sentence(capsys.readouterr().err) == (
        f"PostgreSQL database {dbname} has no table {tables}: no build has made it yet, or the "
        "last one failed before it; run `marketmetrics build`, fix what it reports, then retry"
    )


def test_nothing_to_publish_before_the_audit_was_built(tmp_path, capsys):
    path = tmp_path / "warehouse.duckdb"
    duckdb.connect(str(path)).close()
    assert main(["publish", "--duckdb-path", str(path)]) == EXIT_UNREACHABLE
    assert _sentence(capsys.readouterr().err) == (
        f"DuckDB file {path} has no table audit.audit_row_reconciliation: no build has made it "
        "yet, or the last one failed before it; run `marketmetrics build`, fix what it reports, "
        "then retry"
    )


def _subcommands() -> dict[str, argparse.ArgumentParser]:
    parser = build_parser()
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


def test_every_subcommand_and_option_explains_itself():
    commands = _subcommands()
    assert set(commands) >= {"demo", "generate", "load", "build", "dashboard", "alerts", "mf"}
    for name, sub in commands.items():
        # The first line of `marketmetrics NAME --help` after the usage: one sentence.
        assert sub.description and sub.description.split("\n")[0].endswith("."), name
        for action in sub._actions:
            assert action.help, f"{name} {action.option_strings or action.dest} has no help"
    # Commands that only read say so.
    for name in ("dashboard", "alerts", "mf", "superset"):
        target = next(a for a in commands[name]._actions if "--target" in a.option_strings)
        assert target.help.startswith("the warehouse to read"), name
    target = next(a for a in commands["build"]._actions if "--target" in a.option_strings)
    assert target.help.startswith("where to write")


@pytest.mark.parametrize(
    ("argv", "hint"),
    [
        (
            ["build", "--target", "duckdb", "--select", "x", "--full-refresh"],
            "dbt's own arguments go after `--`: `marketmetrics build -- --select x --full-refresh`",
        ),
        (
            ["mf", "--quiet-mf", "query"],
            "mf's own arguments go after `--`: `marketmetrics mf -- --quiet-mf query`",
        ),
    ],
)
def test_tool_arguments_without_their_separator_get_a_hint(argv, hint, capsys):
    assert main(argv) == 1
    err = capsys.readouterr().err
    assert hint in err, err
    assert err.count("\n") == 1


def test_help_shows_the_description_and_the_exit_codes(capsys):
    assert main(["alerts", "--help"]) == 0
    out = capsys.readouterr().out
    assert "Print the open alerts and deliver them to a webhook." in out
    assert "4  a critical alert is open and its webhook delivery failed" in out
