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
        {%- set text.sql = 'replace(' ~ text.sql ~ ', ' ~ unicode_char(code) ~ ", ' ')" -%}
    {%- endfor -%}
    {{ adapter.dispatch('nfc', 'marketmetrics')('replace(' ~ text.sql ~ ', ' ~ unicode_char(8203) ~ ", '')") }}
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


{#- Unicode compatibility normalisation (NFKC): full-width `ｍｅ＠ｅｘａｍｐｌｅ．ｃｏｍ` is
    `me@example.com`, `０１０－１２３４` is `010-1234`, every look-alike space is a space. DuckDB
    has no NFKC of its own: the project registers one on dbt's connections
    (src/marketmetrics/duckdb_functions.py, a dbt-duckdb plugin in profiles.yml.example). -#}
{% macro nfkc(expression) -%}
    {{ return(adapter.dispatch('nfkc', 'marketmetrics')(expression)) }}
{%- endmacro %}

{% macro default__nfkc(expression) -%}
    normalize({{ expression }}, NFKC)
{%- endmacro %}

{% macro duckdb__nfkc(expression) -%}
    nfkc_normalize({{ expression }})
{%- endmacro %}

{#- ICU's composition with `compat` true is NFKC. -#}
{% macro spark__nfkc(expression) -%}
    case when {{ expression }} is not null
        then reflect('com.ibm.icu.text.Normalizer', 'compose', {{ expression }}, true)
    end
{%- endmacro %}


{#- One character by its code point, as a SQL expression: chr(8203) on DuckDB and PostgreSQL;
    Spark's chr() wraps at 256, so there it is a `\uXXXX` string literal. -#}
{% macro unicode_char(code) -%}
    {{ return(adapter.dispatch('unicode_char', 'marketmetrics')(code)) }}
{%- endmacro %}

{% macro default__unicode_char(code) -%}
    chr({{ code }})
{%- endmacro %}

{% macro spark__unicode_char(code) -%}
    '\u{{ '%04x' % code }}'
{%- endmacro %}


{#- Free text typed by people (contract `pii: free_text`: search queries, NPS comments, product,
    category and seller names, API endpoints), as readers may see it: the cleaned text
    (contract_text) with every e-mail address, IP address and phone number masked
    (mask_contact_details). A value longer than the contract's `max_length` is quarantined as
    `too_long_<column>` (parse_checks).

        {{ free_text('search_logs', 'query') }} as query,
        -- ' 문의 ０１０－１２３４－５６７８ ' -> '문의 [phone]'
-#}
{% macro free_text(table_name, column_name) -%}
    {%- set spec = raw_column_spec(table_name, column_name) -%}
    {%- if execute and spec['pii'] != 'free_text' -%}
        {{ exceptions.raise_compiler_error('free_text: the raw contract classes ' ~ table_name ~ '.'
            ~ column_name ~ ' as ' ~ spec['pii'] ~ ', not free_text') }}
    {%- endif -%}
    {{ return(mask_contact_details(contract_text(table_name, column_name))) }}
{%- endmacro %}


{#- Text that is not about a person and has no list of values (a session id, a carrier, a host
    name): cleaned as clean_text(), and quarantined as `too_long_<column>` past the contract's
    `max_length` (parse_checks).

        {{ bounded_text('shipments', 'carrier') }} as carrier,
-#}
{% macro bounded_text(table_name, column_name) -%}
    {{ return(contract_text(table_name, column_name)) }}
{%- endmacro %}


{#- A text column cleaned as its contract class says, before any mask: what its length bound
    measures. Free text is NFKC-normalised (full-width and other compatibility forms read as
    what they look like), its control characters become spaces (no value can break a line of a
    message or a terminal), a zero-width space goes; other text is clean_text(). Trimmed, empty
    as null. -#}
{% macro contract_text(table_name, column_name) -%}
    {%- if raw_column_spec(table_name, column_name).get('pii') == 'free_text' -%}
        {%- set normalized = nfkc('replace(cast(' ~ column_name ~ ' as ' ~ dbt.type_string() ~ '), '
            ~ unicode_char(8203) ~ ", '')") -%}
        {{ return("nullif(trim(" ~ replace_all_matches(normalized, '[\\x01-\\x1f\\x7f-\\x9f]', ' ') ~ "), '')") }}
    {%- endif -%}
    {{ return(clean_text(column_name)) }}
{%- endmacro %}


{#- Every e-mail address, IP address and phone number in `expression` masked as `[email]`,
    `[ip]` and `[phone]`, in that order (digits inside an address are not a phone number).
    Written for text already NFKC-normalised with controls as spaces (free_text), so the
    patterns need ASCII only, and only what DuckDB's RE2, PostgreSQL's and Java's regular
    expressions share:
      e-mail  characters other than space and `@<>(),;:"`, an `@`, then a domain with a dot:
              `홍길동@회사.한국` and `me@example.com` alike;
      IPv4    four dot-separated groups of 1 to 3 digits;
      IPv6    eight colon-separated hex groups, or a `::` between hex groups (`fe80::1`);
      phone   an optional `+` or `(`, then nine or more digits, spaces, dots, dashes or
              parentheses, starting and ending with a digit: `010-1234-5678`,
              `+82 10 1234 5678`, `(02) 312-4567`, `1588-1234`.
    A date written `2026-03-01` or a product code of nine digits or more is masked as a phone
    number too: the price of never publishing one. -#}
{% macro mask_contact_details(expression) -%}
    {%- set hex = '[0-9A-Fa-f]{1,4}' -%}
    {%- set ipv6 = hex ~ '(:' ~ hex ~ '){7}|' ~ hex ~ '(:' ~ hex ~ ')*::' ~ hex ~ '(:' ~ hex ~ ')*' -%}
    {%- set masked = replace_all_matches(expression, '[^ @<>(),;:"]+@[^ @<>(),;:"]+[.][^ @<>(),;:".]+', '[email]') -%}
    {%- set masked = replace_all_matches(masked, '[0-9]{1,3}[.][0-9]{1,3}[.][0-9]{1,3}[.][0-9]{1,3}', '[ip]') -%}
    {%- set masked = replace_all_matches(masked, ipv6, '[ip]') -%}
    {{ replace_all_matches(masked, '[+(]?[0-9][0-9 .()-]{7,}[0-9]', '[phone]') }}
{%- endmacro %}


{#- Every match of `pattern` replaced (PostgreSQL and DuckDB need the 'g' flag; Spark
    replaces every match and reads a fourth argument as a position). -#}
{% macro replace_all_matches(expression, pattern, replacement) -%}
    {{ return(adapter.dispatch('replace_all_matches', 'marketmetrics')(expression, pattern, replacement)) }}
{%- endmacro %}

{% macro default__replace_all_matches(expression, pattern, replacement) -%}
    regexp_replace({{ expression }}, '{{ pattern }}', '{{ replacement }}', 'g')
{%- endmacro %}

{#- Spark reads backslash escapes in string literals: doubled, a pattern's `\x01` reaches Java
    as written. -#}
{% macro spark__replace_all_matches(expression, pattern, replacement) -%}
    regexp_replace({{ expression }}, '{{ pattern | replace('\\', '\\\\') }}', '{{ replacement }}')
{%- endmacro %}


{#- The replicator's columns, typed the same way on every table. A null _is_deleted is read
    as "not deleted": the contract says it is never null, and an absent flag must not
    delete an entity. Last in every base model's `renamed` CTE, with
      _parse_failure  the first value of the row that did not parse as its contract type or
                      broke its length bound (parse_checks, macros/staging/safe_parse.sql);
      _raw_key        the raw key as text when it does not parse as a key (`'N/A'`,
                      `'990004.5'`), null otherwise: what audit_quarantine shows, so a
                      quarantined row can be found in its source;
      _raw_synced_at  likewise for `_synced_at`.

        {{ replication_columns('orders', raw_types) }}
-#}
{% macro replication_columns(table_name, column_types) -%}
    {%- set table = raw_contract()['tables'].get(table_name) or {'kind': 'event', 'key': 'null'} -%}
    {%- set synced_at = utc_instant('_synced_at', column_types) -%}
    {%- if table['kind'] == 'entity' %}
        coalesce(cast(_is_deleted as {{ dbt.type_boolean() }}), false) as _is_deleted,
    {%- endif %}
        {{ synced_at }} as _synced_at,
        case
            when {{ typed(table['key'], 'bigint', column_types) }} is null
                then cast({{ table['key'] }} as {{ dbt.type_string() }})
        end as _raw_key,
        case
            when {{ synced_at }} is null
                then cast(_synced_at as {{ dbt.type_string() }})
        end as _raw_synced_at,
        {{ parse_failure(table_name, column_types) }} as _parse_failure
{%- endmacro %}
