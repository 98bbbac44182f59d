"""Benchmark: full and incremental dbt builds of a generated marketplace, per engine.

    .venv/bin/python bench/run.py                        # 1,000,000 orders on DuckDB
    .venv/bin/python bench/run.py --orders 100000 --engine both --pg-orders 20000
    .venv/bin/python bench/run.py --orders 100000 --engine spark  # DuckDB and Spark, 100 K

Per engine: generate N orders, replicate them as of the end of the second-to-last local
day (T), load into a fresh warehouse, `dbt build --full-refresh`, `dbt run
--full-refresh`; then the scheduler's sync job three times: after appending the rows synced
in (T, T + 1 day - 5 min] (the day), after the next five minutes' rows, and with no new
row at all. Prints a table and writes JSON (node counts by type, dbt's ten slowest models
per build). See bench/README.md.

A benchmark, not a test: it asserts nothing about speed and is never run by CI.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import itertools
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pyarrow as pa

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT / "src"))  # runnable without an installed package too

from marketmetrics.dbt_runner import DbtProject, DbtResult  # noqa: E402
from marketmetrics.generator import GeneratorConfig, generate, replicate  # noqa: E402
from marketmetrics.generator.shards import (  # noqa: E402
    DEFAULT_SHARD_ORDERS,
    offset_shard,
    shard_configs,
)
from marketmetrics.jobs import JOBS, plan_sync  # noqa: E402
from marketmetrics.loader import load_tables  # noqa: E402
from marketmetrics.pgcluster import PgCluster  # noqa: E402
from marketmetrics.pii import install_key  # noqa: E402
from marketmetrics.roles import setup_roles  # noqa: E402
from marketmetrics.warehouse import Warehouse  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from baseline import run_baseline  # noqa: E402

SLOWEST = 10


def _say(message: str) -> None:
    print(f"[bench {datetime.now():%H:%M:%S}] {message}", flush=True)


# -- peak memory of a dbt subprocess ---------------------------------------------------------


def _descendants() -> list[int]:
    """Pids below this process: dbt, and what dbt starts (Spark's JVM is dbt's child)."""
    parents: dict[int, int] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(entry.path, "stat").read_text()
        except OSError:
            continue
        # The command name may hold spaces and parentheses: fields follow the last ')'.
        parents[int(entry.name)] = int(stat[stat.rfind(")") + 2 :].split()[1])
    found: list[int] = []
    frontier = [os.getpid()]
    while frontier:
        pid = frontier.pop()
        children = [child for child, parent in parents.items() if parent == pid]
        found += children
        frontier += children
    return found


def _vm_hwm_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


@contextlib.contextmanager
def _peak_rss() -> Iterator[dict[str, float | None]]:
    """Peak resident memory (MB) of the processes started inside the block: the sum of their
    VmHWM, sampled every 0.1 s (growth in the last tenth of a second before exit is missed).

    Not RUSAGE_CHILDREN's ru_maxrss: Python starts children with vfork, and Linux
    records the high-water mark of the memory a child shares before exec, that is of
    this process and its generated data, so it overstates dbt's memory by gigabytes.
    Linux only; elsewhere the figure is null.
    """
    out: dict[str, float | None] = {"mb": None}
    if not Path("/proc/self/status").exists():
        yield out
        return
    peak = 0
    stop = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not stop.wait(0.1):
            # The tree's processes at once (dbt, and Spark's JVM under it), each at its peak.
            peak = max(peak, sum(_vm_hwm_kb(pid) for pid in _descendants()))

    thread = threading.Thread(target=sample, daemon=True)
    thread.start()
    try:
        yield out
    finally:
        stop.set()
        thread.join()
        out["mb"] = round(peak / 1024, 1) if peak else None


# -- dbt's artefacts -------------------------------------------------------------------------


def _read_json(path: Path) -> dict[str, Any]:
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return {}


def _summarise(target_path: Path, keep_as: Path | None) -> dict[str, Any]:
    """Status counts, node seconds per resource type and the slowest models of the last
    dbt command, from run_results.json (and manifest.json for the materializations)."""
    run_results = _read_json(target_path / "run_results.json")
    manifest = _read_json(target_path / "manifest.json")
    if keep_as is not None and (target_path / "run_results.json").exists():
        shutil.copyfile(target_path / "run_results.json", keep_as)
    nodes = manifest.get("nodes", {})
    statuses: Counter[str] = Counter()
    nodes_by_type: Counter[str] = Counter()
    seconds_by_type: dict[str, float] = defaultdict(float)
    models = []
    failed = []
    for result in run_results.get("results", []):
        uid = result["unique_id"]
        kind = uid.split(".", 1)[0]
        seconds = float(result.get("execution_time") or 0.0)
        statuses[result["status"]] += 1
        nodes_by_type[kind] += 1
        seconds_by_type[kind] += seconds
        if result["status"] in ("error", "fail"):
            message = (result.get("message") or "").strip()
            failed.append({"node": uid, "status": result["status"], "message": message[:400]})
        if kind == "model":
            node = nodes.get(uid, {})
            models.append(
                {
                    "model": node.get("name", uid.rsplit(".", 1)[-1]),
                    "seconds": round(seconds, 2),
                    "materialized": node.get("config", {}).get("materialized"),
                    "status": result["status"],
                    "rows_affected": (result.get("adapter_response") or {}).get("rows_affected"),
                }
            )
    models.sort(key=lambda m: m["seconds"], reverse=True)
    return {
        "dbt_elapsed_seconds": round(float(run_results.get("elapsed_time") or 0.0), 2),
        "statuses": dict(statuses),
        "nodes_by_type": dict(sorted(nodes_by_type.items())),
        "node_seconds_by_type": {k: round(v, 2) for k, v in sorted(seconds_by_type.items())},
        "slowest_models": models[:SLOWEST],
        "failed_nodes": failed,
    }


def _dbt_step(
    dbt: DbtProject, name: str, args: list[str], keep_dir: Path | None, label: str
) -> dict[str, Any]:
    _say(f"{label}: dbt {' '.join(args)} ...")
    load_before = os.getloadavg()[0]
    assert dbt.target_path is not None
    # `dbt parse` writes no run_results: never summarise the previous command's.
    (Path(dbt.target_path) / "run_results.json").unlink(missing_ok=True)
    with _peak_rss() as rss:
        result: DbtResult = dbt.run(*args, check=False)
    keep = keep_dir / f"{label}.{name}.run_results.json" if keep_dir else None
    step = {
        "command": "dbt " + " ".join(args),
        "seconds": round(result.seconds, 2),
        "ok": result.ok,
        "peak_rss_mb": rss["mb"],
        # Other work on the machine skews the timings: a 1-minute load average above the
        # dbt threads before or after the step says the figures are not clean.
        "load_average_before_after": [round(load_before, 2), round(os.getloadavg()[0], 2)],
        **_summarise(dbt.target_path, keep),
    }
    _say(
        f"{label}: dbt {args[0]} {'ok' if result.ok else 'FAILED'} in {result.seconds:.1f}s, "
        f"peak RSS {rss['mb']} MB, {step['statuses']}"
    )
    if not result.ok:
        # A failed node skips its children: the step's time no longer covers the project.
        step["tail"] = result.tail(40)
        for node in step["failed_nodes"] or [{"node": "(none recorded)", "message": step["tail"]}]:
            print(f"  {node.get('status', 'error')}: {node['node']}\n    {node['message']}")
    return step


# -- the project under test -----------------------------------------------------------------

# What dbt reads: everything else (the package, the venv, data, results) stays behind.
PROJECT_PARTS = ("dbt_project.yml", "packages.yml", "dependencies.yml", "selectors.yml")
PROJECT_DIRS = ("models/", "macros/", "seeds/", "snapshots/", "tests/dbt/", "analyses/", "docs/")


def freeze_project(source: Path, into: Path) -> Path:
    """Copy the dbt project as it is on disk now (tracked and untracked files git does
    not ignore), so edits made while the benchmark runs cannot change what it builds
    between engines or between the full and the incremental step."""
    listed = subprocess.run(
        ["git", "ls-files", "-co", "--exclude-standard", "-z"],
        cwd=source,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split("\0")
    for name in listed:
        if not name or not (name in PROJECT_PARTS or name.startswith(PROJECT_DIRS)):
            continue
        if not (source / name).is_file():  # deleted but still tracked
            continue
        (into / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source / name, into / name)
    return into


# -- one engine ------------------------------------------------------------------------------


def _rows(tables: dict[str, Any]) -> int:
    return sum(t.num_rows for t in tables.values())


def _split_at(history: Any, *cuts: datetime) -> list[dict]:
    """Rows synced by the first cut, then the rows synced between each cut and the next, as
    copies, so the history can be freed before dbt runs. History tables are sorted by
    _synced_at, so the rows synced in (a, b] are replicate(as_of=b) past replicate(as_of=a)."""
    import numpy as np

    parts = [replicate(history, as_of=cuts[0])]
    previous = parts[0]
    for before, cut in itertools.pairwise(cuts):
        upto = replicate(history, as_of=cut)
        increment = {}
        for name, table in upto.items():
            start = previous[name].num_rows
            # take() copies; a slice would keep the whole history's buffers alive.
            tail = table.take(np.arange(start, table.num_rows))
            if tail.num_rows:
                synced = tail["_synced_at"].to_numpy()
                assert synced.min() > np.datetime64(before.replace(tzinfo=None), "us"), name
            increment[name] = tail
        parts.append(increment)
        previous = upto
    return parts


def _warehouse_size(
    engine: str, duckdb_path: Path | None, pg: PgCluster | None, spark_home: Path | None = None
) -> int | None:
    if engine == "spark" and spark_home is not None:
        return sum(f.stat().st_size for f in (spark_home / "warehouse").rglob("*") if f.is_file())
    if engine == "duckdb" and duckdb_path is not None:
        return sum(p.stat().st_size for p in duckdb_path.parent.glob(duckdb_path.name + "*"))
    if pg is not None:
        import psycopg

        with psycopg.connect(pg.conninfo) as con:
            return int(con.execute("select pg_database_size(current_database())").fetchall()[0][0])
    return None


def run_engine(engine: str, orders: int, args: argparse.Namespace, keep_dir: Path | None) -> dict:
    label = f"{engine}-{orders}"
    record: dict[str, Any] = {"engine": engine, "orders": orders}
    cfg = GeneratorConfig(
        orders=orders,
        seed=args.seed,
        days=args.days,
        host_sample_minutes=args.host_sample_minutes,
    )
    record["generator"] = {
        "seed": cfg.seed,
        "days": cfg.days,
        "start_date": cfg.start_date.isoformat(),
        "host_sample_minutes": cfg.host_sample_minutes,
    }

    shard_cfgs = shard_configs(cfg, args.shard_orders)
    record["generator"]["shards"] = len(shard_cfgs)

    work = Path(tempfile.mkdtemp(prefix=f"mm-bench-{engine}-", dir=args.work_dir))
    profiles = work / "profiles"
    profiles.mkdir()
    shutil.copyfile(REPO_ROOT / "profiles.yml.example", profiles / "profiles.yml")
    pg: PgCluster | None = None
    duckdb_path: Path | None = None
    spark_home: Path | None = None
    try:
        if engine == "duckdb":
            duckdb_path = work / "warehouse.duckdb"
            env = {"DBT_DUCKDB_PATH": str(duckdb_path)}
            load_kwargs: dict[str, Any] = {"duckdb_path": duckdb_path}
            warehouse = Warehouse("duckdb", duckdb_path=duckdb_path)
        elif engine == "spark":
            spark_home = work / "spark"
            env = {"DBT_SPARK_HOME": str(spark_home)}
            load_kwargs = {"spark_home": spark_home}
            warehouse = Warehouse("spark", spark_home=spark_home)
        else:
            pg = PgCluster(base_dir=args.work_dir).start()
            env = pg.env()
            load_kwargs = {"conninfo": pg.conninfo}
            warehouse = Warehouse("postgres", conninfo=pg.conninfo)
            # The production target refuses to build without a pseudonym key: a throwaway one.
            install_key(warehouse, key=os.urandom(32))
            # dbt's grants name the BI role: the project's roles exist, as in production.
            setup_roles(pg.conninfo)
        dbt = DbtProject(
            project_dir=args.build_dir,
            profiles_dir=profiles,
            target=engine,
            env_overrides=env,
            target_path=work / "target",
            log_path=work / "logs",
        )

        # One shard in memory at a time (generator/shards.py): generate, split at T, load
        # the rows synced by T, keep only the next day's rows for later.
        _say(
            f"{label}: generating and loading {orders:,} orders over {cfg.days} days "
            f"in {len(shard_cfgs)} shard(s) ..."
        )
        record.update(
            generate_seconds=0.0,
            load_seconds=0.0,
            raw_rows=0,
            increment_rows=0,
            five_minute_rows=0,
        )
        record["raw_rows_by_table"] = Counter()
        record["increment_rows_by_table"] = Counter()
        not_loaded = 0
        increments: dict[str, list[Any]] = defaultdict(list)
        five_minutes: dict[str, list[Any]] = defaultdict(list)
        for i, shard_cfg in enumerate(shard_cfgs):
            started = time.perf_counter()
            history = generate(shard_cfg)
            history.tables = offset_shard(history.tables, i)
            record["generate_seconds"] += time.perf_counter() - started
            # history.end is local midnight after the last day: T is the end of the day before.
            # The day is (T, T_next - 5 min]; the five minutes after it are a sync of their own.
            t_next = history.end
            t = t_next - timedelta(days=1)
            t_day = t_next - timedelta(minutes=5)
            first, increment, last_minutes = _split_at(history, t, t_day, t_next)
            not_loaded += (
                sum(history.row_counts.values())
                - _rows(first)
                - _rows(increment)
                - _rows(last_minutes)
            )
            del history
            record["raw_rows"] += _rows(first)
            record["increment_rows"] += _rows(increment)
            record["five_minute_rows"] += _rows(last_minutes)
            record["raw_rows_by_table"].update({n: tb.num_rows for n, tb in first.items()})
            record["increment_rows_by_table"].update(
                {n: tb.num_rows for n, tb in increment.items()}
            )
            for name, table in increment.items():
                increments[name].append(table)
            for name, table in last_minutes.items():
                five_minutes[name].append(table)
            started = time.perf_counter()
            mode = "replace" if i == 0 else "append"
            load_tables(first, warehouse, mode=mode)  # type: ignore[arg-type]
            record["load_seconds"] += time.perf_counter() - started
            del first
            gc.collect()
            if len(shard_cfgs) > 1:
                _say(
                    f"{label}: shard {i + 1}/{len(shard_cfgs)} loaded, {record['raw_rows']:,} rows"
                )
        record["as_of"] = t.isoformat()
        record["increment_until"] = t_day.isoformat()
        record["five_minutes_until"] = t_next.isoformat()
        record["rows_after_end_not_loaded"] = not_loaded
        record["generate_seconds"] = round(record["generate_seconds"], 2)
        record["load_seconds"] = round(record["load_seconds"], 2)
        record["generator_peak_rss_mb"] = round(
            resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1
        )
        increment = {name: pa.concat_tables(parts) for name, parts in increments.items()}
        last_five = {name: pa.concat_tables(parts) for name, parts in five_minutes.items()}
        del increments, five_minutes
        _say(
            f"{label}: generated in {record['generate_seconds']:.1f}s, loaded in "
            f"{record['load_seconds']:.1f}s: {record['raw_rows']:,} rows by {t:%Y-%m-%d %H:%M} "
            f"UTC, {record['increment_rows']:,} in the next day; generator peak RSS "
            f"{record['generator_peak_rss_mb']:,.0f} MB"
        )

        _say(f"{label}: single-pass baseline (bench/baseline.py) ...")
        record["baseline"] = run_baseline(engine, **load_kwargs)
        _say(f"{label}: baseline in {record['baseline']['seconds']:.1f}s")

        steps: dict[str, Any] = {}
        # Parse once, so the timed commands below start from a warm partial parse.
        steps["parse"] = _dbt_step(dbt, "parse", ["parse"], keep_dir, label)
        build = ["build", *(["--exclude-resource-type", "unit_test"] if args.no_unit_tests else [])]
        steps["full_build"] = _dbt_step(
            dbt, "full_build", [*build, "--full-refresh"], keep_dir, label
        )
        record["size_bytes_after_full"] = _warehouse_size(engine, duckdb_path, pg, spark_home)
        if not args.skip_run:
            steps["full_run"] = _dbt_step(
                dbt, "full_run", ["run", "--full-refresh"], keep_dir, label
            )

        _say(
            f"{label}: appending {record['increment_rows']:,} rows synced in the next day "
            "(its last five minutes aside) ..."
        )
        started = time.perf_counter()
        load_tables(increment, warehouse, mode="append")
        record["increment_load_seconds"] = round(time.perf_counter() - started, 2)
        del increment

        # The day's run is what the scheduler runs after a sync (`marketmetrics build --job
        # sync`): it counts the raw tables' rows against the last complete build and builds
        # what the new rows reach (marketmetrics.jobs.plan_sync: a warm `dbt parse`, one
        # query, then `dbt build`), the data tests on the rows it wrote, no unit tests. Its
        # time is the plan's and the build's. `--incremental-job build` times a plain
        # `dbt build` instead.
        def incremental_step(name: str) -> dict[str, Any]:
            if args.incremental_job != "sync":
                return _dbt_step(dbt, name, build, keep_dir, label)
            started = time.perf_counter()
            job_args, job_vars = plan_sync(warehouse, dbt)
            planned = time.perf_counter() - started
            step = _dbt_step(
                dbt, name, ["build", *job_args, "--vars", json.dumps(job_vars)], keep_dir, label
            )
            step["plan_seconds"] = round(planned, 2)
            step["build_seconds"] = step["seconds"]
            step["seconds"] = round(step["seconds"] + planned, 2)
            step["selection"] = "whole project" if "--selector" in job_args else "touched"
            _say(f"{label}: {name}: plan {planned:.1f}s + build = {step['seconds']:.1f}s")
            return step

        # dbt re-parses the whole project when the vars differ from the last parse's; a
        # scheduler repeating the same job keeps the parse warm, so warm it (untimed) too.
        if args.incremental_job == "sync":
            steps["parse_for_incremental"] = _dbt_step(
                dbt,
                "parse_for_incremental",
                ["parse", "--vars", json.dumps(JOBS["sync"][1])],
                keep_dir,
                label,
            )
        steps["incremental_build"] = incremental_step("incremental_build")
        record["size_bytes_after_incremental"] = _warehouse_size(
            engine, duckdb_path, pg, spark_home
        )
        # Then the day's last five minutes, as a sync every five minutes would carry them,
        # and a sync that finds nothing new: what a run costs when it has (almost) no work.
        _say(f"{label}: appending {record['five_minute_rows']:,} rows of the next five minutes")
        started = time.perf_counter()
        load_tables(last_five, warehouse, mode="append")
        record["five_minute_load_seconds"] = round(time.perf_counter() - started, 2)
        del last_five
        steps["five_minute_build"] = incremental_step("five_minute_build")
        steps["no_data_build"] = incremental_step("no_data_build")
        record["steps"] = steps

        full = steps["full_build"]["seconds"]
        inc = steps["incremental_build"]["seconds"]
        record["full_build_seconds"] = full
        record["full_run_seconds"] = steps.get("full_run", {}).get("seconds")
        record["incremental_build_seconds"] = inc
        record["five_minute_build_seconds"] = steps["five_minute_build"]["seconds"]
        record["no_data_build_seconds"] = steps["no_data_build"]["seconds"]
        record["rows_per_second"] = round(record["raw_rows"] / full) if full else None
        record["incremental_over_full"] = round(inc / full, 3) if full else None
        base = record["baseline"]["seconds"]
        record["full_over_baseline"] = round(full / base, 2) if base else None
        record["incremental_over_baseline"] = round(inc / base, 2) if base else None
        record["ok"] = all(s["ok"] for s in steps.values())
    finally:
        if pg is not None:
            pg.stop()
        if args.keep_work:
            _say(f"{label}: kept the warehouse and dbt artefacts in {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    return record


# -- report ----------------------------------------------------------------------------------


def _fmt(value: Any, spec: str = ",") -> str:
    if value is None:
        return "-"
    return format(value, spec)


def print_table(records: list[dict]) -> None:
    columns = [
        ("engine", lambda r: r["engine"]),
        ("orders", lambda r: _fmt(r["orders"])),
        ("raw rows", lambda r: _fmt(r["raw_rows"])),
        ("load s", lambda r: _fmt(r.get("load_seconds"), ".1f")),
        ("baseline s", lambda r: _fmt(r.get("baseline", {}).get("seconds"), ".1f")),
        ("full build s", lambda r: _fmt(r.get("full_build_seconds"), ".1f")),
        ("full/base", lambda r: _fmt(r.get("full_over_baseline"), ".1f")),
        ("full run s", lambda r: _fmt(r.get("full_run_seconds"), ".1f")),
        ("incr rows", lambda r: _fmt(r["increment_rows"])),
        ("incr load s", lambda r: _fmt(r.get("increment_load_seconds"), ".1f")),
        ("incr build s", lambda r: _fmt(r.get("incremental_build_seconds"), ".1f")),
        ("5-min rows", lambda r: _fmt(r.get("five_minute_rows"))),
        ("5-min s", lambda r: _fmt(r.get("five_minute_build_seconds"), ".1f")),
        ("no-data s", lambda r: _fmt(r.get("no_data_build_seconds"), ".1f")),
        ("rows/s", lambda r: _fmt(r.get("rows_per_second"))),
        ("incr/base", lambda r: _fmt(r.get("incremental_over_baseline"), ".1f")),
        ("incr/full", lambda r: _fmt(r.get("incremental_over_full"), ".2f")),
        (
            "peak RSS MB full/incr",
            lambda r: "/".join(
                _fmt(r.get("steps", {}).get(s, {}).get("peak_rss_mb"), ",.0f")
                for s in ("full_build", "incremental_build")
            ),
        ),
        ("ok", lambda r: "yes" if r.get("ok") else "NO"),
    ]
    rows = [[fn(r) for _, fn in columns] for r in records]
    widths = [max(len(h), *(len(row[i]) for row in rows)) for i, (h, _) in enumerate(columns)]
    print()
    print("  ".join(h.rjust(w) for (h, _), w in zip(columns, widths, strict=True)))
    for row in rows:
        print("  ".join(c.rjust(w) for c, w in zip(row, widths, strict=True)))
    for r in records:
        for step in ("full_build", "incremental_build", "five_minute_build", "no_data_build"):
            s = r.get("steps", {}).get(step)
            if not s:
                continue
            print(
                f"\n{r['engine']} {step}: {s['seconds']:.1f}s wall; nodes {s['nodes_by_type']}; "
                f"summed node seconds {s['node_seconds_by_type']}; slowest models:"
            )
            for m in s["slowest_models"]:
                print(f"  {m['seconds']:8.2f}s  {m['model']:<40} {m['materialized']}")
    print()


def _git_state(project_dir: Path) -> dict[str, Any]:
    def git(*a: str) -> str:
        done = subprocess.run(
            ["git", *a], cwd=project_dir, capture_output=True, text=True, check=False
        )
        return done.stdout.strip()

    dirty = [
        line[3:]
        for line in git("status", "--porcelain").splitlines()
        if line[3:].startswith(PROJECT_DIRS) or line[3:] in PROJECT_PARTS
    ]
    return {"commit": git("rev-parse", "HEAD"), "uncommitted_dbt_files": dirty}


def _versions() -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    out = {"python": platform.python_version()}
    for pkg in ("dbt-core", "dbt-duckdb", "dbt-postgres", "duckdb", "pyarrow"):
        with contextlib.suppress(PackageNotFoundError):
            out[pkg] = version(pkg)
    return out


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--orders", type=int, default=1_000_000, help="orders on DuckDB")
    parser.add_argument(
        "--engine",
        choices=["duckdb", "postgres", "both", "spark"],
        default="duckdb",
        help="(duckdb); spark runs DuckDB at --orders beside Spark at --spark-orders",
    )
    parser.add_argument("--pg-orders", type=int, default=100_000, help="orders on PostgreSQL")
    parser.add_argument(
        "--spark-orders", type=int, default=100_000, help="orders on Spark (local session)"
    )
    parser.add_argument("--days", type=int, default=120, help="length of the period (120)")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument(
        "--shard-orders",
        type=int,
        default=DEFAULT_SHARD_ORDERS,
        help="generate in shards of this many orders, one in memory at a time (1,000,000)",
    )
    parser.add_argument(
        "--host-sample-minutes",
        type=int,
        default=1,
        help="host metric sample interval; 1 is the contract's volume (generator default 10)",
    )
    parser.add_argument("--out", type=Path, help="JSON output (bench/results/<timestamp>.json)")
    parser.add_argument(
        "--work-dir", help="where the temporary warehouses go (default: the system temp dir)"
    )
    parser.add_argument("--project-dir", type=Path, default=REPO_ROOT, help="dbt project")
    parser.add_argument(
        "--skip-run", action="store_true", help="skip the extra `dbt run --full-refresh`"
    )
    parser.add_argument(
        "--live-project",
        action="store_true",
        help="build the project directory itself, not a copy taken at the start",
    )
    parser.add_argument(
        "--no-unit-tests",
        action="store_true",
        help="build without unit tests (their cost does not grow with the data)",
    )
    parser.add_argument(
        "--incremental-job",
        choices=["sync", "build"],
        default="sync",
        help="the day's run: the scheduler's sync job (default) or a plain `dbt build`",
    )
    parser.add_argument(
        "--keep-work", action="store_true", help="keep the warehouse and dbt target dirs"
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    out: Path = args.out or REPO_ROOT / "bench" / "results" / f"{stamp}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    keep_dir = out.parent / out.stem
    keep_dir.mkdir(exist_ok=True)
    engines = {
        "both": ["duckdb", "postgres"],
        # Spark's figures are read beside DuckDB's on the same data: both run.
        "spark": ["duckdb", "spark"],
    }.get(args.engine, [args.engine])

    report: dict[str, Any] = {
        "started_at": stamp,
        "command": " ".join([Path(sys.executable).name, *sys.argv]),
        "machine": {
            "cpus": os.cpu_count(),
            "memory_gb": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1),
            "platform": platform.platform(),
        },
        "settings": {
            "DBT_THREADS": os.environ.get("DBT_THREADS", "2"),
            "DBT_DUCKDB_MEMORY_LIMIT": os.environ.get("DBT_DUCKDB_MEMORY_LIMIT", "4GB"),
            "DBT_DUCKDB_THREADS": os.environ.get("DBT_DUCKDB_THREADS", "2"),
        },
        "versions": _versions(),
        "project": _git_state(args.project_dir),
        "runs": [],
    }
    frozen = None
    if args.work_dir:
        Path(args.work_dir).mkdir(parents=True, exist_ok=True)
    if args.live_project:
        args.build_dir = args.project_dir
    else:
        frozen = Path(tempfile.mkdtemp(prefix="mm-bench-project-", dir=args.work_dir))
        args.build_dir = freeze_project(args.project_dir, frozen)
    report["project"]["built_from"] = "live directory" if frozen is None else "copy at start"
    try:
        for engine in engines:
            orders = {"duckdb": args.orders, "spark": args.spark_orders}.get(engine, args.pg_orders)
            try:
                report["runs"].append(run_engine(engine, orders, args, keep_dir))
            except Exception as exc:  # keep the other engine's figures; the error is a result
                _say(f"{engine}: failed: {exc!r}")
                report["runs"].append({"engine": engine, "orders": orders, "error": repr(exc)})
            out.write_text(json.dumps(report, indent=2, default=str) + "\n")
    finally:
        if frozen is not None:
            shutil.rmtree(frozen, ignore_errors=True)

    print_table([r for r in report["runs"] if "error" not in r])
    _say(f"wrote {out} (dbt run_results per step in {keep_dir})")
    return 0 if all(r.get("ok") for r in report["runs"]) else 1


if __name__ == "__main__":
    sys.exit(main())
