"""replicate(): the raw tables as the replicator had landed them by an instant.

History tables are sorted by `_synced_at`, so "everything synced by as_of" is a
zero-copy slice: replaying the warehouse one sync cycle at a time is cheap.
"""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np
import pyarrow as pa

from marketmetrics.generator.history import History


def replicate(history: History, as_of: datetime | None = None) -> dict[str, pa.Table]:
    """One table per raw table, contract columns in contract order, rows with
    `_synced_at <= as_of` (None: every row). A naive as_of is taken as UTC."""
    if as_of is None:
        return dict(history.tables)
    if as_of.tzinfo is None:
        as_of = as_of.replace(tzinfo=UTC)
    delta = as_of - datetime(1970, 1, 1, tzinfo=UTC)
    cutoff = (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds
    return {
        name: table.slice(0, int(np.searchsorted(history.synced_us[name], cutoff, side="right")))
        for name, table in history.tables.items()
    }
