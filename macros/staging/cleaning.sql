{#- Small cleaning expressions shared by the staging models. -#}

{#- Enumerated text: trimmed and lower-cased, so `' Paid'` is the contract's `paid`;
    anything else left is judged by classify_raw_rows.

    Example: {{ clean_enum('status') }} as status
      renders  lower(trim(<unicode_text('status')>)) as status
    (for ' Paid': 'paid') -#}
{% macro clean_enum(column_name) -%}
    lower(trim({{ unicode_text(column_name) }}))
{%- endmacro %}


{#- Free text: trimmed, and empty text becomes null.

    Example: {{ clean_text('business_name') }} as business_name
      renders  nullif(trim(<unicode_text('business_name')>), '') as business_name
    (for '  Acme  ': 'Acme'; for '   ': null) -#}
{% macro clean_text(column_name) -%}
    nullif(trim({{ unicode_text(column_name) }}), '')
{%- endmacro %}


{#- Text as one Unicode form: NFC (a decomposed `e` + accent equals the composed `é`, so one
    category is one group), and the look-alike spaces replicated from web forms and
    spreadsheets (no-break U+00A0, figure U+2007, narrow no-break U+202F, ideographic U+3000)
    as plain spaces, a zero-width space U+200B removed, so `trim` and the enum lists see what
    a person sees.

    Example: {{ unicode_text('status') }}
      renders  nfc_normalize(replace(replace(replace(replace(replace(cast(status as TEXT),
                   chr(160), ' '), chr(8199), ' '), chr(8239), ' '), chr(12288), ' '),
                   chr(8203), ''))   (DuckDB)
    (for 'a' || chr(160) || 'b': 'a b') -#}
{% macro unicode_text(column_name) -%}
    {%- set text = namespace(sql='cast(' ~ column_name ~ ' as ' ~ dbt.type_string() ~ ')') -%}
    {%- for code in [160, 8199, 8239, 12288] -%}
        {%- set text.sql = 'replace(' ~ text.sql ~ ', ' ~ unicode_char(code) ~ ", ' ')" -%}
    {%- endfor -%}
    {{ nfc('replace(' ~ text.sql ~ ', ' ~ unicode_char(8203) ~ ", '')") }}
{%- endmacro %}


{#- Free text typed by people (contract `pii: free_text`: search queries, NPS comments, product,
    category and seller names, API endpoints), as readers may see it: the cleaned text
    (contract_text) with every e-mail address, IP address and phone number masked
    (mask_contact_details). A value longer than the contract's `max_length` is quarantined as
    `too_long_<column>` (parse_checks).

    Example: {{ free_text('search_logs', 'query') }} as query,
      renders  <mask_contact_details(contract_text('search_logs', 'query'))> as query
    (' 문의 ０１０－１２３４－５６７８ ' -> '문의 [phone]'; a column the contract does not class
    as free_text: a compile error) -#}
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

    Example: {{ bounded_text('shipments', 'carrier') }} as carrier,
      renders  nullif(trim(<unicode_text('carrier')>), '') as carrier
    (for ' CJ' || chr(8203) || ' Logistics ': 'CJ Logistics') -#}
{% macro bounded_text(table_name, column_name) -%}
    {{ return(contract_text(table_name, column_name)) }}
{%- endmacro %}


{#- A text column cleaned as its contract class says, before any mask: what its length bound
    measures. Free text is NFKC-normalised (full-width and other compatibility forms read as
    what they look like), its control characters become spaces (no value can break a line of a
    message or a terminal), a zero-width space goes; other text is clean_text(). Trimmed, empty
    as null.

    Example: {{ contract_text('search_logs', 'query') }}
      renders  nullif(trim(regexp_replace(nfkc_normalize(replace(cast(query as TEXT), chr(8203), '')),
                   '[\x01-\x1f\x7f-\x9f]', ' ', 'g')), '')   (DuckDB)
    (for ' 문의 ０１０－１２３４－５６７８ ': '문의 010-1234-5678') -#}
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
    number too: the price of never publishing one.

    Example: {{ mask_contact_details('note') }}
      renders  regexp_replace(regexp_replace(regexp_replace(regexp_replace(note,
                   '<e-mail>', '[email]', 'g'), '<IPv4>', '[ip]', 'g'), '<IPv6>', '[ip]', 'g'),
                   '<phone>', '[phone]', 'g')   (DuckDB, PostgreSQL)
    (for 'mail me@example.com or 010-1234-5678 from 10.0.0.1':
    'mail [email] or [phone] from [ip]') -#}
{% macro mask_contact_details(expression) -%}
    {%- set hex = '[0-9A-Fa-f]{1,4}' -%}
    {%- set ipv6 = hex ~ '(:' ~ hex ~ '){7}|' ~ hex ~ '(:' ~ hex ~ ')*::' ~ hex ~ '(:' ~ hex ~ ')*' -%}
    {%- set masked = replace_all_matches(expression, '[^ @<>(),;:"]+@[^ @<>(),;:"]+[.][^ @<>(),;:".]+', '[email]') -%}
    {%- set masked = replace_all_matches(masked, '[0-9]{1,3}[.][0-9]{1,3}[.][0-9]{1,3}[.][0-9]{1,3}', '[ip]') -%}
    {%- set masked = replace_all_matches(masked, ipv6, '[ip]') -%}
    {{ replace_all_matches(masked, '[+(]?[0-9][0-9 .()-]{7,}[0-9]', '[phone]') }}
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

    Example: {{ replication_columns('orders', raw_types) }}, the raw table's types being the
             contract's (timestamptz, bigint key),
      renders  coalesce(cast(_is_deleted as boolean), false) as _is_deleted,
               (_synced_at at time zone 'UTC') as _synced_at,
               case when cast(order_id as bigint) is null
                   then cast(order_id as TEXT) end as _raw_key,
               case when (_synced_at at time zone 'UTC') is null
                   then cast(_synced_at as TEXT) end as _raw_synced_at,
               case when length(<contract_text('orders', 'session_id')>) > 128
                   then 'too_long_session_id' end as _parse_failure   (DuckDB)
    (an event table has no _is_deleted) -#}
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
