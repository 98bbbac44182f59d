"""A sentence a person can act on for a warehouse that cannot be opened (the CLI's exit 3)."""

from __future__ import annotations

import os
import re

from marketmetrics.warehouse import PG_DEFAULTS, Warehouse, serving_path_for

__all__ = ["explain_connection_error"]


def explain_connection_error(exc: Exception, duckdb_path: str | None) -> str | None:
    # The argument, not a resolved Warehouse: resolving may be what failed.
    """A sentence a person can act on for a warehouse that cannot be opened, else None."""
    kind = type(exc).__module__.split(".")[0].lstrip("_")
    text = str(exc)
    if kind == "duckdb" and ("lock" in text.lower() or "conflicting" in text.lower()):
        path = Warehouse.resolve("duckdb", duckdb_path=duckdb_path).duckdb_path
        assert path is not None
        holder = re.search(r"held in (.+?) \(PID (\d+)\)", text)
        who = (
            f"process {holder.group(2)} ({holder.group(1)})"
            if holder
            else "another process (a build, a notebook or a BI tool)"
        )
        return (
            f"the DuckDB file {path} is in use by {who}, which holds it open for writing; "
            "close it or wait for the build to end, then retry. Readers (BI tools, notebooks) "
            f"should open the serving copy {serving_path_for(path)} read-only instead."
        )
    if kind == "psycopg" and type(exc).__name__ in ("OperationalError", "InterfaceError"):
        host = os.environ.get("PGHOST") or PG_DEFAULTS["PGHOST"]
        port = os.environ.get("PGPORT") or PG_DEFAULTS["PGPORT"]
        database = os.environ.get("PGDATABASE") or PG_DEFAULTS["PGDATABASE"]
        user = os.environ.get("PGUSER") or PG_DEFAULTS["PGUSER"]
        first_line = text.strip().splitlines()[0] if text.strip() else type(exc).__name__
        lowered = text.lower()
        if (
            "authentication failed" in lowered
            or "no password supplied" in lowered
            or ("role" in lowered and "does not exist" in lowered)
        ):
            return (
                f"PostgreSQL on {host}:{port} refused the login as {user!r} ({first_line}); "
                "check PGUSER and PGPASSWORD (or ~/.pgpass). `marketmetrics roles`, run by a "
                "DBA, creates the project's transformer and BI roles (docs/access.md)."
            )
        if "database" in lowered and "does not exist" in lowered:
            return (
                f"PostgreSQL on {host}:{port} has no database {database!r}; create it "
                "(createdb) or set PGDATABASE to the warehouse's database."
            )
        return (
            f"cannot reach PostgreSQL database {database!r} on {host}:{port} "
            f"({first_line}); check that the server is up and PGHOST, PGPORT, PGUSER, "
            "PGDATABASE (and PGPASSWORD or ~/.pgpass) point at it."
        )
    return None
