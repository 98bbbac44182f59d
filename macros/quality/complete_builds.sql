{#- The builds that left the whole warehouse current: what a later sync compares the raw tables
    with, to run only what their new rows reach (marketmetrics.jobs.sync_arguments,
    docs/scheduling.md).

    A build is complete when it ran the whole project (no selector, or the selector sync,
    weekly or ci, and no --select or --exclude; or the sync job, var `sync_job`, which may select only
    what the touched raw tables reach), every node succeeded (a warning is a success; an error, a failed
    test or a skipped node is not) and audit_raw_volumes counted the raw tables in it. The raw
    counts of such a build (audit_raw_volumes, `checked_at` = its start) are then counts the
    warehouse is current with: a raw table that still holds as many rows has nothing new
    (raw tables only grow: audit_raw_volumes stops a run on a shrunken one).

    Example: {{ complete_builds_relation() }}   returns audit.dbt_complete_builds -#}
{% macro complete_builds_relation() -%}
    {{ return(run_record_relation('dbt_complete_builds')) }}
{%- endmacro %}


{#- Create the table when missing: called by ensure_test_results_table (on-run-start), whose
    commit keeps it.

    Example: {% do ensure_complete_builds_table() %}
      runs     create table if not exists audit.dbt_complete_builds
                   (invocation_id varchar, run_started_at timestamp)   (Spark: ... using parquet) -#}
{% macro ensure_complete_builds_table() -%}
    {%- set relation = complete_builds_relation() -%}
    {%- do run_query('create table if not exists ' ~ relation ~ ' (invocation_id '
        ~ dbt.type_string() ~ ', run_started_at ' ~ dbt.type_timestamp() ~ ')'
        ~ (' using parquet' if target.type == 'spark' else '')) -%}
{%- endmacro %}


{#- on-run-end: one row for this invocation when it was a complete build (see above).
    `run_started_at` is written exactly as build_clock() writes audit_raw_volumes.checked_at.

    Example: on-run-end: "{{ record_complete_build(results) }}"
      runs     insert into audit.dbt_complete_builds
               values ('4f0c...', cast('2026-12-07 01:00:00.123456' as timestamp))
      (nothing when a node failed or was skipped, or the build ran part of the project);
      on PostgreSQL then `analyze audit.dbt_complete_builds` -#}
{% macro record_complete_build(results) -%}
    {%- if execute and flags.WHICH == 'build' -%}
        {%- set args = invocation_args_dict -%}
        {%- set whole_project = (args.get('selector') in (none, 'sync', 'weekly', 'ci')
            and not args.get('select') and not args.get('exclude'))
            or var('sync_job', false) -%}
        {%- set statuses = results | map(attribute='status') | map('string') | list -%}
        {%- set counted = results
            | selectattr('node.name', 'equalto', 'audit_raw_volumes')
            | map(attribute='status') | map('string') | list -%}
        {%- if whole_project and counted == ['success']
            and not (statuses | select('in', ['error', 'fail', 'skipped', 'runtime error']) | list) -%}
            {%- do run_query('insert into ' ~ complete_builds_relation() ~ ' values ('
                ~ sql_literal(invocation_id) ~ ', ' ~ build_clock() ~ ')') -%}
        {%- endif -%}
    {%- endif -%}
    {#- PostgreSQL: planner statistics, as every table a build writes has (also when empty). -#}
    {%- if execute -%}
        {%- set analyze = analyze_after_build(complete_builds_relation()) | trim -%}
        {%- if analyze -%}{%- do run_query(analyze) -%}{%- endif -%}
    {%- endif -%}
{%- endmacro %}
