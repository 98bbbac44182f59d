"""The pseudonym key: HMAC-SHA256 of e-mail and IP addresses (docs/access.md).

The key comes from the MARKETMETRICS_PII_KEY environment variable and is installed by Python
(`marketmetrics pii-key`, and before every `marketmetrics build`) into one restricted
relation, `<private schema>.pii_key`. dbt reads it from there with a scalar subquery
(macros/staging/pii_key.sql), so the key is never a dbt var: it appears in no compiled SQL,
no `manifest.json` and no `dbt.log`. On PostgreSQL the pads travel as COPY data, never in a
statement or a bind parameter, so a server logging every statement (`log_statement = all`)
logs neither (tests/python/test_secrets.py).

What the relation holds is not the key itself but HMAC's two padded keys, `K xor ipad` and
`K xor opad` (RFC 2104), so SQL computes `sha256(outer || sha256(inner || message))` with
each engine's built-in sha256 over bytes and no XOR in SQL. The result equals Python's
`hmac.new(key, message, sha256)` exactly (`pseudonym` below, used by the tests).

On PostgreSQL the private schema belongs to the transformer and is granted to nobody; on
DuckDB it lives in the warehouse file (mode 0600) and is never published to the serving copy.
Without an installed key, a development build uses the public development key (the empty key)
and says so; a build on the production target refuses (var `require_pii_key`).
"""

from __future__ import annotations

import hashlib
import hmac
import os
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from marketmetrics.warehouse import Warehouse

KEY_ENV = "MARKETMETRICS_PII_KEY"
DEFAULT_SCHEMA = "private"
_BLOCK = 64  # sha256's block size in bytes


class MissingKey(RuntimeError):
    """MARKETMETRICS_PII_KEY is not set."""


@dataclass(frozen=True)
class Pads:
    inner: bytes
    outer: bytes
    key_id: str


def pads(key: bytes) -> Pads:
    """HMAC-SHA256's padded keys for `key`, and a key id that does not reveal it."""
    if len(key) > _BLOCK:
        key = hashlib.sha256(key).digest()
    key = key.ljust(_BLOCK, b"\0")
    key_id = hmac.new(key.rstrip(b"\0"), b"marketmetrics key id", hashlib.sha256).hexdigest()
    return Pads(
        inner=bytes(b ^ 0x36 for b in key),
        outer=bytes(b ^ 0x5C for b in key),
        key_id=f"key-{key_id[:12]}",
    )


def pseudonym(key: bytes, value: str | None) -> str | None:
    """What the warehouse stores for `value`: HMAC-SHA256 of the trimmed, lower-cased text."""
    if value is None or not value.strip():
        return None
    return hmac.new(key, value.strip().lower().encode(), hashlib.sha256).hexdigest()


def key_from_env() -> bytes:
    key = os.environ.get(KEY_ENV)
    if not key:
        raise MissingKey(
            f"{KEY_ENV} is not set: give the pseudonym key (a long random secret, for example "
            "`openssl rand -hex 32`) in the environment"
        )
    return key.encode()


def install_key(warehouse: Warehouse, key: bytes | None = None) -> str:
    """Replace the installed key with `key` (default: from the environment) in the
    warehouse's private schema; its key id."""
    padded = pads(key if key is not None else key_from_env())
    schema = warehouse.schemas.private
    if warehouse.engine == "duckdb":
        import duckdb

        assert warehouse.duckdb_path is not None
        con = duckdb.connect(str(warehouse.duckdb_path))
        try:
            con.execute(f"create schema if not exists {schema}")
            con.execute(
                f"create table if not exists {schema}.pii_key (key_id varchar, inner_pad blob, "
                "outer_pad blob, installed_at timestamp with time zone)"
            )
            con.execute("begin")
            con.execute(f"delete from {schema}.pii_key")
            con.execute(
                f"insert into {schema}.pii_key values (?, ?, ?, now())",
                [padded.key_id, padded.inner, padded.outer],
            )
            con.execute("commit")
        finally:
            con.close()
        return padded.key_id

    import psycopg
    from psycopg import sql

    assert warehouse.conninfo is not None
    name = sql.Identifier(schema)
    with psycopg.connect(warehouse.conninfo) as pg:
        pg.execute(sql.SQL("create schema if not exists {}").format(name))
        # Nobody but the owner (the transformer) may read it, whatever defaults say.
        pg.execute(sql.SQL("revoke all on schema {} from public").format(name))
        pg.execute(
            sql.SQL(
                "create table if not exists {}.pii_key (key_id text, inner_pad bytea, "
                "outer_pad bytea, installed_at timestamptz)"
            ).format(name)
        )
        pg.execute(sql.SQL("delete from {}.pii_key").format(name))
        # COPY, not INSERT: rows sent by COPY are data, which the server never writes to its
        # log, whereas statements and their bind parameters are written in full under
        # `log_statement = all`, and the inner pad XOR 0x36 is the key. Binary, because a row
        # that fails a text COPY is quoted in the error's CONTEXT line, pads and all.
        with pg.cursor() as cur:
            copy_in = sql.SQL(
                "copy {}.pii_key (key_id, inner_pad, outer_pad) from stdin (format binary)"
            ).format(name)
            with cur.copy(copy_in) as copy:
                copy.set_types(["text", "bytea", "bytea"])
                copy.write_row((padded.key_id, padded.inner, padded.outer))
        # The server's clock, as before (the one row is the one just copied).
        pg.execute(sql.SQL("update {}.pii_key set installed_at = now()").format(name))
    return padded.key_id
