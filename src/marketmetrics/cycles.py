"""Replay replication sync cycles, snapshotting entity history after each one.

The sources keep only the current version of an entity, so the warehouse learns an entity's
history only by snapshotting it after every replication sync (docs/scheduling.md). A demo or
a test that loads a whole history at once would see one version per key; `run_cycles` instead
lands the raw rows one sync at a time and snapshots after each:

    from marketmetrics.cycles import run_cycles
    results = run_cycles(history, project, load_fn, start=..., end=...)
    project.run("build")  # the caller: marts, metrics and tests over the history captured

Per cycle it appends the rows synced in (previous instant, current instant], then runs one dbt
command (SNAPSHOT_CYCLE_ARGS): the base tables and staging views of the four snapshotted
tables, the snapshot source views and the snapshots, in DAG order, without tests. Nothing
else is built per cycle.

A dbt subprocess spends seconds importing dbt and loading the manifest before it does any
work, which is most of a cycle. `in_process=True` runs every cycle through one in-process
`dbtRunner` with the manifest parsed once: several times faster, for a process that talks to
one target only (dbt keeps global state per process: see dbt_runner.py).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, Protocol

import pyarrow as pa
import pyarrow.compute as pc

if TYPE_CHECKING:
    from marketmetrics.dbt_runner import DbtProject
    from marketmetrics.generator import History

__all__ = ["SNAPSHOT_CYCLE_ARGS", "CycleResult", "LoadFn", "run_cycles", "sync_instants"]

# One dbt invocation per cycle: dbt's start-up (~2 s) dominates a cycle, so models and
# snapshots go in one `build`. Tests are left to the caller's final `dbt build`.
SNAPSHOT_CYCLE_ARGS: tuple[str, ...] = (
    "build",
    "--select",
    "+tag:snapshot_source",
    "resource_type:snapshot",
    "--exclude",
    "resource_type:test",
    "resource_type:unit_test",
)


class LoadFn(Protocol):
    """Lands raw tables: `Warehouse.load`, or `functools.partial(loader.load_tables, ...)`."""

    def __call__(self, tables: Mapping[str, pa.Table], *, mode: str) -> Any: ...


@dataclass(frozen=True)
class CycleResult:
    """One replication sync and the snapshot that followed it."""

    index: int
    """0 for the initial load, then 1, 2, ..."""
    as_of: datetime
    """Rows with `_synced_at <= as_of` are in the warehouse after this cycle (UTC)."""
    rows_loaded: dict[str, int] = field(default_factory=dict)
    load_seconds: float = 0.0
    dbt_seconds: float = 0.0

    @property
    def seconds(self) -> float:
        return self.load_seconds + self.dbt_seconds


def sync_instants(
    start: datetime, end: datetime, step: timedelta = timedelta(days=1)
) -> list[datetime]:
    """start, start + step, ... up to and including end (end is always the last)."""
    if step <= timedelta(0):
        raise ValueError("step must be positive")
    start, end = _utc(start), _utc(end)
    if end < start:
        raise ValueError("end is before start")
    instants = []
    current = start
    while current < end:
        instants.append(current)
        current += step
    instants.append(end)
    return instants


def run_cycles(
    history: History | Mapping[str, pa.Table],
    dbt_project: DbtProject,
    load_fn: LoadFn,
    start: datetime,
    end: datetime,
    step: timedelta = timedelta(days=1),
    initial_as_of: datetime | None = None,
    *,
    instants: Sequence[datetime] | None = None,
    after_cycle: Callable[[CycleResult], None] | None = None,
    dbt_vars: Mapping[str, Any] | None = None,
    in_process: bool = False,
) -> list[CycleResult]:
    """Land raw rows sync by sync and snapshot after each sync.

    history        a generator `History`, or raw tables (any row order) with `_synced_at`
    dbt_project    the project bound to the target that `load_fn` writes to
    load_fn        `load_fn(tables, mode="replace"|"append")` into the raw schema
    start, end     the first and last sync instants; cycles run at start, start + step, ...,
                   end (naive datetimes are UTC)
    instants       the sync instants themselves (ascending, from start to end), instead of
                   every `step`: e.g. daily syncs, then one catch-up sync
    initial_as_of  the initial load, replacing the raw tables, takes every row synced by
                   this instant (default: start) and is snapshotted as cycle 0; each later
                   cycle appends the rows synced in (previous instant, its instant]
    after_cycle    called after each cycle's snapshot (tests inspect the warehouse there)
    dbt_vars       passed to every dbt command (e.g. {"raw_schema": ...})
    in_process     run dbt in this process (one parse, no start-up per cycle) instead of a
                   subprocess per cycle; the process's environment holds the project's
                   settings while the cycles run, and on DuckDB the file stays open in this
                   process until run_cycles returns (an `after_cycle` that opens it
                   read-only would conflict; use the subprocess mode to inspect per cycle)

    The caller runs the full `dbt build` at the end. Returns one CycleResult per cycle.
    """
    if instants is None:
        instants = sync_instants(start, end, step)
    else:
        instants = [_utc(i) for i in instants]
        if instants != sorted(instants) or instants[0] != _utc(start) or instants[-1] != _utc(end):
            raise ValueError("instants must ascend from start to end")
    first = _utc(initial_as_of) if initial_as_of is not None else instants[0]
    if first > instants[0]:
        raise ValueError("initial_as_of is after start")
    if first == instants[0]:
        instants = instants[1:]
    sliced = _Slicer(history)
    dbt: _Dbt = (
        _InProcessDbt(dbt_project, dbt_vars)
        if in_process
        else _SubprocessDbt(dbt_project, dbt_vars)
    )

    results: list[CycleResult] = []
    previous: datetime | None = None
    try:
        for index, as_of in enumerate([first, *instants]):
            tables = sliced.synced_between(previous, as_of)
            started = time.perf_counter()
            load_fn(tables, mode="replace" if previous is None else "append")
            loaded = time.perf_counter()
            dbt.run(SNAPSHOT_CYCLE_ARGS)
            done = time.perf_counter()
            result = CycleResult(
                index=index,
                as_of=as_of,
                rows_loaded={name: table.num_rows for name, table in tables.items()},
                load_seconds=loaded - started,
                dbt_seconds=done - loaded,
            )
            results.append(result)
            if after_cycle is not None:
                after_cycle(result)
            previous = as_of
    finally:
        dbt.close()
    return results


class _Dbt(Protocol):
    def run(self, args: tuple[str, ...]) -> None: ...
    def close(self) -> None: ...


class _SubprocessDbt:
    def __init__(self, project: DbtProject, dbt_vars: Mapping[str, Any] | None) -> None:
        self._project = project
        self._vars = dbt_vars

    def run(self, args: tuple[str, ...]) -> None:
        self._project.run(*args, vars=self._vars)

    def close(self) -> None:
        pass


class _InProcessDbt:
    """dbtRunner with the manifest parsed once; the environment set as the subprocess's."""

    def __init__(self, project: DbtProject, dbt_vars: Mapping[str, Any] | None) -> None:
        import json
        import os

        self._saved = dict(os.environ)
        os.environ.update(project.env())
        merged = {**project.vars, **(dbt_vars or {})}
        self._vars = ["--vars", json.dumps(merged, default=str)] if merged else []
        self._target = project.target
        self._runner: Any = None

    def _ensure_runner(self) -> Any:
        if self._runner is None:
            from dbt.cli.main import dbtRunner

            parsed = dbtRunner().invoke(["parse", "--quiet", *self._vars])
            if not parsed.success:
                raise RuntimeError(f"dbt parse failed on target {self._target}: {parsed.exception}")
            self._runner = dbtRunner(manifest=parsed.result)  # type: ignore[arg-type]
        return self._runner

    def run(self, args: tuple[str, ...]) -> None:
        result = self._ensure_runner().invoke([*args, "--quiet", *self._vars])
        if not result.success:
            failed = [
                f"{r.node.unique_id}: {r.message}"
                for r in getattr(result.result, "results", []) or []
                if str(r.status) in {"error", "fail"}
            ]
            raise RuntimeError(
                f"`dbt {' '.join(args)}` failed on target {self._target}: "
                f"{result.exception or '; '.join(failed)}"
            )

    def close(self) -> None:
        """Release the warehouse: dbt-duckdb keeps its database open per process, and a
        later `dbt build` in a subprocess could not take DuckDB's write lock."""
        import os

        self._runner = None
        try:
            from dbt.adapters.factory import reset_adapters

            reset_adapters()
        except ImportError:  # pragma: no cover - dbt always ships it
            pass
        try:
            from dbt.adapters.duckdb.connections import DuckDBConnectionManager
        except ImportError:
            pass
        else:
            env = DuckDBConnectionManager._ENV
            if env is not None:
                env.close()
            DuckDBConnectionManager.close_all_connections()
        os.environ.clear()
        os.environ.update(self._saved)


def _utc(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class _Slicer:
    """Rows synced in (after, until] of every table, as Arrow slices or filters."""

    def __init__(self, history: History | Mapping[str, pa.Table]) -> None:
        self._history = history if hasattr(history, "synced_us") else None
        self._tables: Mapping[str, pa.Table] = (
            history.tables if self._history is not None else history  # type: ignore[union-attr,assignment]
        )

    def synced_between(self, after: datetime | None, until: datetime) -> dict[str, pa.Table]:
        if self._history is not None:
            return self._slice_sorted(after, until)
        out = {}
        for name, table in self._tables.items():
            synced = table.column("_synced_at")
            keep = pc.less_equal(synced, pa.scalar(until, type=synced.type))
            if after is not None:
                keep = pc.and_(keep, pc.greater(synced, pa.scalar(after, type=synced.type)))
            out[name] = table.filter(keep)
        return out

    def _slice_sorted(self, after: datetime | None, until: datetime) -> dict[str, pa.Table]:
        """A generator history is sorted by `_synced_at`: a cycle is a zero-copy slice."""
        import numpy as np

        assert self._history is not None
        synced_us = self._history.synced_us
        lo_cut = None if after is None else _epoch_us(after)
        hi_cut = _epoch_us(until)
        out = {}
        for name, table in self._tables.items():
            lo = 0 if lo_cut is None else int(np.searchsorted(synced_us[name], lo_cut, "right"))
            hi = int(np.searchsorted(synced_us[name], hi_cut, side="right"))
            out[name] = table.slice(lo, max(hi - lo, 0))
        return out


def _epoch_us(value: datetime) -> int:
    delta = _utc(value) - datetime(1970, 1, 1, tzinfo=UTC)
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds
