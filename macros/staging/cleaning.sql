{#- Small cleaning expressions shared by the staging models. -#}

{#- Enumerated text: trimmed and lower-cased, so `' Paid'` is the contract's `paid`;
    anything else left is judged by classify_raw_rows. -#}
{% macro clean_enum(column_name) -%}
    lower(trim({{ unicode_text(column_name) }}))
{%- endmacro %}


{#- Free text: trimmed, and empty text becomes null. -#}
{% macro clean_text(column_name) -%}
    nullif(trim({{ unicode_text(column_name) }}), '')
{%- endmacro %}


{#- Text as one Unicode form: NFC (a decomposed `e` + accent equals the composed `é`, so one
    category is one group), and the look-alike spaces replicated from web forms and
    spreadsheets (no-break U+00A0, figure U+2007, narrow no-break U+202F, ideographic U+3000)
    as plain spaces, a zero-width space U+200B removed, so `trim` and the enum lists see what
    a person sees. -#}
{% macro unicode_text(column_name) -%}
    {%- set text = namespace(sql='cast(' ~ column_name ~ ' as ' ~ dbt.type_string() ~ ')') -%}
    {%- for code in [160, 8199, 8239, 12288] -%}
        {%- set text.sql = 'replace(' ~ text.sql ~ ', chr(' ~ code ~ "), ' ')" -%}
    {%- endfor -%}
    {{ adapter.dispatch('nfc', 'marketmetrics')('replace(' ~ text.sql ~ ", chr(8203), '')") }}
{%- endmacro %}

{% macro default__nfc(expression) -%}
    normalize({{ expression }}, NFC)
{%- endmacro %}

{% macro duckdb__nfc(expression) -%}
    nfc_normalize({{ expression }})
{%- endmacro %}

{#- Spark SQL has no normalize(): ICU's composition (NFC, `compat` false), which Spark ships
    for its collations, called through reflect(). -#}
{% macro spark__nfc(expression) -%}
    {#- reflect() fails on a null argument instead of returning null. #}
    case when {{ expression }} is not null
        then reflect('com.ibm.icu.text.Normalizer', 'compose', {{ expression }}, false)
    end
{%- endmacro %}


{#- Free text typed by a person (search queries): kept for analysis, with what looks like an
    e-mail address replaced by `[email]` and what looks like a phone number (an optional `+`,
    then nine or more digits, spaces, dots or dashes, starting and ending with a digit) by
    `[phone]`. The patterns use only what DuckDB's RE2 and PostgreSQL's regular expressions
    share. A product code of nine digits or more is masked too: a price paid for never
    publishing a phone number. -#}
{% macro mask_contact_details(expression) -%}
    {{ replace_all_matches(
        replace_all_matches(expression, '[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+[.][A-Za-z]+', '[email]'),
        '[+]?[0-9][0-9 .-]{7,}[0-9]',
        '[phone]'
    ) }}
{%- endmacro %}


{#- Every match of `pattern` replaced (PostgreSQL and DuckDB need the 'g' flag; Spark
    replaces every match and reads a fourth argument as a position). -#}
{% macro replace_all_matches(expression, pattern, replacement) -%}
    {{ return(adapter.dispatch('replace_all_matches', 'marketmetrics')(expression, pattern, replacement)) }}
{%- endmacro %}

{% macro default__replace_all_matches(expression, pattern, replacement) -%}
    regexp_replace({{ expression }}, '{{ pattern }}', '{{ replacement }}', 'g')
{%- endmacro %}

{% macro spark__replace_all_matches(expression, pattern, replacement) -%}
    regexp_replace({{ expression }}, '{{ pattern }}', '{{ replacement }}')
{%- endmacro %}


{#- The replicator's columns, typed the same way on every table. A null _is_deleted is read
    as "not deleted": the contract says it is never null, and an absent flag must not
    delete an entity. -#}
{#- Last in every base model's `renamed` CTE: also `_parse_failure`, the first value of the row
    that did not parse as its contract type (macros/staging/safe_parse.sql). -#}
{% macro replication_columns(kind, column_types) -%}
    {%- set synced_at = utc_instant('_synced_at', column_types) -%}
    {%- if kind == 'entity' %}
        coalesce(cast(_is_deleted as {{ dbt.type_boolean() }}), false) as _is_deleted,
    {%- endif %}
        {{ synced_at }} as _synced_at,
        {{ parse_failure(column_types) }} as _parse_failure
{%- endmacro %}
