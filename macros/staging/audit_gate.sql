{#- Write-audit-publish: makes a staging table a child of the audit (audit_row_reconciliation),
    so that when one of the audit's tests fails `dbt build` skips the staging table and every
    mart, metric table and snapshot after it, and readers keep the last good ones. Called at
    the top of every stg_ model; the ref in the comment is what dbt's DAG sees.

    Example: {{ audit_gate() }}
      renders  -- depends_on: "<database>"."audit"."audit_row_reconciliation" -#}
{% macro audit_gate() -%}
    -- depends_on: {{ ref('audit_row_reconciliation') }}
{%- endmacro %}


{#- A current row that a check across tables holds back (audit_held_rows) is not staged: it
    is counted there, as held_rows of the reconciliation. `key_column` is the stg_ model's
    qualified key, e.g. `refunds.refund_id`. A boolean expression.

    Example: where {{ not_held('refunds', 'refunds.refund_id') }}
      renders  where not exists (
                   select 1
                   from <audit.audit_held_rows> as held
                   where held.source_table = 'refunds' and held.record_id = refunds.refund_id) -#}
{% macro not_held(table_name, key_column) -%}
    not exists (
            select 1
            from {{ ref('audit_held_rows') }} as held
            where
                held.source_table = '{{ table_name }}'
                and held.record_id = {{ key_column }}
        )
{%- endmacro %}


{#- Pre-hook of the relations the snapshots read (int_<entity>s_for_snapshot): they are rebuilt
    only in a run whose audit passed, so a snapshot, whenever and however it runs (the sync
    job, the weekly full refresh, a bare `dbt snapshot`, the snapshot step without tests, a
    `--select`), reads the last audited state and never closes history on a broken replica.

    `dbt build` already skips these models when an audit test fails; this also covers runs
    without tests and runs that do not rebuild the audit. It refuses, with one sentence,
    when audit_row_reconciliation was not rebuilt by this very run (`audited_at` is this run's
    clock) or when any of its checks fails. Renders to nothing when the model may be built.

    Example: {{ config(materialized='table', pre_hook="{{ refuse_unless_audited() }}") }}
             -- depends_on: {{ ref('audit_row_reconciliation') }}
      renders  nothing after an audit of this run that passed; else the model stops with, e.g.,
               "int_orders_for_snapshot was not rebuilt and the snapshots keep the last audited
               state, because the audit failed: orders shrank to 10 rows from 300 at the last
               accepted build (see <audit_row_reconciliation>)" -#}
{% macro refuse_unless_audited() -%}
    {%- if execute -%}
        {%- set audit = ref('audit_row_reconciliation') -%}
        {%- set checked -%}
            select
                source_table,
                raw_rows,
                baseline_raw_rows,
                unaccounted_rows,
                quarantined_rows,
                quarantine_within_limit,
                volume_accepted,
                case when audited_at = {{ build_clock() }} then 1 else 0 end as audited_by_this_run
            from {{ audit }}
            order by source_table
        {%- endset -%}
        {%- set rows = run_query(checked).rows -%}
        {%- set problems = [] -%}
        {%- set audited = namespace(by_this_run=0) -%}
        {%- for row in rows -%}
            {%- set audited.by_this_run = audited.by_this_run + row['audited_by_this_run'] -%}
            {%- if not row['volume_accepted'] -%}
                {%- do problems.append(row['source_table'] ~ ' shrank to ' ~ row['raw_rows']
                    ~ ' rows from ' ~ row['baseline_raw_rows'] ~ ' at the last accepted build') -%}
            {%- elif row['unaccounted_rows'] != 0 -%}
                {%- do problems.append(row['source_table'] ~ ' has ' ~ row['unaccounted_rows']
                    ~ ' raw rows unaccounted for') -%}
            {%- elif not row['quarantine_within_limit'] -%}
                {%- do problems.append(row['source_table'] ~ ' has ' ~ row['quarantined_rows']
                    ~ ' of ' ~ row['raw_rows'] ~ ' rows quarantined') -%}
            {%- endif -%}
        {%- endfor -%}
        {%- if rows | length == 0 or audited.by_this_run != rows | length -%}
            {{ exceptions.raise_compiler_error(
                model.name ~ ' is rebuilt only in the run that audits its rows, so that'
                ~ ' snapshots read audited rows only: run `dbt build --select +' ~ model.name
                ~ '` or the sync job; the snapshots keep the last audited state') }}
        {%- elif problems -%}
            {{ exceptions.raise_compiler_error(
                model.name ~ ' was not rebuilt and the snapshots keep the last audited state,'
                ~ ' because the audit failed: ' ~ problems | join('; ')
                ~ ' (see ' ~ audit ~ ')') }}
        {%- endif -%}
    {%- endif -%}
{%- endmacro %}


{#- Pre-hook of every base model: a raw table whose latest volume check was rejected
    (audit_raw_volumes: it shrank beyond `raw_shrink_tolerance`) is not re-classified, so a
    truncated replica never replaces a good base table, even in a run without tests or with
    `--full-refresh`; once the replica is whole again the next run carries on from the last
    good state. The base models depend on audit_raw_volumes, so a run that builds both counts
    the table first. Renders to nothing when the model may be built.

    Example: {{ config(pre_hook="{{ refuse_shrunken_raw_table('orders') }}") }}
      renders  nothing while the latest volume check of orders is accepted; else base_orders
               stops with "base_orders was not rebuilt and keeps its last good rows: the raw
               table orders shrank to 10 rows from 300 at the last accepted build (...)" -#}
{% macro refuse_shrunken_raw_table(table_name) -%}
    {%- if execute -%}
        {%- set volumes = ref('audit_raw_volumes') -%}
        {%- if adapter.get_relation(volumes.database, volumes.schema, volumes.identifier) is not none -%}
            {%- set latest -%}
                select raw_rows, baseline_raw_rows, volume_accepted
                from {{ volumes }}
                where
                    source_table = '{{ table_name }}'
                    and checked_at = (
                        select max(checked_at) from {{ volumes }}
                        where source_table = '{{ table_name }}'
                    )
            {%- endset -%}
            {%- for row in run_query(latest).rows if not row['volume_accepted'] -%}
                {{ exceptions.raise_compiler_error(
                    model.name ~ ' was not rebuilt and keeps its last good rows: the raw table '
                    ~ table_name ~ ' shrank to ' ~ row['raw_rows'] ~ ' rows from '
                    ~ row['baseline_raw_rows'] ~ ' at the last accepted build (' ~ volumes
                    ~ '); restore the replica, or accept its new size once with'
                    ~ " --vars '{raw_shrink_tolerance: 1}'") }}
            {%- endfor -%}
        {%- endif -%}
    {%- endif -%}
{%- endmacro %}
