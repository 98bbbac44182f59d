"""What a person watching a long command sees (marketmetrics.progress): dbt's per-node lines
as they happen, a bar with rows and rate while loading, -v and -q."""

from __future__ import annotations

import io
import logging

from conftest import REPO_ROOT
from marketmetrics.cli import main
from marketmetrics.dbt_runner import DbtProject
from marketmetrics.progress import LOG, RowProgress, dbt_line, setup_logging


def test_dbt_lines_are_sorted_by_what_a_person_needs():
    out = io.StringIO()
    setup_logging(0, stream=out)
    dbt_line("08:37:20  12 of 240 START sql table model staging.stg_orders ........ [RUN]\n")
    dbt_line("08:37:21  12 of 240 OK created sql table model staging.stg_orders ... [OK in 0.3s]\n")
    dbt_line("08:37:22  13 of 240 FAIL 2 not_null_fct_orders_order_id ............ [FAIL 2]\n")
    dbt_line("08:37:30  Registered adapter: duckdb=1.11.1\n")
    dbt_line("08:37:31  Done. PASS=238 WARN=1 ERROR=0 SKIP=0 NO-OP=0 TOTAL=240\n")
    lines = out.getvalue().splitlines()
    assert lines == [
        "[marketmetrics] dbt 12 of 240 OK created sql table model staging.stg_orders ... "
        "[OK in 0.3s]",
        "[marketmetrics] dbt 13 of 240 FAIL 2 not_null_fct_orders_order_id ............ [FAIL 2]",
        "[marketmetrics] dbt Done. PASS=238 WARN=1 ERROR=0 SKIP=0 NO-OP=0 TOTAL=240",
    ]
    verbose = io.StringIO()
    setup_logging(1, stream=verbose)
    dbt_line("08:37:30  Registered adapter: duckdb=1.11.1\n")
    assert verbose.getvalue() == "[marketmetrics] dbt Registered adapter: duckdb=1.11.1\n"
    quiet = io.StringIO()
    setup_logging(-1, stream=quiet)
    dbt_line("12 of 240 OK created sql table model staging.stg_orders\n")
    dbt_line("13 of 240 ERROR creating sql table model marts.fct_orders\n")
    assert (
        quiet.getvalue()
        == "[marketmetrics] dbt 13 of 240 ERROR creating sql table model marts.fct_orders\n"
    )
    setup_logging(0)


def test_a_row_bar_in_a_log_shows_rows_and_rate():
    setup_logging(0, stream=io.StringIO())
    out = io.StringIO()
    bar = RowProgress("loading raw", 1000, stream=out, every=0)
    bar.advance(250, note="orders")
    bar.advance(750, note="payments")
    bar.close()
    lines = out.getvalue().splitlines()
    assert len(lines) == 3
    assert lines[0].startswith(
        "[marketmetrics] loading raw [######..................]  25% 250/1,000 rows, "
    )
    assert lines[0].endswith(" rows/s orders")
    assert lines[-1].startswith(
        "[marketmetrics] loading raw [########################] 100% 1,000/1,000"
    )
    assert lines[-1].endswith(" done")
    assert LOG.isEnabledFor(logging.INFO)


def test_dbt_output_reaches_the_callback_line_by_line(tmp_path, profiles_dir):
    dbt = DbtProject(
        project_dir=REPO_ROOT,
        profiles_dir=profiles_dir,
        env_overrides={"DBT_DUCKDB_PATH": str(tmp_path / "w.duckdb")},
        target_path=tmp_path / "target",
        log_path=tmp_path / "logs",
    )
    seen: list[str] = []
    result = dbt.run("ls", "--select", "fct_orders", "--output", "name", on_line=seen.append)
    assert result.ok
    assert "".join(seen) == result.stdout
    assert any(line.strip() == "fct_orders" for line in seen)


def test_generate_and_load_show_a_bar_and_quiet_shows_nothing(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("DBT_DUCKDB_PATH", raising=False)
    path = tmp_path / "w.duckdb"
    args = ["generate", "--orders", "300", "--days", "5", "--duckdb-path", str(path)]
    assert main(args) == 0
    captured = capsys.readouterr()
    assert "[marketmetrics] generated " in captured.out
    assert "[marketmetrics] loaded raw tables into DuckDB file" in captured.out
    assert "[marketmetrics] loading raw [########################] 100% " in captured.err
    assert "rows/s" in captured.err
    assert main(["-q", *args]) == 0
    quiet = capsys.readouterr()
    assert quiet.out == "" and quiet.err == ""
