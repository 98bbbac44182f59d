{#- What staging kept out of the marts, over time: quarantined rows (rejected, with the reject
    reason) and held rows (valid alone, contradicted by another table, with the hold reason),
    counted by raw table, reason and the local date they were synced. Counts only, no key and no
    value of a row: readers may query it. A quarantined row whose `_synced_at` itself does not
    parse has no date (synced_date null). Grain: one row per (synced_date, source_table, issue,
    reason). -#}

with

quarantined as (

    select
        {{ local_date('_synced_at') }} as synced_date,
        source_table,
        'quarantined' as issue,
        reject_reason as reason
    from {{ ref('audit_quarantine') }}

),

held as (

    select
        {{ local_date('_synced_at') }} as synced_date,
        source_table,
        'held' as issue,
        hold_reason as reason
    from {{ ref('audit_held_rows') }}

),

issues as (

    select * from quarantined
    union all
    select * from held

),

final as (

    select
        synced_date,
        cast(source_table as {{ dbt.type_string() }}) as source_table,
        cast(issue as {{ dbt.type_string() }}) as issue,
        cast(reason as {{ dbt.type_string() }}) as reason,
        count(*) as issue_rows
    from issues
    group by
        synced_date,
        source_table,
        issue,
        reason

)

select * from final
