{#- Least privilege on PostgreSQL (docs/access.md). dbt's `grants` (dbt_project.yml) give the
    BI role `select` on each mart, metric table and the alert feed; this on-run-end hook gives
    it `usage` on their two schemas, the only schemas it may enter. Raw, staging,
    intermediate, audit, reference data and snapshots grant it nothing. DuckDB has no roles:
    its readers get the serving copy instead (src/marketmetrics/serving.py).

    Example: on-run-end: "{{ grant_reader_schemas() }}"   (dbt_project.yml)
      renders, on PostgreSQL, for each of the schemas marts and metrics,
               do $$
               begin
                   if exists (select from pg_namespace where nspname = 'marts') then
                       execute 'grant usage on schema "marts" to "marketmetrics_bi"';
                   end if;
               end
               $$;
      and nothing on DuckDB and Spark -#}
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


{#- Personal data, classified once (docs/access.md): the raw contract classes every raw column
    (the sources' YAML); a reader model's YAML classes a column that still carries
    personal data, a keyed pseudonym (`meta: {pii: contact}`); an unclassified reader column
    is `none`. Readers (the BI role, the DuckDB serving copy) never get a column of these
    classes, in clear or as a pseudonym.

    Example: {{ personal_classes() }}   returns ['identifier', 'contact', 'network_address'] -#}
{% macro personal_classes() -%}
    {{ return(['identifier', 'contact', 'network_address']) }}
{%- endmacro %}


{#- A documented column's class: `meta.pii` in its YAML (or under its config).

    Example: column_pii(graph.nodes['model.marketmetrics.dim_customers'].columns['email_hash'])
      returns  'contact'
    and 'none' for a column whose YAML gives no class -#}
{% macro column_pii(column) -%}
    {%- set meta = column.get('meta') or {} -%}
    {%- set config_meta = (column.get('config') or {}).get('meta') or {} -%}
    {{ return(meta.get('pii') or config_meta.get('pii') or 'none') }}
{%- endmacro %}


{#- The columns of a built reader relation that readers may see: all but those its model's YAML
    classes as personal data (the pseudonyms).

    Example: {% set columns = published_columns(model, this) %}, in dim_customers,
      returns  ['customer_id', 'status', 'signed_up_at', 'signed_up_date', 'first_paid_order_id',
                'first_paid_ordered_at', 'first_paid_ordered_date', 'updated_at', '_built_at']
    (every column of the built table but email_hash, classed `contact`) -#}
{% macro published_columns(node, relation) -%}
    {%- set personal = [] -%}
    {%- for name, column in node.columns.items() if column_pii(column) in personal_classes() -%}
        {%- do personal.append(name | lower) -%}
    {%- endfor -%}
    {%- set published = [] -%}
    {%- for column in adapter.get_columns_in_relation(relation) if column.name | lower not in personal -%}
        {%- do published.append(column.name) -%}
    {%- endfor -%}
    {{ return(published) }}
{%- endmacro %}


{#- PostgreSQL: dbt's table-level grants, except on a reader model with a personal column
    (a pseudonym), where the grantees get `select` on its other columns only. A table-level
    grant would show them every column. dbt reads back table-level grants only, so these column
    grants are left alone by its revokes. -#}
{% macro postgres__apply_grants(relation, grant_config, should_revoke=True) -%}
    {%- set personal = [] -%}
    {%- for name, column in model.columns.items() if column_pii(column) in personal_classes() -%}
        {%- do personal.append(name) -%}
    {%- endfor -%}
    {%- if not personal or not grant_config -%}
        {%- do default__apply_grants(relation, grant_config, should_revoke) -%}
    {%- else -%}
        {%- set quoted = [] -%}
        {%- for column in published_columns(model, relation) -%}
            {%- do quoted.append(adapter.quote(column)) -%}
        {%- endfor -%}
        {%- call statement('grant_published_columns') -%}
            {%- for privilege, grantees in grant_config.items() -%}
                {%- for grantee in grantees %}
            revoke {{ privilege }} on {{ relation }} from {{ adapter.quote(grantee) }};
            grant {{ privilege }} ({{ quoted | join(', ') }}) on {{ relation }} to {{ adapter.quote(grantee) }};
                {%- endfor -%}
            {%- endfor -%}
        {%- endcall -%}
    {%- endif -%}
{%- endmacro %}
