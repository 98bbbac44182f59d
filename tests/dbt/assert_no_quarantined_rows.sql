{#- Reports the quarantine: warns with one row per raw table and reason while rows wait there.
    A warning, not an error: bad rows are expected in replicated data, and losing none of them
    is what the reconciliation tests enforce. -#}
{{ config(severity='warn') }}

select
    source_table,
    reject_reason,
    count(*) as quarantined_rows
from {{ ref('audit_quarantine') }}
group by source_table, reject_reason
