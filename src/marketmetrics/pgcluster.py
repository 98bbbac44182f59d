"""A throwaway PostgreSQL cluster for tests, benchmarks and local trials.

Why not a system service or pytest-postgresql: the tests must run on a bare CI machine
as root, where `initdb` refuses to run, and must never touch a developer's own server.
So the cluster lives in a temporary directory, listens only on 127.0.0.1 at a free
port, trusts every local connection, skips durability (fsync off: the data is thrown
away anyway) and is stopped and deleted on exit, also when the block raises.

    with PgCluster() as pg:
        psycopg.connect(pg.conninfo)
        subprocess.run(["dbt", "build"], env={**os.environ, **pg.env()})

As root, only the server processes run as the `postgres` user (through `runuser`);
clients connect over TCP and stay root, because a virtualenv under /root is not
readable by another user.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import re
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType

__all__ = ["PgCluster", "PgUnavailable", "find_pg_bin"]

# Settings for a disposable, fast cluster. Durability is pointless for data that is
# deleted on exit; memory is sized for a laptop or a CI runner, not a server.
DEFAULT_SETTINGS: dict[str, str] = {
    "listen_addresses": "127.0.0.1",
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
    "shared_buffers": "256MB",
    "work_mem": "64MB",
    "maintenance_work_mem": "256MB",
    "max_parallel_workers_per_gather": "2",
    "max_connections": "50",
    # Timestamps come back in UTC, as on the DuckDB target (profiles set TimeZone=UTC).
    "timezone": "UTC",
}

_LOG_TAIL_LINES = 40


class PgUnavailable(RuntimeError):
    """PostgreSQL cannot be provided here: binaries missing, or the server did not start."""


def _version_key(path: Path) -> tuple[int, ...]:
    """Sort key for /usr/lib/postgresql/<version>: numeric, so 15 sorts after 9.6."""
    return tuple(int(part) for part in re.findall(r"\d+", path.name)) or (-1,)


def find_pg_bin() -> Path:
    """Locate the directory holding `initdb` and `pg_ctl`.

    Order: `$PG_BIN`, the newest Debian-style /usr/lib/postgresql/*/bin, `pg_config
    --bindir`, then `initdb` on PATH. Debian does not put initdb on PATH, hence the
    explicit search.
    """
    env_bin = os.environ.get("PG_BIN")
    if env_bin:
        path = Path(env_bin)
        if (path / "initdb").is_file():
            return path
        raise PgUnavailable(f"PG_BIN={env_bin} does not contain initdb")

    debian = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: _version_key(p.parent))
    for path in reversed(debian):
        if (path / "initdb").is_file():
            return path

    pg_config = shutil.which("pg_config")
    if pg_config:
        with contextlib.suppress(OSError, subprocess.SubprocessError):
            out = subprocess.run(
                [pg_config, "--bindir"], capture_output=True, text=True, check=True, timeout=10
            ).stdout.strip()
            if out and (Path(out) / "initdb").is_file():
                return Path(out)

    initdb = shutil.which("initdb")
    if initdb:
        return Path(initdb).resolve().parent

    raise PgUnavailable(
        "PostgreSQL server binaries (initdb, pg_ctl) not found: set PG_BIN, or install them "
        "(Debian/Ubuntu: apt-get install postgresql; `make pg-bin` does it when root)"
    )


def _free_port() -> int:
    """A port free on 127.0.0.1 right now; `start` retries if another process grabs it."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class PgCluster:
    """A temporary PostgreSQL cluster, started on enter and destroyed on exit.

    Attributes after start: `host` (127.0.0.1), `port`, `user` (postgres), `dbname`,
    `conninfo` (a libpq string), `env()` (the libpq variables dbt's profile reads) and
    `log_file`, the server log (`pg_ctl -l`: with the logging collector off, its default, every
    backend writes its lines there itself).
    """

    host = "127.0.0.1"
    user = "postgres"

    def __init__(
        self,
        dbname: str = "marketmetrics",
        *,
        pg_bin: str | os.PathLike[str] | None = None,
        base_dir: str | os.PathLike[str] | None = None,
        settings: dict[str, str] | None = None,
        hba: Sequence[str] = (),
        run_as: str = "postgres",
        start_timeout: float = 60.0,
    ) -> None:
        self.dbname = dbname
        self._pg_bin = Path(pg_bin) if pg_bin else None
        self._base_dir = base_dir
        self.settings = {**DEFAULT_SETTINGS, **(settings or {})}
        # pg_hba.conf lines placed before initdb's `trust` rules, so they win: a test that
        # must prove a password login names its roles here (`host all <role> 127.0.0.1/32
        # scram-sha-256`); written before the server starts, so no reload can race a login.
        self.hba = tuple(hba)
        self._run_as = run_as
        self._start_timeout = start_timeout
        self.port: int = 0
        self.root: Path | None = None
        self._running = False

    # -- paths ---------------------------------------------------------------------------

    @property
    def data_dir(self) -> Path:
        return self._require_root() / "data"

    @property
    def socket_dir(self) -> Path:
        return self._require_root() / "sock"

    @property
    def log_file(self) -> Path:
        return self._require_root() / "server.log"

    def _require_root(self) -> Path:
        if self.root is None:
            raise RuntimeError("PgCluster is not started")
        return self.root

    # -- connection details --------------------------------------------------------------

    def conninfo_for(self, dbname: str) -> str:
        """A libpq connection string for another database of this cluster."""
        return f"host={self.host} port={self.port} user={self.user} dbname={dbname}"

    @property
    def conninfo(self) -> str:
        return self.conninfo_for(self.dbname)

    def env(self, dbname: str | None = None) -> dict[str, str]:
        """libpq variables for subprocesses (dbt's profile reads exactly these)."""
        return {
            "PGHOST": self.host,
            "PGPORT": str(self.port),
            "PGUSER": self.user,
            "PGDATABASE": dbname or self.dbname,
            "PGPASSWORD": "",
        }

    # -- lifecycle -----------------------------------------------------------------------

    def __enter__(self) -> PgCluster:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def start(self) -> PgCluster:
        """initdb, start on a free port and create `dbname`; cleans up if any step fails."""
        if self._running:
            return self
        pg_bin = self._pg_bin or find_pg_bin()
        if not (pg_bin / "initdb").is_file() or not (pg_bin / "pg_ctl").is_file():
            raise PgUnavailable(f"{pg_bin} lacks initdb or pg_ctl")
        self._bin = pg_bin
        self._as_other_user = os.geteuid() == 0
        if self._as_other_user and shutil.which("runuser") is None:
            raise PgUnavailable("running as root but `runuser` is missing: cannot drop to postgres")

        self.root = Path(tempfile.mkdtemp(prefix="mm-pg-", dir=self._base_dir))
        atexit.register(self.stop)
        try:
            self.socket_dir.mkdir()
            if self._as_other_user:
                self._chown_to_server_user(self.root)
            self._initdb()
            if self.hba:
                self._prepend_hba(self.hba)
            for attempt in range(3):
                self.port = _free_port()
                if self._pg_ctl_start():
                    break
                if attempt == 2 or "could not bind" not in self._log_tail():
                    raise PgUnavailable(
                        f"PostgreSQL did not start (bin {pg_bin}, port {self.port}).\n"
                        f"Server log tail:\n{self._log_tail()}"
                    )
            self._running = True
            self.create_database(self.dbname)
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        """Stop the server (fast mode, immediate if that hangs) and delete its directory."""
        root = self.root
        if root is None:
            return
        if (root / "data" / "postmaster.pid").exists():
            for mode in ("fast", "immediate"):
                try:
                    done = self._run(
                        [
                            str(self._bin / "pg_ctl"),
                            "stop",
                            "-D",
                            str(root / "data"),
                            "-m",
                            mode,
                            "-w",
                            "-t",
                            "30",
                        ],
                        check=False,
                    )
                except subprocess.TimeoutExpired:
                    continue
                if done.returncode == 0:
                    break
        self._running = False
        shutil.rmtree(root, ignore_errors=True)
        self.root = None
        atexit.unregister(self.stop)

    # -- databases -----------------------------------------------------------------------

    def create_database(self, name: str) -> None:
        """CREATE DATABASE (no-op if it exists): lets each test module own a database."""
        import psycopg
        from psycopg import sql

        with psycopg.connect(self.conninfo_for("postgres"), autocommit=True) as con:
            exists = con.execute("select 1 from pg_database where datname = %s", (name,)).fetchall()
            if not exists:
                con.execute(sql.SQL("create database {}").format(sql.Identifier(name)))

    def drop_database(self, name: str) -> None:
        """DROP DATABASE ... WITH (FORCE): ends leftover sessions instead of failing on them."""
        import psycopg
        from psycopg import sql

        with psycopg.connect(self.conninfo_for("postgres"), autocommit=True) as con:
            con.execute(
                sql.SQL("drop database if exists {} with (force)").format(sql.Identifier(name))
            )

    # -- internals -----------------------------------------------------------------------

    def _chown_to_server_user(self, path: Path) -> None:
        import pwd

        try:
            entry = pwd.getpwnam(self._run_as)
        except KeyError as exc:
            raise PgUnavailable(
                f"running as root needs a `{self._run_as}` user to own the cluster "
                "(the postgresql package creates it; or run as an ordinary user)"
            ) from exc
        os.chown(path, entry.pw_uid, entry.pw_gid)
        for sub in path.rglob("*"):
            os.chown(sub, entry.pw_uid, entry.pw_gid)

    def _run(self, cmd: Sequence[str], *, check: bool = True) -> subprocess.CompletedProcess[str]:
        """Run a server-side command, as the server user when we are root."""
        full = ["runuser", "-u", self._run_as, "--", *cmd] if self._as_other_user else list(cmd)
        env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
        env["LC_ALL"] = "C"
        done = subprocess.run(
            full,
            capture_output=True,
            text=True,
            env=env,
            cwd=str(self.root),  # the server user cannot read root's working directory
            timeout=self._start_timeout + 30,
            check=False,
        )
        if check and done.returncode != 0:
            raise PgUnavailable(
                f"{' '.join(cmd)} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}"
            )
        return done

    def _initdb(self) -> None:
        self._run(
            [
                str(self._bin / "initdb"),
                "-D",
                str(self.data_dir),
                "-A",
                "trust",
                "-U",
                self.user,
                "-E",
                "UTF8",
                "--locale=C",
                "--no-sync",  # nothing here must survive a crash
            ]
        )

    def _prepend_hba(self, lines: Sequence[str]) -> None:
        # Rewriting the file in place keeps its owner and mode (the server user's, 0600).
        path = self.data_dir / "pg_hba.conf"
        path.write_text("".join(f"{line}\n" for line in lines) + path.read_text())

    def _pg_ctl_start(self) -> bool:
        opts = [f"-p {self.port}", f"-k {self.socket_dir}"]
        opts += [f"-c {key}={value}" for key, value in self.settings.items()]
        try:
            done = self._run(
                [
                    str(self._bin / "pg_ctl"),
                    "start",
                    "-D",
                    str(self.data_dir),
                    "-l",
                    str(self.log_file),
                    "-w",
                    "-t",
                    str(int(self._start_timeout)),
                    "-o",
                    " ".join(opts),
                ],
                check=False,
            )
        except subprocess.TimeoutExpired:
            return False
        return done.returncode == 0 and self._accepts_tcp()

    def _accepts_tcp(self) -> bool:
        """pg_ctl -w checks readiness; confirm the TCP listener we advertise is there."""
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError), socket.create_connection((self.host, self.port), 1):
                return True
            time.sleep(0.05)
        return False

    def _log_tail(self) -> str:
        try:
            lines = self.log_file.read_text(errors="replace").splitlines()
        except OSError:
            return "(no server log)"
        return "\n".join(lines[-_LOG_TAIL_LINES:])
