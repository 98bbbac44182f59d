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
first_observed as (

    select
        entity_key as product_id,
        status as first_observed_status,
        valid_from_at as first_observed_at,
        history_start_at,
        top_category_name
    from (
        select
            *,
            row_number() over (partition by entity_key order by valid_from_at) as interval_rank
        from intervals
    ) as ranked
    where interval_rank = 1

),

-- registered_at of the newest version: a deleted product is no longer in dim_products.
registrations as (

    select
        product_id,
        registered_at
    from (
        select
            product_id,
            registered_at,
            row_number() over (partition by product_id order by dbt_valid_from desc) as version_rank
        from snapshotted_products
    ) as ranked
    where version_rank = 1

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
