"""PostgreSQL roles for least privilege (`marketmetrics roles`, docs/access.md).

Two roles, named from the environment, no password in the repository:

- the transformer (MARKETMETRICS_TRANSFORMER_ROLE, default `marketmetrics_transformer`):
  what dbt and the loader log in as. It may create schemas in the database and read the raw
  schema; it is not a superuser and owns only what it builds.
- the BI reader (MARKETMETRICS_BI_ROLE, default `marketmetrics_bi`): what BI tools log in as.
  It may connect, and dbt's `grants` (dbt_project.yml) give it `select` on the marts, the
  metric tables and the alert feed, and nothing else: not raw, staging, intermediate, audit,
  reference data or snapshots. The schemas' `usage` comes from an on-run-end hook
  (macros/grant_reader_schemas.sql).

Passwords come from MARKETMETRICS_TRANSFORMER_PASSWORD and MARKETMETRICS_BI_PASSWORD when set,
and reach the server only as SCRAM-SHA-256 verifiers computed here, never in clear (a server
logging statements would keep a clear one: tests/python/test_secrets.py). Without them the
roles are created without a password (certificate, peer or a password set by the DBA later).
Run once per database by a role that may create roles (a DBA); it is idempotent.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import psycopg


@dataclass(frozen=True)
class Roles:
    transformer: str
    bi: str


def role_names() -> Roles:
    return Roles(
        transformer=os.environ.get("MARKETMETRICS_TRANSFORMER_ROLE") or "marketmetrics_transformer",
        bi=os.environ.get("MARKETMETRICS_BI_ROLE") or "marketmetrics_bi",
    )


def scram_verifier(con: psycopg.Connection[Any], role: str, password: str) -> str:
    """The SCRAM-SHA-256 verifier of `password` for `role`, computed by libpq in this process
    (PQencryptPasswordConn). PostgreSQL stores a verifier it is given as it is, so the clear
    password never travels to the server, where `log_statement` would write it to the log."""
    verifier = con.pgconn.encrypt_password(password.encode(), role.encode(), b"scram-sha-256")
    return verifier.decode("ascii")


def setup_roles(conninfo: str, raw_schema: str = "raw", roles: Roles | None = None) -> Roles:
    """Create or update both roles and their privileges on the connected database."""
    import psycopg
    from psycopg import sql

    roles = roles or role_names()
    passwords = {
        roles.transformer: os.environ.get("MARKETMETRICS_TRANSFORMER_PASSWORD"),
        roles.bi: os.environ.get("MARKETMETRICS_BI_PASSWORD"),
    }
    with psycopg.connect(conninfo, autocommit=True) as con:
        database = con.execute("select current_database()").fetchall()[0][0]
        for role, password in passwords.items():
            exists = con.execute("select 1 from pg_roles where rolname = %s", [role]).fetchall()
            verb = "alter" if exists else "create"
            statement = sql.SQL(
                "{} role {} login nosuperuser nocreatedb nocreaterole noinherit"
            ).format(sql.SQL(verb), sql.Identifier(role))
            if password:
                statement = sql.SQL("{} password {}").format(
                    statement, sql.Literal(scram_verifier(con, role, password))
                )
            con.execute(statement)
        db = sql.Identifier(database)
        transformer, bi = sql.Identifier(roles.transformer), sql.Identifier(roles.bi)
        con.execute(
            sql.SQL("grant connect, create, temporary on database {} to {}").format(db, transformer)
        )
        con.execute(sql.SQL("grant connect on database {} to {}").format(db, bi))
        # Nobody else creates objects in public (PostgreSQL 15's default, made explicit).
        con.execute("revoke create on schema public from public")
        raw = sql.Identifier(raw_schema)
        has_raw = con.execute(
            "select 1 from pg_namespace where nspname = %s", [raw_schema]
        ).fetchall()
        if has_raw:
            con.execute(sql.SQL("grant usage on schema {} to {}").format(raw, transformer))
            con.execute(
                sql.SQL("grant select on all tables in schema {} to {}").format(raw, transformer)
            )
            # Tables the replicator (the role running this) creates later are readable too.
            con.execute(
                sql.SQL(
                    "alter default privileges in schema {} grant select on tables to {}"
                ).format(raw, transformer)
            )
    return roles
