"""Apache Superset as the reference BI tool (`marketmetrics superset`, docs/bi.md): the server.

Superset lives in its own virtualenv (`.venv-superset`, pins in bi/superset/requirements.txt):
its dependencies (Flask, SQLAlchemy 1.4, pandas, ...) never meet dbt's. A `SupersetSite` is one
installation: it creates that virtualenv, writes Superset's configuration, has Superset's own
interpreter run bi/superset/provision.py (which imports the bundle of
marketmetrics.superset.bundle and creates the viewer role), and serves Superset on loopback.

The warehouse is registered read-only: on DuckDB the serving copy (published after every
successful build, no personal columns) opened with `read_only`; on PostgreSQL a login as the
BI role, which dbt's grants let read the marts and metric tables only (docs/access.md).
"""

from __future__ import annotations

import json
import logging
import os
import secrets
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from marketmetrics.catalog import load_catalog
from marketmetrics.project import project_dir
from marketmetrics.superset.bundle import (
    DATABASE_NAME,
    VIEWER_ROLE,
    SupersetError,
    bi_dir,
    build_bundle,
    load_dashboard_spec,
    warehouse_tables,
    write_bundle,
)

if TYPE_CHECKING:
    from marketmetrics.warehouse import Warehouse

__all__ = ["SupersetSite"]

log = logging.getLogger(__name__)

# --- the site: virtualenv, configuration, provisioning, server ---------------------------------


def _default(what: str, in_project: str) -> Path:
    """$MARKETMETRICS_SUPERSET_<what>, else a path in the project."""
    named = os.environ.get(f"MARKETMETRICS_SUPERSET_{what}")
    return Path(named) if named else project_dir() / in_project


def _secret(path: Path, env_name: str) -> str:
    """A secret from the environment, else one generated once and kept (mode 0600)."""
    value = os.environ.get(env_name)
    if value:
        return value
    if path.exists():
        return path.read_text(encoding="utf-8").strip()
    value = secrets.token_urlsafe(24)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.touch(mode=0o600)
    path.write_text(value + "\n", encoding="utf-8")
    return value


@dataclass
class SupersetSite:
    """One Superset installation: its virtualenv, its home (metadata database, config,
    secrets) and the users it provisions."""

    home: Path = field(default_factory=lambda: _default("HOME", "data/superset"))
    venv: Path = field(default_factory=lambda: _default("VENV", ".venv-superset"))
    admin_user: str = "admin"
    viewer_user: str = "viewer"

    def __post_init__(self) -> None:
        # The environment names them unless the caller did.
        self.home, self.venv = Path(self.home).resolve(), Path(self.venv).resolve()

    @property
    def python(self) -> Path:
        return self.venv / "bin" / "python"

    @property
    def config_path(self) -> Path:
        return self.home / "superset_config.py"

    @property
    def admin_password(self) -> str:
        return _secret(self.home / "admin_password", "MARKETMETRICS_SUPERSET_ADMIN_PASSWORD")

    @property
    def viewer_password(self) -> str:
        return _secret(self.home / "viewer_password", "MARKETMETRICS_SUPERSET_VIEWER_PASSWORD")

    def env(self) -> dict[str, str]:
        return {
            **os.environ,
            "SUPERSET_CONFIG_PATH": str(self.config_path),
            "SUPERSET_HOME": str(self.home),
            "FLASK_APP": "superset.app:create_app()",
            "PYTHONWARNINGS": "ignore",
        }

    # The virtualenv ---------------------------------------------------------------------------
    def requirements(self) -> list[str]:
        import duckdb

        pins = [
            line.strip()
            for line in (bi_dir() / "requirements.txt").read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.lstrip().startswith("#")
        ]
        # One DuckDB on both sides: a newer writer's file is unreadable to an older reader.
        return [*pins, f"duckdb=={duckdb.__version__}"]

    def ensure_venv(self) -> None:
        """Create .venv-superset with the pinned requirements (again when they change)."""
        requirements = self.requirements()
        wanted = "\n".join(requirements)
        stamp = self.venv / ".marketmetrics-requirements"
        if self.python.exists() and stamp.exists() and stamp.read_text() == wanted:
            return
        if not self.python.exists():
            log.info("creating Superset's virtualenv %s", self.venv)
            subprocess.run([sys.executable, "-m", "venv", str(self.venv)], check=True)
        log.info("installing Superset into %s (a few minutes the first time)", self.venv)
        subprocess.run(
            [
                str(self.python),
                "-m",
                "pip",
                "install",
                "--disable-pip-version-check",
                "-q",
                *requirements,
            ],
            check=True,
        )
        stamp.write_text(wanted)

    # Configuration ----------------------------------------------------------------------------
    def write_config(self, slug: str = "marketmetrics") -> None:
        """superset_config.py; a viewer who signs in lands on the dashboard `slug`."""
        landing = f"/superset/dashboard/{slug}/"
        self.home.mkdir(parents=True, exist_ok=True)
        os.chmod(self.home, 0o700)
        secret_key = _secret(self.home / "secret_key", "SUPERSET_SECRET_KEY")
        text = f"""# Written by `marketmetrics superset` (src/marketmetrics/superset.py).
SECRET_KEY = {secret_key!r}
SQLALCHEMY_DATABASE_URI = {"sqlite:///" + str(self.home / "superset.db")!r}
# A dashboard's roles decide who sees it, and reach its charts' data through it only.
FEATURE_FLAGS = {{"DASHBOARD_RBAC": True, "ALERT_REPORTS": False}}
# No example data, no outbound calls: this machine reaches no network but loopback.
SUPERSET_WEBSERVER_TIMEOUT = 120
WTF_CSRF_ENABLED = True
# A content security policy that names no outside host: Superset's default lets the page
# load a telemetry pixel and map tiles from the internet; this one keeps the browser on
# this server.
TALISMAN_ENABLED = True
TALISMAN_CONFIG = {{
    "content_security_policy": {{
        "base-uri": ["'self'"],
        "default-src": ["'self'"],
        "img-src": ["'self'", "blob:", "data:"],
        "worker-src": ["'self'", "blob:"],
        "connect-src": ["'self'"],
        "object-src": "'none'",
        "style-src": ["'self'", "'unsafe-inline'"],
        "font-src": ["'self'", "data:"],
        "script-src": ["'self'", "'strict-dynamic'"],
    }},
    "content_security_policy_nonce_in": ["script-src"],
    "force_https": False,
    "session_cookie_secure": False,
}}
PREVENT_UNSAFE_DB_CONNECTIONS = True
RATELIMIT_STORAGE_URI = "memory://"
THUMBNAIL_CACHE_CONFIG = {{"CACHE_TYPE": "NullCache"}}
LOG_LEVEL = "WARNING"


# A signed-in user who is not an admin lands on the dashboard, not on Superset's Home (which
# the viewer may not read: an empty page and a "Forbidden" toast).
def FLASK_APP_MUTATOR(app):
    from flask import redirect, request
    from flask_login import current_user

    @app.before_request
    def _land_on_the_dashboard():
        if request.path.rstrip("/") not in ("", "/superset/welcome"):
            return None
        if not current_user.is_authenticated:
            return None
        if any(role.name == "Admin" for role in current_user.roles):
            return None
        return redirect({landing!r})
"""
        self.config_path.write_text(text, encoding="utf-8")

    def _run(self, argv: list[str], what: str) -> str:
        """Run a program of Superset's venv in its environment; its output, or SupersetError
        with the last lines it printed."""
        done = subprocess.run(argv, env=self.env(), capture_output=True, text=True, check=False)
        if done.returncode:
            tail = "\n".join((done.stderr or done.stdout or "").strip().splitlines()[-20:])
            raise SupersetError(f"{what} failed:\n{tail}")
        return done.stdout

    def superset(self, *args: str) -> None:
        self._run([str(self.venv / "bin" / "superset"), *args], f"superset {' '.join(args)}")

    # Provisioning ------------------------------------------------------------------------------
    def database_config(self, warehouse: Warehouse) -> tuple[dict[str, Any], dict[str, str]]:
        """The database entry of the bundle and its password, if any (never in the YAML)."""
        reader = warehouse.serving()
        if reader.engine == "duckdb":
            assert reader.duckdb_path is not None
            if reader.duckdb_path == warehouse.duckdb_path:
                raise SupersetError(
                    f"{warehouse.describe()} has no serving copy yet: run `marketmetrics "
                    "build` (or `publish`) first; Superset reads the copy, never the builds' file"
                )
            uri = f"duckdb:///{Path(reader.duckdb_path).resolve()}"
            extra = {
                "engine_params": {"connect_args": {"read_only": True}},
                "allows_virtual_table_explore": True,
                "schemas_allowed_for_file_upload": [],
            }
            return {"sqlalchemy_uri": uri, "extra": extra}, {}
        from marketmetrics.roles import role_names
        from marketmetrics.warehouse import PG_DEFAULTS

        def setting(name: str) -> str:
            return os.environ.get(name) or PG_DEFAULTS[name]

        role = role_names().bi
        uri = (
            f"postgresql+psycopg2://{role}@{setting('PGHOST')}:{setting('PGPORT')}/"
            f"{setting('PGDATABASE')}"
        )
        extra = {
            "engine_params": {"connect_args": {"options": "-c default_transaction_read_only=on"}}
        }
        password = os.environ.get("MARKETMETRICS_BI_PASSWORD")
        passwords = {f"databases/{DATABASE_NAME}.yaml": password} if password else {}
        return {"sqlalchemy_uri": uri, "extra": extra}, passwords

    def provision(self, warehouse: Warehouse, spec_path: Path | None = None) -> dict[str, Any]:
        """Install, configure, migrate, import the dashboard and create the viewer."""
        catalog = load_catalog()
        spec = load_dashboard_spec(spec_path, catalog)
        # Reads the warehouse first: a missing serving copy fails before minutes of installing.
        database, passwords = self.database_config(warehouse)
        tables = warehouse_tables(warehouse.serving())
        bundle = write_bundle(
            build_bundle(spec, catalog, tables, database), self.home / "bundle.zip"
        )
        self.ensure_venv()
        self.write_config(spec.slug)
        log.info("migrating Superset's metadata database")
        self.superset("db", "upgrade")
        self.superset("init")
        settings = {
            "bundle": str(bundle),
            "dashboard_uuid": spec.uuid,
            "passwords": passwords,
            "admin": {
                "username": self.admin_user,
                "password": self.admin_password,
                "email": "admin@marketmetrics.invalid",
            },
            "viewer": {
                "username": self.viewer_user,
                "password": self.viewer_password,
                "email": "viewer@marketmetrics.invalid",
                "role": VIEWER_ROLE,
            },
        }
        settings_path = self.home / "provision.json"
        settings_path.touch(mode=0o600)
        settings_path.write_text(json.dumps(settings), encoding="utf-8")
        try:
            out = self._run(
                [str(self.python), str(bi_dir() / "provision.py"), str(settings_path)],
                "importing the Superset dashboard",
            )
        finally:
            settings_path.unlink(missing_ok=True)
        result = json.loads(out.strip().splitlines()[-1])
        log.info(
            "imported dashboard %r (%s charts over %s datasets) for role %s",
            spec.title,
            result["charts"],
            len(tables),
            VIEWER_ROLE,
        )
        return {**result, "slug": spec.slug, "datasets": len(tables)}

    # Serving -----------------------------------------------------------------------------------
    def serve(self, host: str = "127.0.0.1", port: int = 8088) -> subprocess.Popen[bytes]:
        """Start Superset under gunicorn on `host:port` (loopback unless told otherwise)."""
        gunicorn = self.venv / "bin" / "gunicorn"
        if not gunicorn.exists():
            raise SupersetError(
                f"{gunicorn} is missing: run `marketmetrics superset` once to install"
            )
        log_file = open(self.home / "superset.log", "ab")  # noqa: SIM115 (the server keeps it)
        return subprocess.Popen(
            [
                str(gunicorn),
                "--bind",
                f"{host}:{port}",
                "--workers",
                "1",
                "--worker-class",
                "gthread",
                "--threads",
                "8",
                "--timeout",
                "120",
                "superset.app:create_app()",
            ],
            env=self.env(),
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )

    @staticmethod
    def wait_until_up(
        url: str, process: subprocess.Popen[bytes] | None = None, timeout: float = 180
    ) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if process is not None and process.poll() is not None:
                raise SupersetError(f"Superset exited with status {process.returncode}")
            try:
                with urllib.request.urlopen(f"{url}/health", timeout=5) as response:
                    if response.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(1)
        raise SupersetError(f"Superset did not answer on {url} within {timeout:.0f}s")

    def remove(self) -> None:
        shutil.rmtree(self.home, ignore_errors=True)
