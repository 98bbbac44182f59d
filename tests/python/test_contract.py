"""The raw contract exists once (catalog/raw_contract.yml): Python reads it, dbt reads the
macro generated from it, and the dbt sources declare exactly its tables."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from marketmetrics.contract import (
    CONTRACT_MACRO_PATH,
    CONTRACT_PATH,
    ENUMS,
    TABLES,
    render_contract_macro,
)

REPO_ROOT = Path(__file__).resolve().parents[2]


def test_committed_contract_macro_matches_the_contract_yaml():
    assert CONTRACT_MACRO_PATH.read_text(encoding="utf-8") == render_contract_macro(), (
        "macros/contract/raw_contract.sql is stale: run `marketmetrics catalog`"
    )


def test_the_contract_has_its_17_tables_and_their_enumerations():
    assert len(TABLES) == 17
    assert TABLES["orders"].key == "order_id" and TABLES["orders"].kind == "entity"
    assert TABLES["orders"].all_columns["_is_deleted"] == "boolean"
    assert "_is_deleted" not in TABLES["web_events"].all_columns
    assert ENUMS[("orders", "status")] == ("created", "paid", "cancelled", "confirmed")
    for table, column in ENUMS:
        assert column in TABLES[table].columns, (table, column)


def test_the_dbt_sources_declare_exactly_the_contract_tables():
    declared: dict[str, str] = {}
    for path in (REPO_ROOT / "models" / "staging").glob("*/_*__sources.yml"):
        for source in yaml.safe_load(path.read_text(encoding="utf-8"))["sources"]:
            for table in source.get("tables") or []:
                declared[table["name"]] = source["name"]
    assert declared == {name: table.source for name, table in TABLES.items()}


def test_the_contract_refuses_jinja_it_would_break(tmp_path):
    broken = tmp_path / "contract.yml"
    broken.write_text(CONTRACT_PATH.read_text() + "# {{ oops }}\n")
    with pytest.raises(ValueError, match="Jinja delimiter"):
        render_contract_macro(broken)


def test_the_dbt_sources_document_exactly_the_contract_columns_once():
    for path in (REPO_ROOT / "models" / "staging").glob("*/_*__sources.yml"):
        for source in yaml.safe_load(path.read_text(encoding="utf-8"))["sources"]:
            for table in source.get("tables") or []:
                names = [column["name"] for column in table.get("columns") or []]
                assert len(names) == len(set(names)), (path.name, table["name"])
                assert set(names) == set(TABLES[table["name"]].all_columns), (
                    path.name,
                    table["name"],
                )
