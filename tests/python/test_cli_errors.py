"""Errors a person can act on: an unreachable PostgreSQL or a locked DuckDB file give one
sentence and exit code 3 from the CLI, not a traceback."""

from __future__ import annotations

import socket
import subprocess
import sys

import duckdb
import pytest

from marketmetrics.cli import EXIT_UNREACHABLE, _conninfo, main


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
    assert f"the DuckDB file {path} is in use by another process" in err


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
