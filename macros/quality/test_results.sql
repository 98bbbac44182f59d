{#- Test results kept over time (the data-quality report: models/quality). dbt writes each run's
    results to target/run_results.json and forgets them with the next run; these hooks keep
    every data test's result in the audit table `dbt_test_results` instead, which
    `dq_test_results` shows to readers. The table is created on run start (so the view over it
    compiles on the first run) and appended to on run end, from dbt's `results`.

    Example: {{ test_results_relation() }}   returns audit.dbt_test_results -#}
{% macro test_results_relation() -%}
    {{ return(run_record_relation('dbt_test_results')) }}
{%- endmacro %}


{#- A table the hooks keep in the audit schema, outside dbt's models (the test results, the
    complete builds: macros/quality/complete_builds.sql). Spark names no database.

    Example: {{ run_record_relation('dbt_test_results') }}   returns audit.dbt_test_results -#}
{% macro run_record_relation(identifier) -%}
    {{ return(api.Relation.create(
        database=target.database if target.type != 'spark' else none,
        schema=var('audit_schema', 'audit'),
        identifier=identifier)) }}
{%- endmacro %}


{#- The columns of the results table, with their types on this engine.

    Example: {{ test_results_columns() }}
      returns [('invocation_id', 'varchar'), ('run_started_at', 'timestamp'), ...] (DuckDB) -#}
{% macro test_results_columns() -%}
    {%- set text = dbt.type_string() -%}
    {{ return([
        ('invocation_id', text), ('run_started_at', dbt.type_timestamp()),
        ('test_name', text), ('test_kind', text), ('model_name', text), ('column_name', text),
        ('severity', text), ('status', text), ('failures', dbt.type_bigint()),
        ('execution_seconds', type_double()),
    ]) }}
{%- endmacro %}


{#- on-run-start: create the audit schema, the results table and the complete builds' table
    (macros/quality/complete_builds.sql) when missing.

    Example: on-run-start: "{{ ensure_test_results_table() }}"
      runs     create schema if not exists audit;
               create table if not exists audit.dbt_test_results (invocation_id varchar, ...)
               (Spark: ... using parquet) -#}
{% macro ensure_test_results_table() -%}
    {%- if execute -%}
        {%- set relation = test_results_relation() -%}
        {%- do create_schema(relation.without_identifier()) -%}
        {%- set columns = [] -%}
        {%- for name, type in test_results_columns() -%}
            {%- do columns.append(name ~ ' ' ~ type) -%}
        {%- endfor -%}
        {%- do run_query('create table if not exists ' ~ relation ~ ' (' ~ columns | join(', ')
            ~ ')' ~ (' using parquet' if target.type == 'spark' else '')) -%}
        {%- do ensure_complete_builds_table() -%}
        {#- dbt rolls the hooks' transaction back on DuckDB unless it is committed. -#}
        {%- if target.type != 'spark' -%}{%- do run_query('commit') -%}{%- endif -%}
    {%- endif -%}
{%- endmacro %}


{#- on-run-end: append one row per data test of this run (unit tests are the code's, not the
    data's, and are left out).

    Example: on-run-end: "{{ record_test_results(results) }}"
      runs     insert into audit.dbt_test_results values
                   ('4f0c...', cast('2026-12-07 01:00:00' as timestamp), 'not_null_orders_order_id',
                    'not_null', 'orders', 'order_id', 'ERROR', 'pass', 0, 0.031), ... -#}
{% macro record_test_results(results) -%}
    {%- if execute -%}
        {%- set rows = [] -%}
        {%- for result in results if result.node.resource_type == 'test' -%}
            {%- set node = result.node -%}
            {%- set metadata = node.test_metadata -%}
            {%- set attached = node.attached_node or (node.depends_on.nodes | first) or '' -%}
            {%- set values = [
                sql_literal(invocation_id),
                "cast('" ~ run_started_at.strftime('%Y-%m-%d %H:%M:%S') ~ "' as " ~ dbt.type_timestamp() ~ ")",
                sql_literal(node.name),
                sql_literal(metadata.name if metadata else 'singular'),
                sql_literal(attached.split('.')[-1] if attached else none),
                sql_literal(node.column_name),
                sql_literal(node.config.severity | upper),
                sql_literal(result.status | string),
                (result.failures if result.failures is not none else 'null'),
                (result.execution_time | round(3)),
            ] -%}
            {%- do rows.append('(' ~ values | join(', ') ~ ')') -%}
        {%- endfor -%}
        {%- do report_broken_rules(results) -%}
        {%- for batch in rows | batch(200) -%}
            {%- do run_query('insert into ' ~ test_results_relation() ~ ' values ' ~ batch | join(', ')) -%}
        {%- endfor -%}
        {#- PostgreSQL: fresh planner statistics, as every table the build writes has. -#}
        {%- set analyze = analyze_after_build(test_results_relation()) | trim -%}
        {%- if analyze -%}{%- do run_query(analyze) -%}{%- endif -%}
    {%- endif -%}
{%- endmacro %}


{#- Name every broken rule of the rules tests (macros/tests/rules.sql) that failed or warned in
    this run, one line each, as dbt's own line gives only the test's name and a count:

        rules_fct_orders: not_null(order_id) broken (3 failing, error)

    `failing` is the rule's count: rows, or for a unique rule the values that repeat.

    Re-runs only those tests' compiled SQL (their rows are the broken rules), so a clean run costs
    nothing.

    Example: {{ report_broken_rules(results) }}   logs the line above for each broken rule -#}
{% macro report_broken_rules(results) -%}
    {%- for result in results
        if result.node.resource_type == 'test'
        and (result.node.test_metadata.name if result.node.test_metadata else '') == 'rules'
        and (result.status | string) in ('fail', 'warn') -%}
        {%- set broken = run_query(result.node.compiled_code) -%}
        {%- for row in broken.rows -%}
            {%- do log(result.node.name ~ ': ' ~ row[0] ~ ' broken (' ~ row[2] ~ ' failing, ' ~ row[1] ~ ')', info=true) -%}
        {%- endfor -%}
    {%- endfor -%}
{%- endmacro %}


{#- A value as a SQL string literal, quotes doubled; none as null.

    Example: {{ sql_literal("it's") }}   returns 'it''s' -#}
{% macro sql_literal(value) -%}
    {%- if value is none -%}
        {{ return('null') }}
    {%- endif -%}
    {{ return("'" ~ (value | string).replace("'", "''") ~ "'") }}
{%- endmacro %}
