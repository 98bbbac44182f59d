"""Pseudonyms that hold: e-mail and IP addresses are HMAC-SHA256 under the installed key on both
engines, the key reaches no artefact or log, the BI role cannot read it, a development build
without a key uses the public development key, and the production target refuses to build
without a real one.

Expected pseudonyms are computed here by Python's own `hmac`, independently of the SQL.
"""

from __future__ import annotations

import hashlib
import hmac
import re

import pytest

from conftest import TEST_PII_KEY, open_warehouse
from fixtures.foundation_raw import raw_tables

BASES = ("base_customers", "base_sellers", "base_auth_events")


def _hmac(key: bytes, text: str) -> str:
    return hmac.new(key, text.encode(), hashlib.sha256).hexdigest()


@pytest.fixture(scope="module")
def staged(warehouse):
    warehouse.load(raw_tables())
    warehouse.dbt.run("run", "--select", *BASES)
    return warehouse


def test_pseudonyms_are_hmac_sha256_under_the_key(staged):
    emails = dict(
        staged.query(
            "select distinct customer_id, email_hash from staging.base_customers "
            "where customer_id in (1, 3)"
        )
    )
    # Customer 1 is kim@example.com in every version; customer 3 is "  Park@Example.com ",
    # trimmed and lower-cased before hashing.
    assert emails == {
        1: _hmac(TEST_PII_KEY, "kim@example.com"),
        3: _hmac(TEST_PII_KEY, "park@example.com"),
    }
    ips = {row[0] for row in staged.query("select ip_hash from staging.base_auth_events")}
    assert ips == {_hmac(TEST_PII_KEY, "10.0.0.1"), _hmac(TEST_PII_KEY, "10.0.0.2")}
    sellers = {row[0] for row in staged.query("select email_hash from staging.base_sellers")}
    assert _hmac(TEST_PII_KEY, "s1@example.com") in sellers
    # Not the unkeyed md5 the first version stored.
    assert hashlib.md5(b"kim@example.com").hexdigest() not in emails.values()


def test_the_key_is_in_no_compiled_sql_artefact_or_log(staged):
    staged.dbt.run("compile", "--select", *BASES)
    secret = TEST_PII_KEY.decode()
    looked_at = 0
    for folder in (staged.dbt.target_path, staged.dbt.log_path):
        for path in folder.rglob("*"):
            if path.is_file():
                looked_at += 1
                assert secret not in path.read_text(errors="replace"), path
    compiled = next(staged.dbt.target_path.rglob("base_customers.sql")).read_text()
    assert "private.pii_key" in compiled
    assert looked_at > 5  # manifest, run results, compiled and run SQL, dbt.log


def test_the_bi_role_cannot_read_the_key(staged):
    if staged.engine != "postgres":
        pytest.skip("DuckDB has no roles: the key stays in the 0600 warehouse (test_serving)")
    import psycopg

    from marketmetrics.roles import role_names

    reader = re.sub(r"user=\S+", f"user={role_names().bi}", staged.conninfo)
    with (
        psycopg.connect(reader, autocommit=True) as con,
        pytest.raises(psycopg.errors.InsufficientPrivilege),
    ):
        con.execute("select key_id from private.pii_key")


def test_the_production_target_refuses_without_a_real_key(staged):
    if staged.engine != "postgres":
        pytest.skip("the production target is PostgreSQL")
    staged.execute("delete from private.pii_key")
    missing = staged.dbt.run("run", "--select", "base_customers", check=False)
    assert not missing.ok
    assert "no pseudonym key on the production target postgres" in missing.stdout
    staged.execute(
        "insert into private.pii_key values ('development', decode(repeat('36', 64), 'hex'), "
        "decode(repeat('5c', 64), 'hex'), now())"
    )
    public = staged.dbt.run("run", "--select", "base_customers", check=False)
    assert not public.ok
    assert "holds the public development pseudonym key" in public.stdout
    from marketmetrics.pii import install_key

    install_key(staged.spec, key=TEST_PII_KEY)
    assert staged.dbt.run("run", "--select", "base_customers", check=False).ok


def test_a_development_build_without_a_key_uses_the_public_development_key(
    request, tmp_path_factory, profiles_dir
):
    with open_warehouse(
        "duckdb", request, tmp_path_factory, profiles_dir, install_key=False
    ) as warehouse:
        warehouse.load(raw_tables())
        result = warehouse.dbt.run("run", "--select", "base_customers")
        assert "uses the public development key" in result.stdout
        assert warehouse.query("select key_id from private.pii_key") == [("development",)]
        (kim,) = warehouse.query(
            "select distinct email_hash from staging.base_customers where customer_id = 1"
        )[0]
        assert kim == _hmac(b"", "kim@example.com")
