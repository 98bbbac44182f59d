{#- Whether a declared column type, lower-cased by the caller (as typed_plan() and
    utc_instant() do), is text: char, varchar, character varying, text or string. A Jinja
    boolean, for compile-time choices; no SQL.

    Example: {{ is_text_type('character varying(256)') }}   returns true
             {{ is_text_type('bigint') }}                   returns false -#}
{% macro is_text_type(declared) -%}
    {{ return('char' in declared or 'text' in declared or declared == 'string') }}
{%- endmacro %}
