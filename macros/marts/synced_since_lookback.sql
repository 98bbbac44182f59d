{#- The incremental filter of the large event facts: on an incremental run, keep the staging rows
    replicated since the newest `_synced_at` already in the target minus `lookback_days` days
    (default 3), so rows that staging settles late (a late first delivery, a fixed quarantined
    row) are picked up again; delete+insert on the key makes the re-selection idempotent. An
    empty target selects everything. Outside incremental runs it renders `true`.

    Example: where {{ synced_since_lookback() }}
      renders, on an incremental run (DuckDB),
               where _synced_at >= coalesce(
                   (select (max(_synced_at) + cast(-3 as bigint) * interval 1 day) from <this model>),
                   cast('1900-01-01' as timestamp))
      and `where true` on a full build -#}
{% macro synced_since_lookback(synced_at_column='_synced_at') -%}
    {%- if is_incremental() -%}
        {{ synced_at_column }} >= coalesce(
            (
                select {{ dbt.dateadd('day', -1 * var('lookback_days', 3), 'max(' ~ synced_at_column ~ ')') }}
                from {{ this }}
            ),
            cast('1900-01-01' as {{ dbt.type_timestamp() }})
        )
    {%- else -%}
        true
    {%- endif -%}
{%- endmacro %}
