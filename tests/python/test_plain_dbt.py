"""Plain dbt and MetricFlow on a fresh clone after the demo, with no flag and no variable.

The README promises that after `make demo` the reader can run dbt's own commands from the
repository root: `dbt build`, `dbt docs generate` and `dbt docs serve`, `dbt source freshness`,
`mf validate-configs` and `mf query`. This runs the demo the way `make demo` does (a smaller
marketplace) on a copy of the project as `git clone` and `make venv` leave it, then each of
the README's commands exactly as written, in a shell with no DBT_* variable and a fresh home
(no ~/.dbt): dbt finds `profiles.yml` in the working directory, the CLI and dbt share
`target/`. `mf query`'s answer is the metric table's, week by week.
"""

from __future__ import annotations

import json
import re
import signal
import socket
import subprocess
import time
import urllib.request
from datetime import UTC, datetime, timedelta
from pathlib import Path

from fixtures.clone import clone_project, doc_commands, mf_weeks, reader_env, run
from marketmetrics.contract import TABLES
from marketmetrics.dbt_runner import query

README = Path(__file__).resolve().parents[2] / "README.md"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _serve_docs(command: str, project: Path, env: dict[str, str]) -> None:
    """`dbt docs serve` (the README's second half of a `&&` line) answers with the docs."""
    port = _free_port()
    server = subprocess.Popen(
        ["bash", "-c", f"exec {command} --port {port} --no-browser"],
        cwd=project,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/manifest.json") as r:
                    manifest = r.read().decode()
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/index.html") as r:
                    assert r.status == 200
                break
            except OSError:
                assert server.poll() is None, "dbt docs serve exited"
                assert time.monotonic() < deadline, "dbt docs serve did not answer in 60 s"
                time.sleep(0.5)
        # The docs show the metrics (dbt's semantic layer) beside the models.
        assert '"metric.marketmetrics.gmv"' in manifest
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(timeout=30)


def test_plain_dbt_and_mf_work_from_the_root_of_a_fresh_clone(tmp_path: Path) -> None:
    project = clone_project(tmp_path / "clone")
    env = reader_env(tmp_path / "home")
    commands = [c.text for c in doc_commands(README, start="## Two commands", end="## What")]
    demo, test, *plain = commands
    assert (demo, test) == ("make demo", "make test")
    assert plain == [
        ".venv/bin/dbt build",
        ".venv/bin/dbt docs generate && .venv/bin/dbt docs serve",
        ".venv/bin/dbt source freshness",
        ".venv/bin/mf query --metrics gmv --group-by metric_time__week",
    ]

    # What `make demo` runs (its recipe: the venv exists, then `marketmetrics demo`), smaller.
    recipe = run("make -n demo", project, env)
    # (Under `make test`, the nested make also prints "make[1]: Entering directory" lines.)
    steps = [line for line in recipe.stdout.splitlines() if not line.startswith("make[")]
    assert steps[-1] == ".venv/bin/marketmetrics demo", recipe
    demo_run = run(".venv/bin/marketmetrics demo --orders 300 --days 21 --cycles 1", project, env)
    assert demo_run.returncode == 0, demo_run.stdout[-3000:] + demo_run.stderr[-3000:]
    warehouse = project / "data" / "warehouse.duckdb"
    assert warehouse.is_file()
    assert (project / "target" / "manifest.json").is_file()  # dbt's default target path

    build, docs, freshness, mf_query = plain
    result = run(build, project, env)
    assert result.returncode == 0, result.stdout[-3000:]
    assert re.search(r"Done\. PASS=\d+ WARN=\d+ ERROR=0 SKIP=0", result.stdout), result.stdout

    generate, serve = docs.split(" && ")
    result = run(generate, project, env)
    assert result.returncode == 0, result.stdout[-3000:]
    assert (project / "target" / "catalog.json").is_file()
    _serve_docs(serve, project, env)

    # Freshness: each raw table is stale exactly when its newest row is older than its
    # source's error_after (a day for most; sellers and NPS answers say their own; the
    # category tree has none and is not checked), read from the manifest dbt just wrote.
    result = run(freshness, project, env)
    manifest = json.loads((project / "target" / "manifest.json").read_text())
    hours = {"minute": 1 / 60, "hour": 1, "day": 24}
    limits = {
        node["name"]: timedelta(
            hours=node["freshness"]["error_after"]["count"]
            * hours[node["freshness"]["error_after"]["period"]]
        )
        for node in manifest["sources"].values()
        if (node.get("freshness") or {}).get("error_after", {}).get("count")
    }
    assert set(TABLES) - set(limits) == {"categories"}
    assert limits["orders"] == timedelta(hours=24) and limits["sellers"] == timedelta(days=30)
    newest = {
        table: synced
        for table in TABLES
        for ((synced,),) in [
            query("duckdb", f"select max(_synced_at) from raw.{table}", duckdb_path=warehouse)
        ]
    }
    now = datetime.now(UTC)
    stale = {
        t for t, at in newest.items() if t in limits and (at is None or now - _utc(at) > limits[t])
    }
    reported = set(re.findall(r"ERROR STALE freshness of \w+\.(\w+)", result.stdout))
    assert reported == stale, result.stdout[-3000:]
    assert result.returncode == (1 if stale else 0)
    assert set(re.findall(r"freshness of \w+\.(\w+)", result.stdout)) == set(limits)

    result = run(".venv/bin/mf validate-configs", project, env)
    assert result.returncode == 0, result.stdout[-3000:]
    assert "ERRORS: 0" in result.stdout

    result = run(mf_query, project, env)
    assert result.returncode == 0, result.stdout[-3000:]
    answered = mf_weeks(result.stdout)
    weekly = {
        day: float(value)
        for day, value in query(
            "duckdb",
            "select period_start, metric_value from metrics.metrics_weekly "
            "where metric_name = 'gmv' and dimension_name = 'all' and metric_value <> 0",
            duckdb_path=warehouse,
        )
    }
    assert len(weekly) >= 3
    assert answered == weekly


def _utc(at: datetime) -> datetime:
    return at if at.tzinfo else at.replace(tzinfo=UTC)
