"""The raw contract exists once, as the dbt sources' YAML: Python reads the files, dbt reads its
graph of them, and both see the same tables, columns, types, classes and enumerations."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from marketmetrics.contract import ENUMS, TABLES, load_contract

REPO_ROOT = Path(__file__).resolve().parents[2]


def test_the_contract_has_its_17_tables_and_their_enumerations():
    assert len(TABLES) == 17
    assert TABLES["orders"].key == "order_id" and TABLES["orders"].kind == "entity"
    assert TABLES["orders"].all_columns["_is_deleted"] == "boolean"
    assert "_is_deleted" not in TABLES["web_events"].all_columns
    assert ENUMS[("orders", "status")] == ("created", "paid", "cancelled", "confirmed")
    for table, column in ENUMS:
        assert column in TABLES[table].columns, (table, column)


def test_dbt_reads_the_same_contract_as_python(parsed_manifest):
    """The manifest's sources (what the macros read from dbt's graph) against Python's reading."""
    seen: dict[str, dict] = {}
    for node in parsed_manifest["sources"].values():
        meta = node["config"].get("meta") or node.get("meta") or {}
        if "kind" not in meta:
            continue
        columns = {
            name: (
                column["data_type"],
                column["config"]["meta"].get("pii"),
                tuple(column["config"]["meta"].get("accepted_values") or ()),
                column["config"]["meta"].get("max_length"),
            )
            for name, column in node["columns"].items()
            if not name.startswith("_")
        }
        replicated = [name for name in node["columns"] if name.startswith("_")]
        seen[node["name"]] = {
            "kind": meta["kind"],
            "key": meta["key"],
            "source": node["source_name"],
            "columns": columns,
            "replicated": replicated,
        }
    expected = {
        name: {
            "kind": table.kind,
            "key": table.key,
            "source": table.source,
            "columns": {
                column: (
                    logical,
                    table.pii[column],
                    ENUMS.get((name, column), ()),
                    table.max_lengths.get(column),
                )
                for column, logical in table.columns.items()
            },
            "replicated": [c for c in table.all_columns if c.startswith("_")],
        }
        for name, table in TABLES.items()
    }
    assert seen == expected


def test_a_column_without_its_class_is_refused(tmp_path):
    project = tmp_path / "project"
    shutil.copytree(REPO_ROOT / "models" / "staging", project / "models" / "staging")
    path = project / "models" / "staging" / "orders" / "_orders__sources.yml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("meta: {pii: none}", "meta: {}", 1), encoding="utf-8")
    with pytest.raises(ValueError, match=r"orders\.order_id has pii None, expected one of"):
        load_contract(project)


@pytest.fixture(scope="module")
def parsed_manifest(tmp_path_factory, profiles_dir):
    from marketmetrics.dbt_runner import DbtProject

    work = tmp_path_factory.mktemp("contract")
    dbt = DbtProject(
        project_dir=REPO_ROOT,
        profiles_dir=profiles_dir,
        target="duckdb",
        env_overrides={"DBT_DUCKDB_PATH": str(work / "parse.duckdb")},
        target_path=work / "target",
        log_path=work / "logs",
    )
    dbt.run("parse")
    return json.loads((work / "target" / "manifest.json").read_text(encoding="utf-8"))
