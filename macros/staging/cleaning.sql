{#- Small cleaning expressions shared by the staging models. -#}

{#- Enumerated text: trimmed and lower-cased, so `' Paid'` is the contract's `paid`;
    anything else left is judged by classify_raw_rows. -#}
{% macro clean_enum(column_name) -%}
    lower(trim(cast({{ column_name }} as {{ dbt.type_string() }})))
{%- endmacro %}


{#- Free text: trimmed, and empty text becomes null. -#}
{% macro clean_text(column_name) -%}
    nullif(trim(cast({{ column_name }} as {{ dbt.type_string() }})), '')
{%- endmacro %}


{#- Free text typed by a person (search queries): kept for analysis, with what looks like an
    e-mail address replaced by `[email]` and what looks like a phone number (an optional `+`,
    then nine or more digits, spaces, dots or dashes, starting and ending with a digit) by
    `[phone]`. The patterns use only what DuckDB's RE2 and PostgreSQL's regular expressions
    share. A product code of nine digits or more is masked too: a price paid for never
    publishing a phone number. -#}
{% macro mask_contact_details(expression) -%}
    regexp_replace(
        regexp_replace(
            {{ expression }},
            '[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+[.][A-Za-z]+',
            '[email]',
            'g'
        ),
        '[+]?[0-9][0-9 .-]{7,}[0-9]',
        '[phone]',
        'g'
    )
{%- endmacro %}


{#- The replicator's columns, typed the same way on every table. A null _is_deleted is read
    as "not deleted": the contract says it is never null, and an absent flag must not
    delete an entity. -#}
{% macro replication_columns(kind, column_types) -%}
    {%- if kind == 'entity' %}
        coalesce(cast(_is_deleted as {{ dbt.type_boolean() }}), false) as _is_deleted,
    {%- endif %}
        {{ utc_instant('_synced_at', column_types) }} as _synced_at
{%- endmacro %}
