{#- The worst offenders first: one row per raw table with what the other quality tables say of
    it at this build (rows unaccounted for, quarantined and held, freshness, the last complete
    day's volume against the usual) and `offence_rank`, 1 for the table that needs a person
    first. Tables are ranked by the gravest problem they have (unaccounted rows or a freshness
    error; then a freshness warning, a day of unusual volume or a held row; then none), then
    by their quarantined share, then by name. Grain: one row per source_table. -#}

with

reconciliation as (

    select
        source_table,
        raw_rows,
        quarantined_rows,
        held_rows,
        unaccounted_rows
    from {{ ref('audit_row_reconciliation') }}

),

freshness as (

    select
        source_table,
        hours_since_last_row,
        freshness_status
    from {{ ref('dq_source_freshness') }}

),

last_synced_day as (

    select max(synced_date) as synced_date
    from {{ ref('dq_source_volumes_daily') }}

),

last_complete_day as (

    select max(volumes.synced_date) as synced_date
    from {{ ref('dq_source_volumes_daily') }} as volumes
    inner join last_synced_day
        on volumes.synced_date < last_synced_day.synced_date

),

volumes as (

    select
        volumes.source_table,
        volumes.volume_ratio,
        volumes.volume_status
    from {{ ref('dq_source_volumes_daily') }} as volumes
    inner join last_complete_day
        on volumes.synced_date = last_complete_day.synced_date

),

joined as (

    select
        reconciliation.source_table,
        reconciliation.raw_rows,
        reconciliation.quarantined_rows,
        {{ safe_divide('reconciliation.quarantined_rows', 'reconciliation.raw_rows') }} as quarantined_share,
        reconciliation.held_rows,
        reconciliation.unaccounted_rows,
        freshness.hours_since_last_row,
        freshness.freshness_status,
        volumes.volume_ratio,
        coalesce(volumes.volume_status, 'new') as volume_status,
        case
            when reconciliation.unaccounted_rows > 0 or freshness.freshness_status = 'error' then 0
            when
                freshness.freshness_status = 'warn'
                or volumes.volume_status in ('low', 'high')
                or reconciliation.held_rows > 0
                then 1
            else 2
        end as gravity
    from reconciliation
    left join freshness
        on reconciliation.source_table = freshness.source_table
    left join volumes
        on reconciliation.source_table = volumes.source_table

),

final as (

    select
        cast(source_table as {{ dbt.type_string() }}) as source_table,
        row_number() over (
            order by gravity asc, quarantined_share desc, source_table asc
        ) as offence_rank,
        cast(
            case gravity when 0 then 'act' when 1 then 'look' else 'fine' end
            as {{ dbt.type_string() }}
        ) as verdict,
        raw_rows,
        quarantined_rows,
        cast(quarantined_share as {{ type_double() }}) as quarantined_share,
        held_rows,
        unaccounted_rows,
        cast(hours_since_last_row as {{ type_double() }}) as hours_since_last_row,
        cast(freshness_status as {{ dbt.type_string() }}) as freshness_status,
        cast(volume_ratio as {{ type_double() }}) as volume_ratio,
        cast(volume_status as {{ dbt.type_string() }}) as volume_status
    from joined

)

select * from final
