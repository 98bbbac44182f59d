with

transitions as (

    select * from {{ ref('fct_state_transitions') }}

),

intervals as (

    select * from {{ ref('int_product_status_intervals') }}

),

snapshotted_products as (

    select * from {{ ref('snap_products') }}

),

first_displays as (

    select
        entity_key as product_id,
        transitioned_at as first_displayed_at
    from transitions
    where
        entity = 'product'
        and to_status = 'displayed'
        and is_first_time_in_state

),

-- The state history found a product in first: before any display (registered, in_review),
-- or already displayed or hidden, when its first display lies before what history saw.
-- The earliest interval's and the newest version's values come from first_value() over the
-- key and a group by, never from a filter on row_number() or a join back on min/max:
-- PostgreSQL estimates those at a row or two, nested-loops over them and took minutes here.
-- Intervals are unique per (product, valid_from_at), versions per (product, dbt_valid_from).
first_observed as (

    select
        product_id,
        max(first_observed_status) as first_observed_status,
        max(first_observed_at) as first_observed_at,
        max(history_start_at) as history_start_at,
        max(top_category_name) as top_category_name
    from (
        select
            entity_key as product_id,
            first_value(status) over earliest_first as first_observed_status,
            first_value(valid_from_at) over earliest_first as first_observed_at,
            first_value(history_start_at) over earliest_first as history_start_at,
            first_value(top_category_name) over earliest_first as top_category_name
        from intervals
        window earliest_first as (
            partition by entity_key
            order by valid_from_at
            rows between unbounded preceding and unbounded following
        )
    ) as firsts
    group by product_id

),

-- registered_at of the newest version: a deleted product is no longer in dim_products.
registrations as (

    select
        product_id,
        max(registered_at) as registered_at
    from (
        select
            product_id,
            first_value(registered_at) over (
                partition by product_id
                order by dbt_valid_from desc
                rows between unbounded preceding and unbounded following
            ) as registered_at
        from snapshotted_products
    ) as newest
    group by product_id

),

final as (

    select
        first_displays.product_id,
        first_observed.top_category_name,
        registrations.registered_at,
        first_displays.first_displayed_at,
        {{ local_date('first_displays.first_displayed_at') }} as first_displayed_date,
        {{ hours_between('registrations.registered_at', 'first_displays.first_displayed_at') }}
            as registration_to_display_hours,
        (
            first_observed.first_observed_status in ('registered', 'in_review')
            or (
                first_observed.first_observed_status = 'displayed'
                and first_observed.first_observed_at > first_observed.history_start_at
            )
        ) as is_first_display_observed
    from first_displays
    inner join first_observed
        on first_displays.product_id = first_observed.product_id
    inner join registrations
        on first_displays.product_id = registrations.product_id

)

select * from final
