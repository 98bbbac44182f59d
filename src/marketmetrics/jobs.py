"""What the commands do, beyond parsing their arguments (marketmetrics.cli): generate and
load raw data, build with dbt and publish the serving copy, report the reconciliation, replay
replication cycles, render the dashboard, run the demo. Each step takes the one description of
the warehouse it works on (marketmetrics.warehouse.Warehouse) and says what it did on the log.
"""

from __future__ import annotations

import os
import sys
import time
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyarrow.compute as pc
import pyarrow.parquet as pq

from marketmetrics import pii
from marketmetrics.alerts import run_alerts
from marketmetrics.cycles import run_cycles, sync_instants
from marketmetrics.dashboard import build_dashboard
from marketmetrics.dbt_runner import failed_nodes
from marketmetrics.freshness import read_freshness
from marketmetrics.loader import load_tables, write_parquet
from marketmetrics.progress import LOG, RowProgress, dbt_line
from marketmetrics.project import project_dir
from marketmetrics.serving import publish, published_at
from marketmetrics.warehouse import Warehouse, serving_path_for

if TYPE_CHECKING:
    from marketmetrics.generator import GeneratorConfig, History

# The demo's period: from the first of the month this many months back to today, so the last
# complete month has its prior year. Over that long period it is a young marketplace, six times
# busier at the end than at the start (thin history, a denser recent one: the gateway outage
# then has enough attempts to fire its alerts), with host samples every 30 minutes: the whole
# stays about a million raw rows, so `make demo` stays near a minute and a half.
DEMO_MONTHS = 13
DEMO_GROWTH = 6.0
DEMO_HOST_SAMPLE_MINUTES = 30

# The generator is imported where it is used: it reads the project's raw contract when it is
# imported, and a command that generates nothing (`--help` anywhere) must not need a project.


def say(message: str) -> None:
    LOG.info(message)


class NothingToRead(RuntimeError):
    """The warehouse a command reads is not there yet, or lacks a table it reads: exit 3 with
    what to do, before a reader (DuckDB, the dashboard) fails on it mid-way."""


def require_tables(reader: Warehouse, tables: list[tuple[str, str]], where: str) -> None:
    """Raise NothingToRead unless `reader` (`where`, for the sentence) has the (layer, name)
    tables: a first build has not finished, or a failed one stopped before them (and
    `marketmetrics publish` copies what there is)."""
    if reader.engine == "duckdb":
        found_sql = "select table_schema || '.' || table_name from information_schema.tables"
    elif reader.engine == "postgres":
        # pg_class, not information_schema: that lists only what the login may read, and a
        # missing grant is not a missing table.
        found_sql = (
            "select n.nspname || '.' || c.relname from pg_catalog.pg_class c "
            "join pg_catalog.pg_namespace n on n.oid = c.relnamespace"
        )
    else:
        return
    # Lower case on both sides: neither engine's folding of unquoted names is a missing table.
    found = {name.lower() for (name,) in reader.query(found_sql)}
    missing = [reader.table(*t) for t in tables if reader.table(*t).lower() not in found]
    if not missing:
        return
    raise NothingToRead(
        f"{where} has no table {', '.join(missing)}: no build has made it yet, or the last one "
        "failed before it; run `marketmetrics build`, fix what it reports, then retry"
    )


def reader_for(warehouse: Warehouse, tables: list[tuple[str, str]]) -> Warehouse:
    """Where dashboard and alerts read (Warehouse.serving), once it holds `tables`."""
    reader = warehouse.serving()
    if reader.duckdb_path is not None and not reader.duckdb_path.exists():
        raise NothingToRead(
            f"there is no warehouse at {reader.duckdb_path} yet, nor its serving copy "
            f"{serving_path_for(reader.duckdb_path)}: build it first (`marketmetrics build`, "
            "or `marketmetrics demo` for sample data), then retry"
        )
    copy = reader.duckdb_path is not None and reader.duckdb_path != warehouse.duckdb_path
    where = f"the serving copy {reader.duckdb_path}" if copy else reader.describe()
    require_tables(reader, tables, where)
    return reader


def generator_config(
    *,
    seed: int,
    orders: int,
    start_date: date | None = None,
    days: int | None = None,
    clean: bool = False,
    incident_date: date | None = None,
    demo: bool = False,
    today: date | None = None,
) -> GeneratorConfig:
    """The generator's settings. For the demo (`demo=True`) without a start date the period ends
    today in the reporting time zone (`today`, default the clock's): it starts on the first of
    the month thirteen months back, or `days` before today, so the last complete month and its
    prior year both hold data; the gateway outage is then two days before yesterday, the last
    complete day (its alerts are still open when the demo ends)."""
    from marketmetrics.generator import ArtefactRates, GeneratorConfig

    kwargs: dict[str, Any] = {"seed": seed, "orders": orders}
    if demo and not start_date:
        today = today or reporting_today()
        if days:
            start_date = today - timedelta(days=days - 1)
        else:
            month = today.year * 12 + today.month - 1 - DEMO_MONTHS
            start_date = date(month // 12, month % 12 + 1, 1)
            days = (today - start_date).days + 1
            kwargs["growth"] = DEMO_GROWTH
            kwargs["host_sample_minutes"] = DEMO_HOST_SAMPLE_MINUTES
    if start_date:
        kwargs["start_date"] = start_date
    if days:
        kwargs["days"] = days
    if clean:
        kwargs["artefacts"] = ArtefactRates.none()
    if incident_date:
        kwargs["incident_date"] = incident_date
    config = GeneratorConfig(**kwargs)
    if demo and not incident_date:
        last_day = config.start_date + timedelta(days=config.days - 1)
        if last_day == (today or reporting_today()):
            last_day -= timedelta(days=1)  # today is in progress: yesterday is the last whole day
        config = replace(config, incident_date=last_day - timedelta(days=2))
    return config


def reporting_today() -> date:
    """Today's date in the reporting time zone (Asia/Seoul)."""
    from marketmetrics.generator.timeline import KST

    return datetime.now(KST).date()


def demo_as_of(config: GeneratorConfig) -> datetime | None:
    """The instant the demo replicates through: now, when its period reaches today (rows the
    sources would sync later are not there yet, as in a real warehouse); None for a period in
    the past (every row)."""
    from marketmetrics.generator.timeline import epoch

    now = datetime.now(UTC)
    end = datetime.fromtimestamp(epoch(config.start_date + timedelta(days=config.days)), UTC)
    return now if end > now else None


def generate_history(config: GeneratorConfig) -> History:
    from marketmetrics.generator import generate

    started = time.perf_counter()
    history = generate(config)
    rows = sum(t.num_rows for t in history.tables.values())
    say(f"generated {rows:,} raw rows in {time.perf_counter() - started:.1f}s")
    return history


def generate_raw(
    config: GeneratorConfig,
    *,
    as_of: datetime | None,
    warehouse: Warehouse | None,
    out_dir: Path,
) -> None:
    """Generate raw tables into `warehouse`, or as Parquet into `out_dir` when it is None; past a
    million orders as independent shards, one in memory at a time (generator/shards.py)."""
    from marketmetrics.generator import replicate
    from marketmetrics.generator.shards import DEFAULT_SHARD_ORDERS, generate_shards

    if config.orders <= DEFAULT_SHARD_ORDERS:
        tables = replicate(generate_history(config), as_of=as_of)
        if warehouse is None:
            write_parquet(tables, out_dir)
            say(f"wrote raw tables to {out_dir}")
        else:
            load_raw(tables, warehouse)
        return
    writers: dict[str, Any] = {}
    bar = RowProgress("generating orders", config.orders, every=0)
    for i, history in generate_shards(config, DEFAULT_SHARD_ORDERS):
        tables = replicate(history, as_of=as_of)
        shard_orders = history.config.orders
        del history
        bar.advance(shard_orders, note=f"shard {i + 1}")
        say(f"shard {i + 1}: {sum(t.num_rows for t in tables.values()):,} raw rows")
        if warehouse is None:
            append_parquet(tables, out_dir, writers)
        else:
            load_raw(tables, warehouse, mode="replace" if i == 0 else "append")
    bar.close()
    for writer in writers.values():
        writer.close()


def load_raw(tables: dict[str, Any], warehouse: Warehouse, mode: str = "replace") -> None:

    started = time.perf_counter()
    if warehouse.engine == "duckdb":
        assert warehouse.duckdb_path is not None
        warehouse.duckdb_path.parent.mkdir(parents=True, exist_ok=True)
    bar = RowProgress("loading raw", sum(t.num_rows for t in tables.values()))
    load_tables(
        tables,
        warehouse,
        mode=mode,  # type: ignore[arg-type]
        progress=lambda table, rows: bar.advance(rows, note=table),
    )
    bar.close()
    say(f"loaded raw tables into {warehouse.describe()} in {time.perf_counter() - started:.1f}s")


# The scheduled jobs (selectors.yml, docs/scheduling.md): dbt arguments and vars of each.
# The sync job's vars never change with what it selects: dbt re-parses the whole project when
# the vars differ from the last parse's. `sync_job` makes a successful run of its selection of
# touched sources count as a complete build (macros/quality/complete_builds.sql).
JOBS: dict[str, tuple[tuple[str, ...], dict[str, Any]]] = {
    "sync": (("--selector", "sync"), {"test_scope": "changed", "sync_job": True}),
    "weekly": (("--selector", "weekly", "--full-refresh"), {}),
    "ci": (("--selector", "ci"), {}),
}


# What every sync runs whatever its raw tables received: the audit that gates the snapshots'
# sources and the data-quality report (source freshness is measured against the clock), with
# their tests. The base tables run for the raw tables with new rows, and for those holding rows
# replicated "in the future", which a base model re-judges against the clock (pending_sources);
# the seeds when a seed file changed since the last complete build (seeds_changed).
ALWAYS_PATHS = ("models/audit", "models/quality")
SYNC_ALWAYS = tuple(f"path:{path}" for path in ALWAYS_PATHS)
SYNC_SEEDS = ("resource_type:seed",)
# Models every staging view and snapshot source names only as a gate (`-- depends_on`, so that
# dbt skips them when the audit fails): an edge out of them carries no row of another table.
# The sync job's selection follows every other edge (audit_held_rows' included).
GATES = ("audit_row_reconciliation", "audit_raw_volumes")


def touched_sources(warehouse: Warehouse) -> tuple[list[str], datetime] | None:
    """The raw tables with rows the last complete build did not see, and that build's start;
    None when no complete build is recorded (macros/quality/complete_builds.sql).

    Raw tables only grow (a shrunken one stops the build), so a table that holds as many rows
    as audit_raw_volumes counted at the start of the last complete build has nothing new: that
    includes rows without `_synced_at`, which no watermark sees."""
    from marketmetrics.contract import TABLES

    builds = warehouse.table("audit", "dbt_complete_builds")
    volumes = warehouse.table("audit", "audit_raw_volumes")
    try:
        rows = warehouse.query(
            f"select source_table, raw_rows, checked_at from {volumes} "
            f"where checked_at = (select max(run_started_at) from {builds})"
        )
    except Exception:  # noqa: BLE001 - no audit tables yet: a first build
        return None
    if not rows:
        return None
    recorded = {table: raw_rows for table, raw_rows, _ in rows}
    counts = dict(
        warehouse.query(
            " union all ".join(
                f"select '{name}', count(*) from {warehouse.table('raw', name)}" for name in TABLES
            )
        )
    )
    return [name for name in TABLES if counts.get(name) != recorded.get(name)], rows[0][2]


def seeds_changed(since: datetime, project_dir: Path | None) -> bool:
    """True unless every seed file of `project_dir` is older than `since`, the start of the last
    complete build (which loaded every seed that changed before it): a sync then has no seed to
    load again."""
    if project_dir is None:
        return True
    if since.tzinfo is None:  # the build clock is naive UTC
        since = since.replace(tzinfo=UTC)
    newest = max(
        (path.stat().st_mtime for path in (project_dir / "seeds").rglob("*") if path.is_file()),
        default=0.0,
    )
    return newest >= since.timestamp()


def pending_sources(warehouse: Warehouse) -> list[str] | None:
    """The raw tables whose base model holds rows quarantined as replicated in the future
    (`future_synced_at`, judged against the build's clock): the next run may accept them, so
    the sync job runs those base models and what they reach even when nothing new arrived.
    None when the audit has not listed the quarantine yet."""
    quarantine = warehouse.table("audit", "audit_quarantine")
    try:
        rows = warehouse.query(
            f"select distinct source_table from {quarantine} "
            "where reject_reason = 'future_synced_at'"
        )
    except Exception:  # noqa: BLE001 - no audit tables yet: a first build
        return None
    return sorted(name for (name,) in rows)


def _descendants(manifest: dict[str, Any], start: list[str], through_views: bool) -> set[str]:
    """`start` and the nodes below it in dbt's graph, without the edges out of GATES; with
    `through_views`, only views below the start."""
    package = manifest["metadata"].get("project_name", "marketmetrics")
    gates = {f"model.{package}.{name}" for name in GATES}
    nodes = manifest["nodes"]
    children = manifest["child_map"]
    todo = list(start)
    seen: set[str] = set()
    while todo:
        node = todo.pop()
        if node in seen or node not in children:
            continue
        seen.add(node)
        if node in gates:
            continue
        for child in children[node]:
            if not through_views or (
                nodes.get(child, {}).get("config", {}).get("materialized") == "view"
            ):
                todo.append(child)
    return seen


def reached_nodes(manifest: dict[str, Any], tables: list[str]) -> list[str]:
    """Names of the models and snapshots the sync job runs for new rows in `tables`: the
    descendants of their base models in dbt's graph, without the edges out of GATES; and the
    views below a table the job rebuilds on every run (SYNC_ALWAYS), which PostgreSQL drops
    with it (dbt replaces a table with `drop ... cascade`). Sorted."""
    package = manifest["metadata"].get("project_name", "marketmetrics")
    nodes = manifest["nodes"]
    reached = _descendants(manifest, [f"model.{package}.base_{name}" for name in tables], False)
    always = {
        uid
        for uid, node in nodes.items()
        if node["resource_type"] == "model"
        and node["original_file_path"].startswith(tuple(f"{path}/" for path in ALWAYS_PATHS))
    }
    todo = list(always)
    while todo:  # and everything they read
        for parent in manifest["parent_map"].get(todo.pop(), []):
            if parent not in always:
                always.add(parent)
                todo.append(parent)
    rebuilt_tables = [
        uid for uid in always if nodes.get(uid, {}).get("config", {}).get("materialized") == "table"
    ]
    reached |= _descendants(manifest, rebuilt_tables, True) - always
    return sorted(
        node.split(".")[-1] for node in reached if node.split(".")[0] in ("model", "snapshot")
    )


def sync_arguments(
    warehouse: Warehouse, manifest_path: Path | None = None, project_dir: Path | None = None
) -> tuple[tuple[str, ...], dict[str, Any]]:
    """dbt arguments and vars of the sync job: the `sync` selector when every raw table has new
    rows, no complete build is recorded or no manifest is at hand (and on Spark, whose tables
    the job does not count); otherwise what the touched tables' rows reach (reached_nodes,
    from dbt's manifest.json at `manifest_path`), and what the tables holding rows from the
    future reach (pending_sources), plus SYNC_ALWAYS, and the seeds when a seed file of
    `project_dir` changed since the last complete build (all of them when it is not given). A
    sync that brings nothing then runs the audit and quality report only."""
    import json

    from marketmetrics.contract import TABLES

    job_args, job_vars = JOBS["sync"]
    if warehouse.engine == "spark" or manifest_path is None or not manifest_path.exists():
        return job_args, dict(job_vars)
    last_build = touched_sources(warehouse)
    pending = pending_sources(warehouse)
    if last_build is None or pending is None:
        return job_args, dict(job_vars)
    touched, started = last_build
    tables = sorted(set(touched) | set(pending))
    if len(tables) == len(TABLES):
        return job_args, dict(job_vars)
    reached = reached_nodes(json.loads(manifest_path.read_text()), tables)
    seeds = SYNC_SEEDS if seeds_changed(started, project_dir) else ()
    return (
        ("--select", *reached, *SYNC_ALWAYS, *seeds, "--exclude", "resource_type:unit_test"),
        dict(job_vars),
    )


# What dbt reads to draw its graph: a manifest older than any of them is parsed again.
PROJECT_FILES = ("dbt_project.yml", "selectors.yml")
PROJECT_DIRS = ("models", "macros", "seeds", "snapshots", "tests/dbt")


def manifest_is_current(manifest: Path, project: Path) -> bool:
    """True when `manifest` was written after every file of the project dbt reads changed (the
    graph does not depend on vars here: no model is enabled or referenced by a var)."""
    if not manifest.exists():
        return False
    files = [project / name for name in PROJECT_FILES if (project / name).exists()]
    for folder in PROJECT_DIRS:
        files.extend(path for path in (project / folder).rglob("*") if path.is_file())
    written = manifest.stat().st_mtime
    return all(path.stat().st_mtime < written for path in files)


def plan_sync(warehouse: Warehouse, dbt: Any) -> tuple[tuple[str, ...], dict[str, Any]]:
    """The sync job's dbt arguments and vars (sync_arguments), from the manifest the last dbt
    command wrote, or from a `dbt parse` when the project changed since (a warm parse costs a
    few seconds, a third of a sync with nothing new)."""
    job_args, job_vars = JOBS["sync"]
    if warehouse.engine == "spark":
        return job_args, dict(job_vars)
    manifest = Path(dbt.target_path) / "manifest.json"
    if not manifest_is_current(manifest, Path(dbt.project_dir)):
        dbt.run("parse", vars=job_vars)
    return sync_arguments(warehouse, manifest, Path(dbt.project_dir))


def build(warehouse: Warehouse, extra: list[str], job: str | None = None) -> None:
    vars_: dict[str, Any] = {}
    if job == "sync":
        job_args, job_vars = plan_sync(warehouse, warehouse.dbt())
        extra = [*job_args, *extra]
        vars_.update(job_vars)
        if "--select" in job_args:
            reached = job_args[1 : job_args.index(SYNC_ALWAYS[0])]
            say(
                f"sync: {len(reached)} models and snapshots reached by new raw rows, plus the "
                "audit and quality report"
            )
    elif job:
        job_args, job_vars = JOBS[job]
        extra = [*job_args, *extra]
        vars_.update(job_vars)
    started = time.perf_counter()
    if os.environ.get(pii.KEY_ENV):
        if warehouse.engine == "spark":
            raise SystemExit(
                f"[marketmetrics] ${pii.KEY_ENV} is set, but the key installer writes DuckDB and "
                "PostgreSQL only: on Spark insert the key row into private.pii_key with a SQL "
                "client (docs/spark.md), then unset it"
            )
        install_pii_key(warehouse)
    dbt = warehouse.dbt()
    say(f"dbt build on {warehouse.describe()} (each node's result as it finishes)")
    result = dbt.run("build", *extra, vars=vars_ or None, check=False, on_line=dbt_line)
    say(f"dbt build finished in {time.perf_counter() - started:.1f}s")
    summary = [line for line in result.stdout.splitlines() if "Done. PASS=" in line]
    if summary:
        say(summary[-1].split("Done. ", 1)[-1])
    if not result.ok:
        raise BuildFailed(why_not_published(warehouse, dbt, result))
    if warehouse.engine == "duckdb":
        publish_serving(warehouse)


class BuildFailed(RuntimeError):
    """dbt build failed: what failed, and what readers still see."""


# dbt tests whose failure means the audit stopped publication (models/audit/_audit__models.yml).
AUDIT_TESTS = (
    "audit_every_raw_row_accounted_for",
    "audit_quarantine_within_its_share",
    "audit_raw_table_did_not_shrink",
)


def why_not_published(warehouse: Warehouse, dbt: Any, result: Any) -> str:

    failed = failed_nodes(dbt.target_path)
    broken = [f"{name} ({status})" for name, status, _ in failed if status != "skipped"]
    skipped = sum(1 for _, status, _ in failed if status == "skipped")
    audit = [name for name, status, _ in failed if name in AUDIT_TESTS and status == "fail"]
    if warehouse.engine == "duckdb":
        assert warehouse.duckdb_path is not None
        serving = serving_path_for(warehouse.duckdb_path)
        when = published_at(serving)
        kept = (
            f"the serving copy {serving} still holds the build published at "
            f"{when:%Y-%m-%d %H:%M} UTC"
            if when
            else "nothing was published (no serving copy yet)"
        )
    else:
        kept = "the tables that were not rebuilt keep their last good version"
    lines = []
    if audit:
        lines.append(
            "the audit failed (" + ", ".join(audit) + "): staging, marts, metric tables and "
            "snapshots were not replaced; see "
            f"{warehouse.table('audit', 'audit_row_reconciliation')}"
        )
    if broken:
        lines.append("failed: " + ", ".join(broken[:10]) + (" ..." if len(broken) > 10 else ""))
        # What went wrong, for the first few errors (a failed test's count says little more).
        for name, status, message in failed:
            if status == "error" and message and len(lines) < 5:
                lines.append(f"  {name}: {message[:300]}")
    if skipped:
        lines.append(f"{skipped} nodes skipped after them")
    if not lines:
        lines.append(result.tail())
    lines.append(kept)
    return "\n".join(lines)


def publish_serving(warehouse: Warehouse) -> None:

    done = publish(warehouse)
    say(
        f"published {done.tables} reader tables to {done.path} in {done.seconds:.1f}s "
        f"(no personal data; open it read-only: BI tools, notebooks, the dashboard)"
    )


def report_reconciliation(warehouse: Warehouse) -> None:
    reconciliation = warehouse.table("audit", "audit_row_reconciliation")
    rows = warehouse.query(
        "select source_table, raw_rows, current_rows, superseded_rows, duplicate_rows, "
        "tombstone_rows, quarantined_rows, unaccounted_rows "
        f"from {reconciliation} order by source_table"
    )
    header = ("table", "raw", "current", "superseded", "duplicate", "tombstone", "quarantined")
    print(f"\nEvery raw row accounted for ({reconciliation}):")
    print("  " + "".join(f"{h:>13}" if i else f"{h:<18}" for i, h in enumerate(header)))
    for row in rows:
        cells = [f"{row[0]:<18}"] + [f"{v:>13,}" for v in row[1:7]]
        print("  " + "".join(cells) + ("" if row[7] == 0 else f"  UNACCOUNTED {row[7]}"))


def append_parquet(tables: dict[str, Any], out_dir: Path, writers: dict[str, Any]) -> None:
    """Append each table to `<out_dir>/<table>.parquet`, one row group per shard."""

    out_dir.mkdir(parents=True, exist_ok=True)
    for name, table in tables.items():
        if name not in writers:
            writers[name] = pq.ParquetWriter(
                out_dir / f"{name}.parquet", table.schema, compression="zstd"
            )
        writers[name].write_table(table)


def install_pii_key(warehouse: Warehouse) -> str:
    key_id = pii.install_key(warehouse)
    say(
        f"pseudonym key {key_id} installed in {warehouse.table('private', 'pii_key')} "
        f"(from ${pii.KEY_ENV})"
    )
    return key_id


def render_dashboard(warehouse: Warehouse, out_dir: str | None) -> Path:
    # The stale sources of the latest `marketmetrics alerts --freshness`, if any ran.
    target_path = warehouse.dbt().target_path
    freshness = read_freshness(target_path) if target_path else []
    index = build_dashboard(
        warehouse.serving(),
        out_dir=project_dir() / (out_dir or "target/dashboard"),
        freshness=freshness,
    )
    say(f"dashboard: {index}")
    return index


def replay_cycles(
    warehouse: Warehouse, history: Any, cycles: int, as_of: datetime | None = None
) -> None:
    """Land the raw data one daily sync at a time over the last `--cycles` days,
    snapshotting after each, so the warehouse holds real state history; rows synced after
    `as_of` (when given) are left out."""

    from marketmetrics.loader import load_tables

    last_sync = max(pc.max(t["_synced_at"]).as_py() for t in history.tables.values())
    end = history.end
    if as_of is not None:
        last_sync = min(last_sync, as_of)
        end = min(end, as_of)
    start = end - timedelta(days=cycles)
    # Daily syncs up to the end of the generated period; the late artefacts that trickle in
    # for days after it (a few dozen rows a day) arrive as one catch-up sync: a cycle costs
    # seconds of dbt whatever it loads.
    daily = [i for i in sync_instants(start, min(last_sync, end)) if i < last_sync]
    instants = [*daily, last_sync]
    started = time.perf_counter()
    if warehouse.engine == "duckdb":
        assert warehouse.duckdb_path is not None
        warehouse.duckdb_path.parent.mkdir(parents=True, exist_ok=True)
    total = len(instants)

    def after_cycle(cycle: Any) -> None:
        rows = sum(cycle.rows_loaded.values())
        say(
            f"sync {cycle.index + 1}/{total} through {cycle.as_of:%Y-%m-%d %H:%M}: "
            f"{rows:,} rows loaded in {cycle.load_seconds:.1f}s, staged and snapshotted in "
            f"{cycle.dbt_seconds:.1f}s"
        )

    # In process: one dbt parse for all cycles instead of a dbt start-up per cycle.
    results = run_cycles(
        history,
        warehouse.dbt(),
        partial(load_tables, warehouse=warehouse),
        start=start,
        end=last_sync,
        instants=instants,
        in_process=True,
        after_cycle=after_cycle,
    )
    say(
        f"replayed {len(results)} replication cycles with snapshots "
        f"({start:%Y-%m-%d} .. {last_sync:%Y-%m-%d}) in {time.perf_counter() - started:.1f}s"
    )


def demo(
    warehouse: Warehouse,
    config: GeneratorConfig,
    *,
    cycles: int,
    out_dir: str | None,
    as_of: datetime | None = None,
) -> int:
    """Generate, land (replaying the last `cycles` days as daily syncs with snapshots), build,
    publish, report, render the dashboard and print the alerts."""
    from marketmetrics.generator import replicate

    last = config.start_date + timedelta(days=config.days - 1)
    say(
        f"demo on {warehouse.describe()}: {config.orders:,} orders from {config.start_date} "
        f"to {last}, seed {config.seed}"
    )
    history = generate_history(config)
    as_of = as_of or demo_as_of(config)
    if cycles > 0:
        replay_cycles(warehouse, history, cycles, as_of)
    else:
        load_raw(replicate(history, as_of), warehouse)
    build(warehouse, [])
    report_reconciliation(warehouse)
    render_dashboard(warehouse, out_dir)
    print()
    code = run_alerts(
        warehouse.serving(), webhook_url=os.environ.get("ALERT_WEBHOOK_URL"), out=sys.stdout
    )
    if code == 2:
        say(
            "critical alerts are open (the generated gateway incident); a scheduled "
            "`marketmetrics alerts` exits 2 on them"
        )
    if warehouse.engine == "duckdb":
        say(
            f"readers open {warehouse.serving().duckdb_path} (read-only, no personal "
            f"data); the warehouse {warehouse.duckdb_path} is the builds' own"
        )
    return 0
