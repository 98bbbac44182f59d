"""No secret reaches a log: with PostgreSQL logging every statement and every bind parameter
(`log_statement = all`, as auditing often requires), setting both role passwords, installing
the pseudonym key and building the staging models that compute pseudonyms leave neither a
clear password nor the key, nor either of HMAC's padded keys, in the server log, dbt's log or
any file under dbt's target directory.

The cluster is this module's own: the session's cluster logs no statements, and here two
roles must log in with a password over scram (pg_hba), as in production. Everything runs the
way an operator runs it: `marketmetrics roles` as the DBA (twice, the second time changing
both passwords), `marketmetrics pii-key` and dbt as the transformer, logging in with its
password.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest
from psycopg import sql

from conftest import REPO_ROOT, _in_ci
from fixtures.foundation_raw import raw_tables
from marketmetrics import pii
from marketmetrics.cli import main
from marketmetrics.dbt_runner import DbtProject
from marketmetrics.loader import load_tables
from marketmetrics.pgcluster import PgCluster, PgUnavailable
from marketmetrics.roles import role_names
from marketmetrics.warehouse import Warehouse as WarehouseSpec

pytestmark = pytest.mark.postgres

BASES = ("base_customers", "base_sellers", "base_auth_events")

# Every statement, with its duration and every bind parameter in full: a secret sent in a
# statement or as a parameter cannot escape this log, truncated or not.
AUDIT_LOGGING = {
    "log_statement": "all",
    "log_min_duration_statement": "0",
    "log_parameter_max_length": "-1",
    "log_parameter_max_length_on_error": "-1",
}


@dataclass
class Audited:
    cluster: PgCluster
    dbt: DbtProject
    transformer: str
    bi: str
    # Each role's password of the first `roles` run, then of the second (the current one).
    first: dict[str, str]
    current: dict[str, str]
    key: bytes

    def login(self, role: str, password: str | None) -> psycopg.Connection:
        """A TCP login as `role`, which pg_hba answers with scram (keywords beat conninfo)."""
        return psycopg.connect(
            self.cluster.conninfo, user=role, password=password or "", autocommit=True
        )


def _env(cluster: PgCluster, user: str, password: str = "") -> dict[str, str]:
    return {**cluster.env(), "PGUSER": user, "PGPASSWORD": password}


@pytest.fixture(scope="module")
def audited(tmp_path_factory: pytest.TempPathFactory, profiles_dir: Path) -> Iterator[Audited]:
    roles = role_names()
    try:
        cluster = PgCluster(
            settings=AUDIT_LOGGING,
            # The project's roles log in with a password only; the DBA (postgres) is trusted.
            hba=[f"host all {roles.transformer},{roles.bi} 127.0.0.1/32 scram-sha-256"],
        ).start()
    except PgUnavailable as exc:
        if _in_ci():
            pytest.fail(f"PostgreSQL is required in CI: {exc}", pytrace=False)
        pytest.skip(f"PostgreSQL unavailable: {exc}")
    work = tmp_path_factory.mktemp("secrets")
    # Fresh random secrets: a needle below cannot match anything by chance, nor anything left
    # by an earlier run.
    audited = Audited(
        cluster=cluster,
        dbt=DbtProject(
            project_dir=REPO_ROOT,
            profiles_dir=profiles_dir,
            target="postgres",
            target_path=work / "target",
            log_path=work / "logs",
        ),
        transformer=roles.transformer,
        bi=roles.bi,
        first={role: secrets.token_urlsafe(18) for role in (roles.transformer, roles.bi)},
        current={role: secrets.token_urlsafe(18) for role in (roles.transformer, roles.bi)},
        key=secrets.token_urlsafe(24).encode(),
    )
    try:
        # The replicator's raw tables exist before the roles, as `roles` grants on them.
        load_tables(raw_tables(), WarehouseSpec(engine="postgres", conninfo=cluster.conninfo))
        with pytest.MonkeyPatch.context() as mp:
            for name, value in _env(cluster, "postgres").items():
                mp.setenv(name, value)
            # First run creates the roles, the second alters them: both statements are tried.
            for passwords in (audited.first, audited.current):
                mp.setenv("MARKETMETRICS_TRANSFORMER_PASSWORD", passwords[roles.transformer])
                mp.setenv("MARKETMETRICS_BI_PASSWORD", passwords[roles.bi])
                assert main(["roles"]) == 0
        with pytest.MonkeyPatch.context() as mp:
            transformer_env = _env(cluster, roles.transformer, audited.current[roles.transformer])
            for name, value in transformer_env.items():
                mp.setenv(name, value)
            mp.setenv(pii.KEY_ENV, audited.key.decode())
            assert main(["pii-key", "--target", "postgres"]) == 0
        audited.dbt.env_overrides = transformer_env
        # Cautious: the tests of these models only, not one that also reads a model left unbuilt.
        audited.dbt.run("build", "--select", *BASES, "--indirect-selection", "cautious")
        yield audited
    finally:
        cluster.stop()


def _server_log(cluster: PgCluster) -> bytes:
    """The server log once every statement before this call is in it: backends write their
    lines to it themselves (no logging collector), so a marker statement logged is a barrier."""
    with psycopg.connect(cluster.conninfo, autocommit=True) as con:
        assert con.execute("show logging_collector").fetchall() == [("off",)]
        marker = f"log barrier {uuid.uuid4()}"
        con.execute(sql.SQL("select {}").format(sql.Literal(marker)))
    deadline = time.monotonic() + 10
    while True:
        text = cluster.log_file.read_bytes()
        if marker.encode() in text or time.monotonic() > deadline:
            assert marker.encode() in text, f"the marker never reached {cluster.log_file}"
            return text


def _forms(name: str, secret: bytes) -> dict[str, bytes]:
    """How a secret could be written down: itself, as hex either case, as PostgreSQL's bytea
    text, in base64 (JSON artefacts)."""
    return {
        name: secret,
        f"{name} as hex": secret.hex().encode(),
        f"{name} as HEX": secret.hex().upper().encode(),
        f"{name} as bytea text": b"\\x" + secret.hex().encode(),
        f"{name} as base64": base64.b64encode(secret),
    }


def test_role_passwords_are_scram_verifiers_and_the_clear_password_logs_in(audited):
    with psycopg.connect(audited.cluster.conninfo, autocommit=True) as dba:
        stored = dict(
            dba.execute(
                "select rolname, rolpassword from pg_authid where rolname in (%s, %s)",
                [audited.transformer, audited.bi],
            ).fetchall()
        )
    assert set(stored) == {audited.transformer, audited.bi}
    server_log = _server_log(audited.cluster)
    for role, verifier in stored.items():
        # SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>
        assert re.fullmatch(
            r"SCRAM-SHA-256\$4096:[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+", verifier
        )
        # The second `roles` run sent exactly what the server stores: the verifier was computed
        # by the client (a server hashing a clear password would store a different string).
        statement = (
            f'alter role "{role}" login nosuperuser nocreatedb nocreaterole noinherit '
            f"password '{verifier}'"
        )
        assert statement.encode() in server_log
        with audited.login(role, audited.current[role]) as con:
            assert con.execute("select current_user").fetchall() == [(role,)]
        # pg_hba asks these roles for a password: the first (replaced) one and none are refused.
        with pytest.raises(psycopg.OperationalError, match="password authentication failed"):
            audited.login(role, audited.first[role])
        with pytest.raises(psycopg.OperationalError, match="no password supplied"):
            audited.login(role, None)


def test_the_installed_key_gives_pythons_pseudonyms(audited):
    with psycopg.connect(audited.cluster.conninfo, autocommit=True) as dba:
        installed = dba.execute(
            "select key_id, inner_pad, outer_pad, installed_at is not null from private.pii_key"
        ).fetchall()
        emails = dba.execute(
            "select distinct email_hash from staging.base_customers where customer_id = 1"
        ).fetchall()
    padded = pii.pads(audited.key)
    assert installed == [(padded.key_id, padded.inner, padded.outer, True)]
    assert emails == [(hmac.new(audited.key, b"kim@example.com", hashlib.sha256).hexdigest(),)]


def test_no_secret_in_the_server_log_dbt_log_or_target(audited):
    padded = pii.pads(audited.key)
    needles: dict[str, bytes] = {}
    for passwords, which in ((audited.first, "first"), (audited.current, "current")):
        for role, password in passwords.items():
            needles[f"{which} password of {role}"] = password.encode()
    needles.update(_forms("key", audited.key))
    # What XOR-ing the inner pad with 0x36 gives: the key, zero-padded to sha256's block.
    needles.update(_forms("key xor-ed back", bytes(b ^ 0x36 for b in padded.inner)))
    needles.update(_forms("inner pad", padded.inner))
    needles.update(_forms("outer pad", padded.outer))

    server_log = _server_log(audited.cluster)
    # The log really holds what was done, so an empty or unrelated log cannot pass.
    for logged in (
        f'create role "{audited.transformer}"',
        f'alter role "{audited.bi}"',
        '"private".pii_key',  # what installed the key, INSERT or COPY
        "from private.pii_key",
        'create  table "marketmetrics"."staging"."base_customers',
    ):
        assert logged.encode() in server_log, logged

    files: dict[str, bytes] = {str(audited.cluster.log_file): server_log}
    assert audited.dbt.target_path is not None and audited.dbt.log_path is not None
    for folder in (audited.dbt.target_path, audited.dbt.log_path):
        for path in sorted(Path(folder).rglob("*")):
            if path.is_file():
                files[str(path)] = path.read_bytes()
    assert any(name.endswith("dbt.log") for name in files)
    assert any(name.endswith("manifest.json") for name in files)
    assert any(name.endswith("base_customers.sql") for name in files)

    leaks = [
        f"{name}: {label}"
        for name, text in files.items()
        for label, needle in needles.items()
        if needle in text
    ]
    assert leaks == [], "secrets found:\n" + "\n".join(leaks)
