{#- Least privilege on PostgreSQL (docs/access.md). dbt's `grants` (dbt_project.yml) give the
    BI role `select` on each mart, metric table and the alert feed; this on-run-end hook gives
    it `usage` on their two schemas, the only schemas it may enter. Raw, staging,
    intermediate, audit, reference data and snapshots grant it nothing. DuckDB has no roles:
    its readers get the serving copy instead (src/marketmetrics/serving.py). -#}
{% macro grant_reader_schemas() -%}
    {%- if target.type == 'postgres' -%}
        {%- set reader = env_var('MARKETMETRICS_BI_ROLE', 'marketmetrics_bi') -%}
        {%- for schema in [var('marts_schema', 'marts'), var('metrics_schema', 'metrics')] %}
            do $$
            begin
                if exists (select from pg_namespace where nspname = '{{ schema }}') then
                    execute 'grant usage on schema {{ adapter.quote(schema) }} to {{ adapter.quote(reader) }}';
                end if;
            end
            $$;
        {%- endfor -%}
    {%- endif -%}
{%- endmacro %}


{#- DuckDB has no roles: dbt-duckdb would warn on every build that grants are unsupported. The
    serving copy is DuckDB's access control. -#}
{% macro duckdb__apply_grants(relation, grant_config, should_revoke=True) -%}
{%- endmacro %}


{#- A local Spark session has no users: GRANT is not even valid SQL there. On a cluster whose
    catalog enforces access (Unity Catalog, Ranger) set var `spark_grants: true` and the grants
    run as dbt-spark issues them (docs/spark.md). -#}
{% macro spark__apply_grants(relation, grant_config, should_revoke=True) -%}
    {%- if var('spark_grants', false) -%}
        {{ default__apply_grants(relation, grant_config, should_revoke) }}
    {%- endif -%}
{%- endmacro %}
