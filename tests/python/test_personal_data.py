"""Personal data classified once, masked everywhere, on both engines.

The foundation fixture plus a table of tricky values typed into every free-text column of the
raw contract (search queries, NPS comments, product, category and seller names, API
endpoints): Korean and full-width e-mail addresses, Korean mobile and landline numbers (with
an area code in parentheses), international numbers, IPv4 and IPv6 addresses, control
characters. Each one is asserted masked, to the character, in staging and in the marts; then
no published value of any reader table holds a contact detail; readers (the BI role on
PostgreSQL, the serving copy on DuckDB) see exactly the columns the classification publishes,
never a pseudonym; and text longer than the contract's bound is quarantined.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

import pytest

from fixtures.foundation_raw import _rows, contract_tables
from marketmetrics.contract import PERSONAL, TABLES

# (raw text, what readers see)
TRICKY: tuple[tuple[str, str], ...] = (
    ("문의: 홍길동@회사.한국 으로", "문의: [email] 으로"),
    ("ｍｅ＠ｅｘａｍｐｌｅ．ｃｏｍ 연락", "[email] 연락"),
    ("홍길동＠회사．한국", "[email]"),
    ("me\u200b@example.com", "[email]"),
    ("서울 (02) 312-4567 대표", "서울 [phone] 대표"),
    ("010-1234-5678", "[phone]"),
    ("０１０－１２３４－５６７８", "[phone]"),
    ("홍길동 01012345678", "홍길동 [phone]"),
    ("010\u00a01234\u00a05678", "[phone]"),
    ("+82 10 1234 5678", "[phone]"),
    ("+1 (555) 123-4567", "[phone]"),
    ("IP 192.168.0.1 차단", "IP [ip] 차단"),
    ("/v1/hosts/10.0.0.12/status", "/v1/hosts/[ip]/status"),
    ("fe80::1ff:fe23:4567:890a 접속", "[ip] 접속"),
    ("line one\nall clear\tok\x1b[31m", "line one all clear ok [31m"),
    ("call 010 1234 5678 or me@x.io", "call [phone] or [email]"),
    ("Galaxy S24 Ultra 256GB", "Galaxy S24 Ultra 256GB"),
)
FIRST_KEY = 1000  # the tricky rows' keys: FIRST_KEY, FIRST_KEY + 1, ...

# (raw table, key, free-text column, a valid row of the foundation to copy, staged model and
# column, the mart and column readers see, or None when it stays in staging)
FREE_TEXT: tuple[tuple[str, str, str, int, str, str, str | None], ...] = (
    ("search_logs", "search_id", "query", 1, "stg_search_logs", "query", "marts.fct_searches"),
    ("nps_responses", "response_id", "comment", 1, "stg_nps_responses", "comment_text", None),
    ("products", "product_id", "name", 1, "stg_products", "product_name", "marts.dim_products"),
    (
        "categories",
        "category_id",
        "name",
        1,
        "stg_categories",
        "category_name",
        "marts.dim_categories",
    ),
    (
        "sellers",
        "seller_id",
        "business_name",
        1,
        "stg_sellers",
        "business_name",
        "marts.dim_sellers",
    ),
    (
        "api_request_logs",
        "request_id",
        "endpoint",
        1,
        "stg_api_request_logs",
        "endpoint",
        "marts.fct_api_requests",
    ),
)
MART_COLUMNS = {
    "marts.fct_searches": "query",
    "marts.dim_products": "product_name",
    "marts.dim_categories": "category_name",
    "marts.dim_sellers": "business_name",
    "marts.fct_api_requests": "endpoint",
}
# (table, key, column, length): one value at the bound (kept), one past it (quarantined)
BOUNDS = (
    ("search_logs", "search_id", "query", 500),
    ("web_events", "event_id", "session_id", 128),
    ("categories", "category_id", "name", 100),
)
BOUND_KEY = 2000
# A gateway the contract does not list: a forged line, an endless name (table, key, column).
FORGED_KEY = 3000
FORGED = (
    ("payments", "payment_id", "pg_provider", "kcp\n:white_check_mark: all clear"),
    ("api_request_logs", "request_id", "upstream_provider", "kcp" * 400),
)


def _template(rows: list[dict[str, Any]], key: str, value: int) -> dict[str, Any]:
    """The last row of the foundation with this key (its newest version)."""
    return [row for row in rows if row[key] == value][-1]


def _raw() -> dict[str, Any]:
    rows = _rows()
    for table, key, column, template_key, *_ in FREE_TEXT:
        template = _template(rows[table], key, template_key)
        for i, (text, _) in enumerate(TRICKY):
            rows[table].append({**template, key: FIRST_KEY + i, column: text})
    for table, key, column, length in BOUNDS:
        template = next(row for row in rows[table] if row[key] == 1)
        rows[table].append({**template, key: BOUND_KEY, column: "가" * length})
        rows[table].append({**template, key: BOUND_KEY + 1, column: "가" * (length + 1)})
    for table, key, column, value in FORGED:
        template = next(row for row in rows[table] if row[key] == 1)
        rows[table].append({**template, key: FORGED_KEY, column: value})
    return contract_tables(rows)


@pytest.fixture(scope="module")
def built(warehouse):
    warehouse.load(_raw())
    warehouse.dbt.run("build", "--exclude-resource-type", "unit_test")
    return warehouse


@pytest.mark.parametrize("table,key,column,_,staged,staged_column,mart", FREE_TEXT)
def test_each_tricky_value_is_masked_in_staging_and_the_marts(
    built, table, key, column, _, staged, staged_column, mart
):
    keys = f"{key} between {FIRST_KEY} and {FIRST_KEY + len(TRICKY) - 1}"
    expected = [(FIRST_KEY + i, masked) for i, (_, masked) in enumerate(TRICKY)]
    got = built.query(
        f"select {key}, {staged_column} from staging.{staged} where {keys} order by 1"
    )
    assert got == expected
    if mart:
        got = built.query(f"select {key}, {MART_COLUMNS[mart]} from {mart} where {keys} order by 1")
        assert got == expected


def test_text_past_its_bound_is_quarantined_and_at_its_bound_kept(built):
    quarantined = built.query(
        "select source_table, record_key, reject_reason from audit.audit_quarantine "
        "where reject_reason like 'too_long_%' order by 1"
    )
    assert quarantined == [
        ("categories", str(BOUND_KEY + 1), "too_long_name"),
        ("search_logs", str(BOUND_KEY + 1), "too_long_query"),
        ("web_events", str(BOUND_KEY + 1), "too_long_session_id"),
    ]
    assert built.query(
        f"select length(query) from staging.stg_search_logs where search_id = {BOUND_KEY}"
    ) == [(500,)]
    assert built.query(
        f"select length(category_name) from staging.stg_categories where category_id = {BOUND_KEY}"
    ) == [(100,)]


def test_a_gateway_outside_the_contract_is_quarantined(built):
    assert built.query(
        "select source_table, record_key, reject_reason from audit.audit_quarantine "
        f"where record_key = '{FORGED_KEY}' order by 1"
    ) == [
        ("api_request_logs", str(FORGED_KEY), "invalid_upstream_provider"),
        ("payments", str(FORGED_KEY), "invalid_pg_provider"),
    ]


# What a contact detail looks like to a reader, whatever escaped the masks (NFKC first).
LEAKS = (
    re.compile(r"[^\s@]+@[^\s@]+\.[^\s@]+"),
    re.compile(r"\b\d{1,3}(\.\d{1,3}){3}\b"),
    re.compile(r"[0-9A-Fa-f]{1,4}(:[0-9A-Fa-f]{1,4})*::[0-9A-Fa-f]{1,4}"),
    re.compile(r"01[016789][-. ]?\d{3,4}[-. ]?\d{4}"),
    re.compile(r"\(0\d{1,2}\)\s?\d{3,4}"),
    re.compile(r"\+\d{1,3}[ (-]*\d{2,}[ )-]*\d{3,4}"),
)


def _leaks(value: str) -> bool:
    text = unicodedata.normalize("NFKC", value)
    return any(pattern.search(text) for pattern in LEAKS)


def test_the_leak_detector_sees_every_tricky_value():
    """The scan below could not pass by missing what it looks for."""
    assert [raw for raw, masked in TRICKY if not _leaks(raw) and raw != masked] == [
        "line one\nall clear\tok\x1b[31m"
    ]
    assert not any(_leaks(masked) for _, masked in TRICKY)


def _published(warehouse) -> dict[tuple[str, str], list[str]]:
    """Every reader table's columns but those the classification keeps from readers."""
    personal = set(
        warehouse.query(
            "select relation_schema, relation_name, column_name from audit.audit_reader_columns "
            "where not is_published"
        )
    )
    out: dict[tuple[str, str], list[str]] = {}
    for schema, table, column in warehouse.query(
        "select table_schema, table_name, column_name from information_schema.columns "
        "where table_schema in ('marts', 'metrics') order by 1, 2, 3"
    ):
        if (schema, table, column) not in personal:
            out.setdefault((schema, table), []).append(column)
    return out


def test_no_published_value_of_any_reader_table_holds_a_contact_detail(built):
    text_types = ("character varying", "text", "VARCHAR")
    scanned = 0
    for (schema, table), columns in _published(built).items():
        types = dict(
            built.query(
                "select column_name, data_type from information_schema.columns "
                f"where table_schema = '{schema}' and table_name = '{table}'"
            )
        )
        for column in columns:
            if types.get(column) not in text_types:
                continue
            values = built.query(f'select distinct "{column}" from "{schema}"."{table}"')
            leaked = [v for (v,) in values if v is not None and _leaks(v)]
            assert not leaked, (schema, table, column, leaked[:3])
            scanned += 1
    assert scanned >= 30, scanned


def test_the_pseudonyms_are_classified_and_never_published(built):
    listed = {
        (schema, table, column): (pii, published)
        for schema, table, column, pii, published in built.query(
            "select relation_schema, relation_name, column_name, pii, is_published "
            "from audit.audit_reader_columns"
        )
    }
    columns = built.query(
        "select table_schema, table_name, column_name from information_schema.columns "
        "where table_schema in ('marts', 'metrics')"
    )
    personal = {key: pii for key, (pii, published) in listed.items() if not published}
    assert personal == {
        ("marts", "dim_customers", "email_hash"): "contact",
        ("marts", "fct_auth_events", "ip_hash"): "network_address",
        ("marts", "fct_suspicious_ip_days", "ip_hash"): "network_address",
    }
    assert all(pii in PERSONAL for pii in personal.values())
    # A pseudonym is never left unclassified.
    assert not [key for key in columns if key[2].endswith("_hash") and key not in personal]


def test_readers_see_the_published_columns_only(built):
    published = _published(built)
    assert ("marts", "dim_customers") in published
    assert "email_hash" not in published[("marts", "dim_customers")]
    if built.engine == "duckdb":
        from marketmetrics.serving import publish

        copy = publish(built.spec).path
        import duckdb

        con = duckdb.connect(str(copy), read_only=True)
        try:
            seen: dict[tuple[str, str], list[str]] = {}
            for schema, table, column in con.execute(
                "select table_schema, table_name, column_name from information_schema.columns "
                "where table_schema <> 'main' order by 1, 2, 3"
            ).fetchall():
                seen.setdefault((schema, table), []).append(column)
        finally:
            con.close()
        assert seen == published
        return

    import psycopg

    from marketmetrics.roles import role_names

    reader = re.sub(r"user=\S+", f"user={role_names().bi}", built.conninfo)
    with psycopg.connect(reader, autocommit=True) as con:
        # What the BI role may select, column by column, on every reader table.
        seen = {}
        for schema, table in published:
            for (column,) in con.execute(
                "select column_name from information_schema.column_privileges "
                "where table_schema = %s and table_name = %s and privilege_type = 'SELECT' "
                "and grantee = %s order by 1",
                [schema, table, role_names().bi],
            ).fetchall():
                seen.setdefault((schema, table), []).append(column)
        assert seen == published
        assert con.execute("select count(customer_id) from marts.dim_customers").fetchall()
        for table, column in (
            ("dim_customers", "email_hash"),
            ("fct_auth_events", "ip_hash"),
            ("fct_suspicious_ip_days", "ip_hash"),
        ):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                con.execute(f"select {column} from marts.{table} limit 1")


def test_every_raw_column_carries_its_class():
    classes = {(name, c): t.pii[c] for name, t in TABLES.items() for c in t.columns}
    assert len(classes) == sum(len(t.columns) for t in TABLES.values())
    assert {key for key, pii in classes.items() if pii != "none"} == {
        ("customers", "email"),
        ("customers", "phone"),
        ("customers", "name"),
        ("nps_responses", "comment"),
        ("auth_events", "ip_address"),
        ("sellers", "business_name"),
        ("sellers", "email"),
        ("categories", "name"),
        ("products", "name"),
        ("search_logs", "query"),
        ("api_request_logs", "endpoint"),
    }
    free_text = {(t, c) for (t, c), pii in classes.items() if pii == "free_text"}
    assert free_text == {(table, column) for table, _, column, *_ in FREE_TEXT}
