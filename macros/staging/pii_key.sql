{#- Pseudonyms that hold (docs/access.md, src/marketmetrics/pii.py): e-mail and IP addresses
    become HMAC-SHA256 under a secret key. The key is not a dbt var: Python installs HMAC's
    two padded keys into the restricted relation `<private_schema>.pii_key` and SQL reads them
    with a scalar subquery, so the key appears in no compiled SQL, artefact or log. -#}


{#- The restricted relation that holds the pseudonym key's two pads.

    Example: select inner_pad from {{ pii_key_relation() }}
      renders  select inner_pad from private.pii_key   (var private_schema: private) -#}
{% macro pii_key_relation() -%}
    {{ var('private_schema', 'private') }}.pii_key
{%- endmacro %}


{#- Whether this target must have a real key: by default the production target (PostgreSQL);
    a development build on DuckDB may use the public development key (the empty key).

    Example: {{ pii_key_required() }}   returns false on DuckDB, true on PostgreSQL
    (var require_pii_key overrides both) -#}
{% macro pii_key_required() -%}
    {{ return(var('require_pii_key', target.type == 'postgres')) }}
{%- endmacro %}


{#- on-run-start: the key relation exists, holds one key, and on the production target that
    key is not the development key. Without a key a development build installs the
    development key (64 bytes of 0x36 and 0x5c: HMAC's pads of the empty key) and warns.
    Renders nothing; it runs its statements itself.

    Example: on-run-start: "{{ ensure_pii_key() }}"   (dbt_project.yml)
      runs     create schema if not exists private;
               create table if not exists private.pii_key (key_id TEXT, inner_pad blob,
                   outer_pad blob, installed_at timestamp)   (DuckDB; bytea on PostgreSQL)
      then, on a DuckDB build without a key, logs "marketmetrics: no pseudonym key installed;
      ..." and inserts ('development', unhex(repeat('36', 64)), unhex(repeat('5c', 64)),
      <current timestamp>); on PostgreSQL without a key or with the development key, and
      anywhere with two keys, it stops the run -#}
{% macro ensure_pii_key() -%}
    {%- if execute and target.type in ['duckdb', 'postgres', 'spark'] -%}
        {%- set schema = var('private_schema', 'private') -%}
        {%- set bytes = {'duckdb': 'blob', 'spark': 'binary'}.get(target.type, 'bytea') -%}
        {%- do run_query('create schema if not exists ' ~ schema) -%}
        {%- do run_query(
            'create table if not exists ' ~ pii_key_relation()
            ~ ' (key_id ' ~ dbt.type_string() ~ ', inner_pad ' ~ bytes ~ ', outer_pad ' ~ bytes
            ~ ', installed_at ' ~ dbt.type_timestamp() ~ ')'
        ) -%}
        {%- set keys = run_query('select key_id from ' ~ pii_key_relation()) -%}
        {%- set installed = keys.columns[0].values() | list -%}
        {%- set how = 'install it with `MARKETMETRICS_PII_KEY=<secret> marketmetrics pii-key`'
            ~ ' (or let `marketmetrics build` install it from the environment)' -%}
        {%- if installed | length > 1 -%}
            {{ exceptions.raise_compiler_error(
                pii_key_relation() ~ ' holds ' ~ installed | length ~ ' keys, expected one: ' ~ how) }}
        {%- elif installed | length == 0 and pii_key_required() -%}
            {{ exceptions.raise_compiler_error(
                'no pseudonym key on the production target ' ~ target.name ~ ': ' ~ how
                ~ '; set var require_pii_key: false only for a throwaway warehouse') }}
        {%- elif installed == ['development'] and pii_key_required() -%}
            {{ exceptions.raise_compiler_error(
                'the production target ' ~ target.name ~ ' holds the public development'
                ~ ' pseudonym key: ' ~ how) }}
        {%- elif installed | length == 0 -%}
            {%- do log('marketmetrics: no pseudonym key installed; this ' ~ target.name
                ~ ' build uses the public development key (' ~ how ~ ')', info=true) -%}
            {%- do run_query(
                'insert into ' ~ pii_key_relation() ~ " values ('development', "
                ~ hex_bytes("repeat('36', 64)") ~ ', ' ~ hex_bytes("repeat('5c', 64)") ~ ', '
                ~ dbt.current_timestamp() ~ ')'
            ) -%}
        {%- endif -%}
        {%- if target.type == 'postgres' -%}{%- do run_query('commit') -%}{%- endif -%}
    {%- endif -%}
{%- endmacro %}


{#- The pseudonym of a personal value: HMAC-SHA256 (hex) of its trimmed, lower-cased text, so
    the same e-mail gives the same pseudonym in every table; empty text gives null.

    Example: {{ pii_hash('email') }} as email_hash
      renders  case when nullif(trim(email), '') is not null
                   then sha256((select outer_pad from private.pii_key)
                       || unhex(sha256((select inner_pad from private.pii_key)
                                       || encode(lower(trim(email))))))
               end as email_hash   (DuckDB)
    (' Me@Example.com ' and 'me@example.com' give the same 64 hex digits; '' gives null) -#}
{% macro pii_hash(column_name) -%}
    case
        when nullif(trim({{ column_name }}), '') is not null
            then {{ adapter.dispatch('hmac_sha256_hex', 'marketmetrics')('lower(trim(' ~ column_name ~ '))') }}
    end
{%- endmacro %}

{#- PostgreSQL: sha256() over bytea, the text as UTF-8 bytes, the digest encoded as hex. -#}
{% macro default__hmac_sha256_hex(text_expression) -%}
    encode(sha256(
        (select outer_pad from {{ pii_key_relation() }})
        || sha256((select inner_pad from {{ pii_key_relation() }}) || convert_to({{ text_expression }}, 'UTF8'))
    ), 'hex')
{%- endmacro %}

{#- DuckDB: sha256() returns hex text, so the inner digest goes back to bytes with unhex(). -#}
{% macro duckdb__hmac_sha256_hex(text_expression) -%}
    sha256(
        (select outer_pad from {{ pii_key_relation() }})
        || unhex(sha256((select inner_pad from {{ pii_key_relation() }}) || encode({{ text_expression }})))
    )
{%- endmacro %}

{#- Spark has sha2 but no HMAC; the pads are stored already XOR-ed with the key. -#}
{% macro spark__hmac_sha256_hex(text_expression) -%}
    sha2(concat(
        (select outer_pad from {{ pii_key_relation() }}),
        unhex(sha2(concat((select inner_pad from {{ pii_key_relation() }}), cast({{ text_expression }} as binary)), 256))
    ), 256)
{%- endmacro %}
