"""The raw source contract as data (docs/raw_contract.md).

One definition of the 17 raw tables, `catalog/raw_contract.yml`, serves the generator (what to
write), the loader (the DDL on each engine), the tests and, through the macro generated from
it (`render_contract_macro`), dbt's staging models. Types are logical: each engine maps them.
Every column carries its personal-data class (`Pii`), which decides what readers may see.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import yaml

from marketmetrics.yaml_macro import write_if_changed, yaml_macro

Kind = Literal["entity", "event"]
LogicalType = Literal["bigint", "int", "text", "timestamptz", "boolean", "numeric"]
# What a column says about a person (catalog/raw_contract.yml, docs/access.md).
Pii = Literal["identifier", "contact", "network_address", "free_text", "none"]
PII_CLASSES: tuple[str, ...] = ("identifier", "contact", "network_address", "free_text", "none")
# Classes readers (the BI role, the serving copy) never get, in clear or as a pseudonym.
PERSONAL: frozenset[str] = frozenset({"identifier", "contact", "network_address"})

# Logical type -> column type on each engine. `numeric(9,3)` because a bare `numeric`
# is DECIMAL(18,3) on DuckDB but unbounded on PostgreSQL.
ENGINE_TYPES: dict[str, dict[LogicalType, str]] = {
    "duckdb": {
        "bigint": "BIGINT",
        "int": "INTEGER",
        "text": "VARCHAR",
        "timestamptz": "TIMESTAMPTZ",
        "boolean": "BOOLEAN",
        "numeric": "DECIMAL(9,3)",
    },
    "postgres": {
        "bigint": "bigint",
        "int": "integer",
        "text": "text",
        "timestamptz": "timestamptz",
        "boolean": "boolean",
        "numeric": "numeric(9,3)",
    },
    "spark": {
        "bigint": "BIGINT",
        "int": "INT",
        "text": "STRING",
        "timestamptz": "TIMESTAMP",
        "boolean": "BOOLEAN",
        "numeric": "DECIMAL(9,3)",
    },
}


@dataclass(frozen=True)
class Table:
    name: str
    kind: Kind
    key: str
    domain: str
    source: str = ""
    columns: dict[str, LogicalType] = field(default_factory=dict)
    pii: dict[str, Pii] = field(default_factory=dict)
    max_lengths: dict[str, int] = field(default_factory=dict)

    @property
    def all_columns(self) -> dict[str, LogicalType]:
        """Business columns plus the replicator's columns, in load order."""
        cols = dict(self.columns)
        if self.kind == "entity":
            cols["_is_deleted"] = "boolean"
        cols["_synced_at"] = "timestamptz"
        return cols


CONTRACT_PATH = Path(__file__).resolve().parents[2] / "catalog" / "raw_contract.yml"
CONTRACT_MACRO_PATH = (
    Path(__file__).resolve().parents[2] / "macros" / "contract" / "raw_contract.sql"
)


def _load(
    path: Path = CONTRACT_PATH,
) -> tuple[dict[str, Table], dict[tuple[str, str], tuple[str, ...]]]:
    spec = yaml.safe_load(path.read_text(encoding="utf-8"))
    tables: dict[str, Table] = {}
    enums: dict[tuple[str, str], tuple[str, ...]] = {}
    for name, table in spec["tables"].items():
        columns = table["columns"]
        for column, column_spec in columns.items():
            if column_spec.get("pii") not in PII_CLASSES:
                raise ValueError(
                    f"{path}: {name}.{column} has pii {column_spec.get('pii')!r}, "
                    f"expected one of {', '.join(PII_CLASSES)}"
                )
        tables[name] = Table(
            name=name,
            kind=table["kind"],
            key=table["key"],
            domain=table["domain"],
            source=table["source"],
            columns={column: c["type"] for column, c in columns.items()},
            pii={column: c["pii"] for column, c in columns.items()},
            max_lengths={
                c_name: c["max_length"] for c_name, c in columns.items() if "max_length" in c
            },
        )
        for column, column_spec in columns.items():
            if column_spec.get("accepted_values"):
                enums[(name, column)] = tuple(column_spec["accepted_values"])
    return tables, enums


# The 17 raw tables and the contract's enumerations, from catalog/raw_contract.yml.
TABLES, ENUMS = _load()


def render_contract_macro(path: Path = CONTRACT_PATH) -> str:
    """macros/contract/raw_contract.sql: the contract's text for dbt, which cannot read a file."""
    return yaml_macro(
        path,
        "raw_contract_yaml",
        header=(
            "{#- GENERATED from catalog/raw_contract.yml by `marketmetrics catalog` (and every\n"
            "    `marketmetrics build`): do not edit, edit the YAML.\n"
            "    tests/python/test_contract.py fails when this file is stale. The helpers that\n"
            "    read it (raw_enum, raw_tables) are in\n"
            "    macros/contract/raw_contract_helpers.sql. -#}"
        ),
    )


def write_contract_macro(path: Path = CONTRACT_PATH) -> bool:
    """Refresh the generated macro; True when it changed."""
    return write_if_changed(CONTRACT_MACRO_PATH, render_contract_macro(path))
