{#- An IP is suspicious on a local day when it has at least `suspicious_ip_failures` login
    failures that day. -#}
with

auth_events as (

    select * from {{ ref('fct_auth_events') }}

),

final as (

    select
        occurred_date,
        ip_hash,
        count(*) as login_failures
    from auth_events
    where
        event_type = 'login_failure'
        and ip_hash is not null
    group by
        occurred_date,
        ip_hash
    having count(*) >= {{ var('suspicious_ip_failures', 20) }}

)

select * from final
