{#- Write-audit-publish: makes a staging table a child of the audit (audit_row_reconciliation),
    so that when one of the audit's tests fails `dbt build` skips the staging table and every
    mart, metric table and snapshot after it, and readers keep the last good ones. Called at
    the top of every stg_ model; the ref in the comment is what dbt's DAG sees. -#}
{% macro audit_gate() -%}
    -- depends_on: {{ ref('audit_row_reconciliation') }}
{%- endmacro %}


{#- A current row that a check across tables holds back (audit_held_rows) is not staged: it
    is counted there, as held_rows of the reconciliation. `key_column` is the stg_ model's
    qualified key, e.g. `refunds.refund_id`. -#}
{% macro not_held(table_name, key_column) -%}
    not exists (
            select 1
            from {{ ref('audit_held_rows') }} as held
            where
                held.source_table = '{{ table_name }}'
                and held.record_id = {{ key_column }}
        )
{%- endmacro %}
