"""Replicators that land naive UTC timestamps: staging must give the same instants.

On PostgreSQL the database's session time zone is set to Seoul first, so a conversion that
leaned on the session time zone would shift every instant by nine hours.
"""

from __future__ import annotations

from datetime import datetime

from fixtures.foundation_raw import EXPECTED_FATES, raw_tables


def test_naive_utc_raw_gives_the_same_staging(warehouse):
    if warehouse.engine == "postgres":
        dbname = warehouse.env["PGDATABASE"]
        warehouse.execute(f"alter database {dbname} set timezone to 'Asia/Seoul'")
    warehouse.load(raw_tables(), naive_timestamps=True)
    types = warehouse.query(
        "select data_type from information_schema.columns "
        "where table_schema = 'raw' and table_name = 'orders' and column_name = 'ordered_at'"
    )
    assert types[0][0].lower() in {"timestamp", "timestamp without time zone"}

    warehouse.dbt.run("build", "--select", "staging", "audit")

    orders = warehouse.query(
        "select order_id, ordered_at, paid_at, _synced_at from staging.stg_orders order by order_id"
    )
    assert orders == [
        (
            1,
            datetime(2026, 3, 1, 15, 30),
            datetime(2026, 3, 1, 15, 32),
            datetime(2026, 3, 2, 15, 30),
        ),
        (4, datetime(2026, 3, 1, 15, 30), None, datetime(2026, 3, 1, 15, 32)),
    ]
    fates = warehouse.query(
        "select source_table, current_rows, quarantined_rows, unaccounted_rows "
        "from audit.audit_row_reconciliation"
    )
    assert {r[0]: r[1:] for r in fates} == {t: (f[0], f[4], 0) for t, f in EXPECTED_FATES.items()}
