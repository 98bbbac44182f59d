-- The snapshotted entities (history_entities(), macros/history/history_entities.sql) in one
-- shape, so that one piece of SQL turns versions into status intervals; the per-entity models
-- (int_<entity>_status_intervals) select from it.

with

versions as (

    {% for entry in history_entities() -%}
        select
            '{{ entry.entity }}' as entity,
            {{ entry.key }} as entity_key,
            status,
            dbt_valid_from as valid_from_at,
            dbt_valid_to as snapshot_valid_to_at,
            observed_through_at
        from {{ ref('snap_' ~ entry.model) }}
        {%- if not loop.last %}

            union all

        {% endif -%}
    {%- endfor %}

),

tombstones as (

    {% for entry in history_entities() -%}
        select
            '{{ entry.entity }}' as entity,
            {{ entry.key }} as entity_key,
            updated_at as deleted_at
        from {{ ref('base_' ~ entry.model) }}
        where
            _is_deleted
            and _row_status != 'quarantined'
        {%- if not loop.last %}

            union all

        {% endif -%}
    {%- endfor %}

),

with_successor as (

    select
        *,
        lead(valid_from_at) over (
            partition by entity, entity_key
            order by valid_from_at
        ) as next_valid_from_at
    from versions

),

-- A version closed without a successor starting at that instant was invalidated because its
-- key vanished from staging (a tombstone). dbt stamps such a close with the snapshot run's
-- clock; the source's own deletion instant is the tombstone's updated_at.
deletions as (

    select
        with_successor.entity,
        with_successor.entity_key,
        with_successor.valid_from_at,
        min(tombstones.deleted_at) as deleted_at
    from with_successor
    inner join tombstones
        on
            with_successor.entity = tombstones.entity
            and with_successor.entity_key = tombstones.entity_key
            and with_successor.valid_from_at <= tombstones.deleted_at
            and (
                with_successor.next_valid_from_at is null
                or with_successor.next_valid_from_at > tombstones.deleted_at
            )
    where
        with_successor.snapshot_valid_to_at is not null
        and (
            with_successor.next_valid_from_at is null
            or with_successor.next_valid_from_at != with_successor.snapshot_valid_to_at
        )
    group by
        with_successor.entity,
        with_successor.entity_key,
        with_successor.valid_from_at

),

closed as (

    select
        with_successor.entity,
        with_successor.entity_key,
        with_successor.status,
        with_successor.valid_from_at,
        with_successor.observed_through_at,
        coalesce(deletions.deleted_at, with_successor.snapshot_valid_to_at) as valid_to_at
    from with_successor
    left join deletions
        on
            with_successor.entity = deletions.entity
            and with_successor.entity_key = deletions.entity_key
            and with_successor.valid_from_at = deletions.valid_from_at

),

-- Gaps and islands: consecutive versions with the same status (a rename, a price change) make
-- one interval; a gap (deleted, then restored) starts a new one.
flagged as (

    select
        *,
        case
            when
                lag(status) over by_key = status
                and lag(valid_to_at) over by_key = valid_from_at
                then 0
            else 1
        end as starts_interval
    from closed
    window by_key as (partition by entity, entity_key order by valid_from_at)

),

numbered as (

    select
        *,
        sum(starts_interval) over (
            partition by entity, entity_key
            order by valid_from_at
            rows between unbounded preceding and current row
        ) as interval_number
    from flagged

),

collapsed as (

    select
        entity,
        entity_key,
        interval_number,
        min(status) as status,
        min(valid_from_at) as valid_from_at,
        -- The island's last version closes it; a null (still current) wins over any instant.
        case when count(valid_to_at) = count(*) then max(valid_to_at) end as valid_to_at
    from numbered
    group by
        entity,
        entity_key,
        interval_number

),

history_starts as (

    select
        entity,
        min(observed_through_at) as history_start_at
    from versions
    group by entity

),

final as (

    select
        collapsed.entity,
        collapsed.entity_key,
        collapsed.status,
        collapsed.valid_from_at,
        collapsed.valid_to_at,
        history_starts.history_start_at
    from collapsed
    inner join history_starts
        on collapsed.entity = history_starts.entity
    -- A version deleted at the instant it was written lasted no time.
    where collapsed.valid_to_at is null or collapsed.valid_to_at > collapsed.valid_from_at

)

select * from final
