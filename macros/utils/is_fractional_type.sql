{#- Whether a declared column type, lower-cased by the caller, holds fractions: double, float,
    real, numeric or decimal. A Jinja boolean, for compile-time choices; no SQL.

    Example: {{ is_fractional_type('decimal(9,3)') }}   returns true
             {{ is_fractional_type('integer') }}        returns false -#}
{% macro is_fractional_type(declared) -%}
    {%- for name in ['double', 'float', 'real', 'numeric', 'decimal'] -%}
        {%- if name in declared -%}{{ return(true) }}{%- endif -%}
    {%- endfor -%}
    {{ return(false) }}
{%- endmacro %}
