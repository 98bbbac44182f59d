"""The raw source contract as data (docs/raw_contract.md).

The contract is the dbt sources' YAML (`models/staging/<domain>/_<domain>__sources.yml`): a
source table whose meta names its `kind` is a contract table, and each of its columns carries
a logical `data_type` and, in its meta, its personal-data class (`pii`), its accepted values
and its length bound. dbt's macros read it from the graph; Python reads the same files here,
for the generator (what to write), the loader (the DDL on each engine) and the tests. Types
are logical: each engine maps them.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, TypeVar

from marketmetrics.project import project_dir, read_yaml

K = TypeVar("K")
V = TypeVar("V")

Kind = Literal["entity", "event"]
LogicalType = Literal["bigint", "int", "text", "timestamptz", "boolean", "numeric"]
# What a column says about a person (the sources' YAML, docs/access.md).
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


def contract_files(project: Path) -> list[Path]:
    """The sources' YAML files of the project, in path order."""
    return sorted((project / "models").rglob("_*__sources.yml"))


def load_contract(
    project: Path | None = None,
) -> tuple[dict[str, Table], dict[tuple[str, str], tuple[str, ...]]]:
    """The contract tables and their enumerations, from the project's sources YAML."""
    tables: dict[str, Table] = {}
    enums: dict[tuple[str, str], tuple[str, ...]] = {}
    for path in contract_files(project or project_dir()):
        document = read_yaml(path) or {}
        for source in document.get("sources") or ():
            for table in source.get("tables") or ():
                meta = (table.get("config") or {}).get("meta") or table.get("meta") or {}
                if "kind" not in meta:
                    continue
                name = table["name"]
                columns: dict[str, LogicalType] = {}
                pii: dict[str, Pii] = {}
                max_lengths: dict[str, int] = {}
                for column in table.get("columns") or ():
                    column_name = column["name"]
                    if column_name.startswith("_"):
                        continue  # the replicator's columns, implied by `kind`
                    column_meta = (column.get("config") or {}).get("meta") or {}
                    if column_meta.get("pii") not in PII_CLASSES:
                        raise ValueError(
                            f"{path}: {name}.{column_name} has pii {column_meta.get('pii')!r}, "
                            f"expected one of {', '.join(PII_CLASSES)}"
                        )
                    columns[column_name] = column["data_type"]
                    pii[column_name] = column_meta["pii"]
                    if column_meta.get("max_length"):
                        max_lengths[column_name] = int(column_meta["max_length"])
                    if column_meta.get("accepted_values"):
                        enums[(name, column_name)] = tuple(column_meta["accepted_values"])
                tables[name] = Table(
                    name=name,
                    kind=meta["kind"],
                    key=meta["key"],
                    domain=meta["domain"],
                    source=source["name"],
                    columns=columns,
                    pii=pii,
                    max_lengths=max_lengths,
                )
    return tables, enums


class _Lazy(Mapping[K, V]):
    """One half of the project's contract, read on first use (importing the package reads no
    project file)."""

    def __init__(self, part: int) -> None:
        self._part = part

    def _data(self) -> Mapping[K, V]:
        return _contract()[self._part]  # type: ignore[return-value]

    def __getitem__(self, key: K) -> V:
        return self._data()[key]

    def __iter__(self) -> Iterator[K]:
        return iter(self._data())

    def __len__(self) -> int:
        return len(self._data())


_LOADED: dict[Path, tuple[dict[str, Table], dict[tuple[str, str], tuple[str, ...]]]] = {}


def _contract() -> tuple[dict[str, Table], dict[tuple[str, str], tuple[str, ...]]]:
    project = project_dir()
    if project not in _LOADED:
        _LOADED[project] = load_contract(project)
    return _LOADED[project]


# The raw tables and the contract's enumerations of the project in use.
TABLES: Mapping[str, Table] = _Lazy(0)
ENUMS: Mapping[tuple[str, str], tuple[str, ...]] = _Lazy(1)
