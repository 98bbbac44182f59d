{#- Repairs snapshot history damaged by a snapshot that read a broken replica (before the
    snapshots' sources were gated by the audit: macros/staging/audit_gate.sql).

    What such a run did: every key missing from the truncated source was invalidated, its
    current record closed at the snapshot's wall clock (each snapshot of the run at its own
    instant, within the run). Once the replica was whole again, the next snapshot inserted
    those keys again as new records with the same `dbt_scd_id`, so `unique_snap_*_dbt_scd_id`
    fails and the history has a false gap.

    The repair, per snapshot, for the records closed between `closed_from` and `closed_to`
    (inclusive) with no record of their key beginning at that instant (an invalidation, not a
    new version):
      1. delete the copies inserted after the restore (same dbt_scd_id, not one of those
         closed records): the original record, with its first observation, is kept;
      2. close each such original where the key's next record begins (a version captured after
         the restore), or reopen it (null) when there is none. A key that was really deleted
         then is closed again by the next snapshot run.
    The result is the history a snapshot that never saw the broken replica would have built.

    Find the damaged run first: without arguments the operation only lists, per snapshot, the
    instants at which records were closed without a successor (a mass invalidation stands out
    by its count), and changes nothing. Then give the span of the damaged run:

        dbt run-operation repair_history
        dbt run-operation repair_history --args '{closed_from: "2026-03-04 09:12:40", closed_to: "2026-03-04 09:12:50"}'

    DuckDB and PostgreSQL (and Spark on Delta). Run it while no build runs, then `dbt build`.

    Example: dbt run-operation repair_history
      logs     snap_products: 412 records closed without a successor at 2026-03-04 09:12:45
               (up to five instants per snapshot, the most records first), and changes nothing;
             with --args '{closed_from: ..., closed_to: ...}' it deletes and updates, then logs
               snap_products: repaired 412 records closed between 2026-03-04 09:12:40 and
               2026-03-04 09:12:50 -#}
{% macro repair_history(closed_from=none, closed_to=none, snapshots=['snap_products', 'snap_sellers', 'snap_customers', 'snap_orders']) -%}
    {%- if (closed_from is none) != (closed_to is none) -%}
        {{ exceptions.raise_compiler_error('repair_history: give both closed_from and closed_to, or neither to list') }}
    {%- endif -%}
    {%- for name in snapshots -%}
        {%- set node = graph.nodes.values() | selectattr('resource_type', 'equalto', 'snapshot')
            | selectattr('name', 'equalto', name) | first -%}
        {%- set snapshot = adapter.get_relation(node.database, node.schema, node.alias) -%}
        {%- set key = node.config.unique_key -%}
        {%- set invalidated -%}
            closed.dbt_valid_to is not null
            and not exists (
                select 1
                from {{ snapshot }} as successor
                where
                    successor.{{ key }} = closed.{{ key }}
                    and successor.dbt_valid_from = closed.dbt_valid_to
            )
        {%- endset -%}
        {%- if snapshot is none -%}
            {%- do log(name ~ ': not built, nothing to repair', info=true) -%}
        {%- elif closed_from is none -%}
            {%- set closings -%}
                select closed.dbt_valid_to, count(*) as records
                from {{ snapshot }} as closed
                where {{ invalidated }}
                group by closed.dbt_valid_to
                order by records desc
                limit 5
            {%- endset -%}
            {%- set found = run_query(closings).rows -%}
            {%- for row in found -%}
                {%- do log(name ~ ': ' ~ row[1] ~ ' records closed without a successor at ' ~ row[0], info=true) -%}
            {%- else -%}
                {%- do log(name ~ ': no record closed without a successor', info=true) -%}
            {%- endfor -%}
        {%- else -%}
            {%- set damaged -%}
                select closed.dbt_scd_id, closed.dbt_valid_to
                from {{ snapshot }} as closed
                where
                    {{ invalidated }}
                    and closed.dbt_valid_to between
                        cast('{{ closed_from }}' as {{ dbt.type_timestamp() }})
                        and cast('{{ closed_to }}' as {{ dbt.type_timestamp() }})
            {%- endset -%}
            {%- set found = run_query('select count(*) from (' ~ damaged ~ ') as damaged') -%}
            {%- call statement('repair_copies_' ~ name, fetch_result=false) -%}
                delete from {{ snapshot }} as copies
                where
                    copies.dbt_scd_id in (select dbt_scd_id from ({{ damaged }}) as damaged)
                    and not exists (
                        select 1
                        from ({{ damaged }}) as damaged
                        where
                            damaged.dbt_scd_id = copies.dbt_scd_id
                            and damaged.dbt_valid_to = copies.dbt_valid_to
                    )
            {%- endcall -%}
            {%- call statement('repair_closings_' ~ name, fetch_result=false) -%}
                update {{ snapshot }} as original
                set dbt_valid_to = (
                    select min(later.dbt_valid_from)
                    from {{ snapshot }} as later
                    where
                        later.{{ key }} = original.{{ key }}
                        and later.dbt_valid_from > original.dbt_valid_from
                )
                where exists (
                    select 1
                    from ({{ damaged }}) as damaged
                    where
                        damaged.dbt_scd_id = original.dbt_scd_id
                        and damaged.dbt_valid_to = original.dbt_valid_to
                )
            {%- endcall -%}
            {%- do adapter.commit() -%}
            {%- do log(name ~ ': repaired ' ~ found.rows[0][0] ~ ' records closed between '
                ~ closed_from ~ ' and ' ~ closed_to, info=true) -%}
        {%- endif -%}
    {%- endfor -%}
{%- endmacro %}
