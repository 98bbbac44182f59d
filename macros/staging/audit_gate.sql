{#- Write-audit-publish: makes a staging table a child of the audit (audit_row_reconciliation),
    so that when one of the audit's tests fails `dbt build` skips the staging table and every
    mart, metric table and snapshot after it, and readers keep the last good ones. Called at
    the top of every stg_ model; the ref in the comment is what dbt's DAG sees. -#}
{% macro audit_gate() -%}
    -- depends_on: {{ ref('audit_row_reconciliation') }}
{%- endmacro %}
