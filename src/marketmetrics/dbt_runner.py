"""Run the dbt project against one target, as a subprocess, and read results back.

Why a subprocess and not dbt's Python API (`dbtRunner`): dbt keeps global state (flags,
adapters, the event manager) per process, so two targets in one pytest session or a
benchmark that alternates engines would leak state between runs. A subprocess per
command costs ~2 s of start-up and is isolated.

Why per-run target and log paths: dbt writes `partial_parse.msgpack`, the manifest and
`dbt.log` there; two builds (DuckDB and PostgreSQL, or two test modules) sharing one
`target/` corrupt each other's partial parse. They are passed through `DBT_TARGET_PATH`
and `DBT_LOG_PATH` because not every command accepts the flags (`dbt debug` rejects
`--target-path`), while every command reads the variables.

Why one saved parse per set of vars: dbt re-parses the whole project (about 8 s) when the
vars differ from the last run's, so jobs that alternate (the sync job's vars, a weekly build
without) would each pay a full parse. `DbtProject.run` keeps the partial parse of each
(target, vars, settings) beside the one dbt reads and swaps it in before the run. dbt still
checks every saved parse against the files, vars and profile, so a stale one costs a parse,
never a wrong manifest. Projects with their own target paths but the same settings can also
share their parses through `shared_parses`, a directory (the tests: one per pytest worker, whose
modules each take a warehouse of the same name in turn, so each would otherwise start with a
full parse).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

# The engines the project runs on: one name each, for dbt targets, readers and the CLI.
Engine = Literal["duckdb", "postgres", "spark"]

__all__ = [
    "DbtError",
    "DbtProject",
    "DbtResult",
    "Engine",
    "dbt_executable",
    "ensure_profiles",
    "query",
]


# dbt's partial parse file in the target path, and where the parses of other vars wait.
_PARTIAL_PARSE = "partial_parse.msgpack"
_PARSES = "partial_parses"
_PARSE_LABEL = "partial_parse.label"

# How much of dbt's output a failure carries: enough for the summary block that lists
# each failing node and its error, short enough to read in a pytest report.
_TAIL_LINES = 60


def dbt_executable() -> Path:
    """The dbt of the interpreter running us (the venv's), not whichever is first on PATH."""
    candidate = Path(sys.executable).parent / "dbt"
    if candidate.exists():
        return candidate
    found = shutil.which("dbt")
    if found:
        return Path(found)
    raise FileNotFoundError(f"dbt not found next to {sys.executable} nor on PATH")


@dataclass(frozen=True)
class DbtResult:
    """One finished dbt invocation."""

    args: tuple[str, ...]
    returncode: int
    stdout: str
    stderr: str
    seconds: float

    @property
    def ok(self) -> bool:
        return self.returncode == 0

    def tail(self, lines: int = _TAIL_LINES) -> str:
        """The end of stdout, where dbt prints its summary of failures."""
        out = self.stdout.rstrip().splitlines()
        text = "\n".join(out[-lines:])
        if self.stderr.strip():
            text += "\n--- stderr ---\n" + "\n".join(self.stderr.rstrip().splitlines()[-lines:])
        return text


class DbtError(RuntimeError):
    """dbt exited non-zero; the message holds the command and the tail of its output."""

    def __init__(self, result: DbtResult, target: str) -> None:
        self.result = result
        super().__init__(
            f"`dbt {' '.join(result.args)}` failed on target {target} "
            f"(exit {result.returncode}, {result.seconds:.1f}s):\n{result.tail()}"
        )


@dataclass
class DbtProject:
    """The dbt project bound to one target and its own target/log directories.

    `env_overrides` carries what the profile reads from the environment: for DuckDB
    `DBT_DUCKDB_PATH`, for PostgreSQL the libpq variables (`PgCluster.env()`).
    """

    project_dir: Path
    profiles_dir: Path
    target: str = "duckdb"
    env_overrides: Mapping[str, str] = field(default_factory=dict)
    target_path: Path | None = None
    log_path: Path | None = None
    vars: Mapping[str, Any] = field(default_factory=dict)
    """dbt vars every command gets (the warehouse's schema names); a run's own vars win."""
    shared_parses: Path | None = None
    """A directory of parses shared with other projects of the same settings (see above)."""

    def __post_init__(self) -> None:
        self.project_dir = Path(self.project_dir).resolve()
        self.profiles_dir = Path(self.profiles_dir).resolve()
        # dbt's own defaults, so plain `dbt` and the CLI share one manifest and one log.
        if self.target_path is None:
            self.target_path = self.project_dir / "target"
        if self.log_path is None:
            self.log_path = self.project_dir / "logs"
        self.target_path = Path(self.target_path).resolve()
        self.log_path = Path(self.log_path).resolve()

    def env(self) -> dict[str, str]:
        """The environment a dbt subprocess gets: ours, then the target's settings."""
        env = dict(os.environ)
        env.update(
            {
                "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
                "DBT_TARGET": self.target,
                "DBT_PROFILES_DIR": str(self.profiles_dir),
                "DBT_PROJECT_DIR": str(self.project_dir),
                "DBT_TARGET_PATH": str(self.target_path),
                "DBT_LOG_PATH": str(self.log_path),
                # Plain text: the output ends up in pytest reports and CI logs.
                "DBT_USE_COLORS": "false",
                "DBT_USE_COLORS_FILE": "false",
                "NO_COLOR": "1",
            }
        )
        env.update(self.env_overrides)
        return env

    def run(
        self,
        *args: str,
        vars: Mapping[str, Any] | None = None,  # dbt's own name for it
        check: bool = True,
        timeout: float | None = None,
        on_line: Callable[[str], None] | None = None,
    ) -> DbtResult:
        """Run `dbt <args>`; raise DbtError on a non-zero exit unless `check=False`.

        `on_line` receives each line of dbt's output as dbt prints it (the command line's
        per-node progress); the result holds the whole output either way."""
        cmd = [str(dbt_executable()), *args]
        merged = {**self.vars, **(vars or {})}
        if merged:
            cmd += ["--vars", json.dumps(merged, default=str)]
        parse_key = self._parse_key(merged)
        self._use_saved_parse(parse_key)
        parsed_before = self._parse_stamp()
        started = time.monotonic()
        if on_line is None:
            done = subprocess.run(
                cmd,
                cwd=self.project_dir,
                env=self.env(),
                capture_output=True,
                text=True,
                timeout=timeout,
                check=False,
            )
            returncode, stdout, stderr = done.returncode, done.stdout, done.stderr
        else:
            lines: list[str] = []
            with subprocess.Popen(
                cmd,
                cwd=self.project_dir,
                env=self.env(),
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
                bufsize=1,
            ) as proc:
                assert proc.stdout is not None
                for line in proc.stdout:
                    lines.append(line)
                    on_line(line)
                returncode = proc.wait(timeout=timeout)
            stdout, stderr = "".join(lines), ""
        result = DbtResult(
            args=tuple(cmd[1:]),
            returncode=returncode,
            stdout=stdout,
            stderr=stderr,
            seconds=time.monotonic() - started,
        )
        self._label_parse(parse_key)
        if self._parse_stamp() != parsed_before:
            self._share_parse(parse_key)
        if check and not result.ok:
            raise DbtError(result, self.target)
        return result

    # One saved parse per set of vars (see the module's docstring) ---------------------------
    def _parse_key(self, merged: Mapping[str, Any]) -> str:
        settings = json.dumps(
            [str(self.project_dir), self.target, sorted(self.env_overrides.items()), merged],
            sort_keys=True,
            default=str,
        )
        return hashlib.sha256(settings.encode()).hexdigest()[:16]

    def _current_parse_key(self) -> str | None:
        """The key the parse in the target path was saved under, if it is still that file."""
        assert self.target_path is not None
        current, label = self.target_path / _PARTIAL_PARSE, self.target_path / _PARSE_LABEL
        try:
            key, stamp = label.read_text().split()
            return key if stamp == str(current.stat().st_mtime_ns) else None
        except (OSError, ValueError):
            return None

    def _use_saved_parse(self, key: str) -> None:
        """Put the parse saved under `key` where dbt reads it, keeping the current one."""
        assert self.target_path is not None
        held = self._current_parse_key()
        if key == held:
            return
        current, store = self.target_path / _PARTIAL_PARSE, self.target_path / _PARSES
        saved = store / f"{key}.msgpack"
        try:
            if held is not None and current.exists():
                store.mkdir(parents=True, exist_ok=True)
                os.replace(current, store / f"{held}.msgpack")
            if saved.exists():
                os.replace(saved, current)
            elif self.shared_parses is not None and (self.shared_parses / saved.name).exists():
                shutil.copyfile(self.shared_parses / saved.name, current)
                self._label_parse(key)
        except OSError:
            pass  # a missing parse only costs dbt a full parse

    def _parse_stamp(self) -> int | None:
        assert self.target_path is not None
        try:
            return (self.target_path / _PARTIAL_PARSE).stat().st_mtime_ns
        except OSError:
            return None

    def _share_parse(self, key: str) -> None:
        """Offer the parse dbt just wrote under `key` to the projects sharing `shared_parses`
        (copied under a temporary name, then renamed: a reader never sees half a file)."""
        if self.shared_parses is None:
            return
        assert self.target_path is not None
        try:
            self.shared_parses.mkdir(parents=True, exist_ok=True)
            partial = self.shared_parses / f".{key}.{os.getpid()}.tmp"
            shutil.copyfile(self.target_path / _PARTIAL_PARSE, partial)
            os.replace(partial, self.shared_parses / f"{key}.msgpack")
        except OSError:
            pass

    def _label_parse(self, key: str) -> None:
        """Record that the parse dbt just wrote (or kept) belongs to `key`."""
        assert self.target_path is not None
        current = self.target_path / _PARTIAL_PARSE
        try:
            stamp = current.stat().st_mtime_ns
            (self.target_path / _PARSE_LABEL).write_text(f"{key} {stamp}")
        except OSError:
            pass


def failed_nodes(target_path: str | os.PathLike[str]) -> list[tuple[str, str, str]]:
    """(name, status, message) of every node the last dbt command errored, failed or skipped,
    from its run_results.json; empty when the file is missing or unreadable."""
    path = Path(target_path) / "run_results.json"
    try:
        results = json.loads(path.read_text())["results"]
    except (OSError, ValueError, KeyError):
        return []
    out = []
    for result in results:
        if result.get("status") in ("error", "fail", "skipped", "runtime error"):
            # model.<project>.<name>, test.<project>.<name>.<hash>
            parts = str(result.get("unique_id", "?")).split(".")
            name = parts[2] if len(parts) > 2 else parts[-1]
            message = " ".join(str(result.get("message") or "").split())
            out.append((name, str(result["status"]), message))
    return out


class ProfileMissing(FileNotFoundError):
    """No profiles.yml where dbt would look."""


def ensure_profiles(project_dir: str | os.PathLike[str]) -> Path:
    """Return a directory holding a usable `profiles.yml`, creating one if needed.

    `$DBT_PROFILES_DIR` wins (a user's own setup); then the `profiles.yml` in the project,
    which dbt itself reads first, copied from the checked-in example when missing (ignored by
    git), so that plain `dbt` works in a fresh clone. The example holds no secret: every
    connection detail comes from environment variables.
    """
    env_dir = os.environ.get("DBT_PROFILES_DIR")
    if env_dir:
        if not (Path(env_dir) / "profiles.yml").is_file():
            raise ProfileMissing(
                f"DBT_PROFILES_DIR={env_dir} holds no profiles.yml: copy profiles.yml.example "
                "there (every connection detail in it comes from the environment), or unset "
                "DBT_PROFILES_DIR to use the example as it is"
            )
        return Path(env_dir).resolve()
    project = Path(project_dir).resolve()
    if (project / "profiles.yml").is_file():
        return project
    example = project / "profiles.yml.example"
    if not example.is_file():
        raise ProfileMissing(f"neither profiles.yml nor profiles.yml.example in {project}")
    # Write then rename: concurrent processes never see a half-written file.
    tmp = project / f".profiles.yml.{os.getpid()}"
    shutil.copyfile(example, tmp)
    os.replace(tmp, project / "profiles.yml")
    return project


def query(
    engine: Engine,
    sql: str,
    *,
    duckdb_path: str | os.PathLike[str] | None = None,
    conninfo: str | None = None,
    spark_home: str | os.PathLike[str] | None = None,
    params: Any = None,
) -> list[tuple[Any, ...]]:
    """Run one read query on either engine and return all rows.

    Parameters are written `%s`, as psycopg takes them, on every engine: DuckDB (and Spark's
    files, read through DuckDB) get them as its `?`. DuckDB is opened read-only: a writer
    holding the file (dbt, a notebook) would otherwise block, and a reader must never take
    the write lock from one.
    """
    if params is not None and engine in ("duckdb", "spark"):
        sql = sql.replace("%s", "?")
    if engine == "duckdb":
        import duckdb

        if duckdb_path is None:
            raise ValueError("duckdb_path is required for engine='duckdb'")
        con = duckdb.connect(str(duckdb_path), read_only=True)
        try:
            # duckdb 2.0: fetchall(); fetchone() can leave the connection busy.
            return con.execute(sql, params).fetchall()
        finally:
            con.close()
    if engine == "postgres":
        import psycopg

        if conninfo is None:
            raise ValueError("conninfo is required for engine='postgres'")
        with psycopg.connect(conninfo) as pg:
            return pg.execute(sql, params).fetchall()
    if engine == "spark":
        if spark_home is None:
            raise ValueError("spark_home is required for engine='spark'")
        from marketmetrics.spark_files import read_spark_tables

        return read_spark_tables(Path(spark_home), sql, params)
    raise ValueError(f"unknown engine {engine!r}")
