{#- Every data test of every dbt build or test run, kept over time: the on-run-end hook
    record_test_results (macros/quality/test_results.sql) appends dbt's results to the audit
    table `dbt_test_results`, and this view shows them to readers, newest run first. It lists
    the runs before this one and, once the hook has run, this one too. Grain: one row per
    (invocation_id, test_name). -#}
{{ config(materialized='view') }}

with

results as (

    select
        invocation_id,
        run_started_at,
        test_name,
        test_kind,
        model_name,
        column_name,
        severity,
        status,
        failures,
        execution_seconds
    from {{ test_results_relation() }}

),

final as (

    select * from results

)

select * from final
