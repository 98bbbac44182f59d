"""SQL functions DuckDB lacks, registered on every connection dbt-duckdb opens.

profiles.yml.example loads this module as a dbt-duckdb plugin:

    duckdb:
      type: duckdb
      plugins:
        - module: marketmetrics.duckdb_functions

- `nfkc_normalize(text)`: Unicode compatibility normalisation (NFKC), which PostgreSQL has as
  `normalize(text, NFKC)` and Spark through ICU. Staging applies it to free text before
  masking contact details, so a full-width `ｍｅ＠ｅｘａｍｐｌｅ．ｃｏｍ` is masked like
  `me@example.com` (macros/staging/cleaning.sql). DuckDB ships NFC only.

Only dbt's connections need it (the builds); readers of the warehouse or its serving copy do
not: no stored value calls it.
"""

from __future__ import annotations

import unicodedata
from typing import Any

import pyarrow as pa
from dbt.adapters.duckdb.plugins import BasePlugin


def nfkc_normalize(values: pa.Array) -> pa.Array:
    """NFKC of each value; ASCII text is its own NFKC and is passed through."""
    return pa.array(
        [
            value if value is None or value.isascii() else unicodedata.normalize("NFKC", value)
            for value in values.to_pylist()
        ],
        type=pa.string(),
    )


def register(connection: Any) -> None:
    """Create the functions on a DuckDB connection (also used by tests outside dbt)."""
    from duckdb.sqltypes import VARCHAR

    connection.create_function(
        "nfkc_normalize",
        nfkc_normalize,
        [VARCHAR],
        VARCHAR,
        type="arrow",
        null_handling="special",
        side_effects=False,
    )


class Plugin(BasePlugin):
    """dbt-duckdb calls configure_connection on every connection it opens."""

    def configure_connection(self, conn: Any) -> None:
        register(conn)
