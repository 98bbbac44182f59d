{#- The bytes a text of hexadecimal digits spells, as the engine's binary type (blob, bytea,
    binary).

    Example: {{ hex_bytes("repeat('36', 64)") }}
      renders  unhex(repeat('36', 64))   (DuckDB, Spark; decode(..., 'hex') on PostgreSQL)
    (64 bytes of 0x36: HMAC's inner pad of the empty key) -#}
{% macro hex_bytes(hex_expression) -%}
    {{ return(adapter.dispatch('hex_bytes', 'marketmetrics')(hex_expression)) }}
{%- endmacro %}

{#- PostgreSQL: decode() with the 'hex' format, a bytea. -#}
{% macro default__hex_bytes(hex_expression) -%}
    decode({{ hex_expression }}, 'hex')
{%- endmacro %}

{#- DuckDB: unhex(), a blob. -#}
{% macro duckdb__hex_bytes(hex_expression) -%}
    unhex({{ hex_expression }})
{%- endmacro %}

{#- Spark: unhex(), a binary. -#}
{% macro spark__hex_bytes(hex_expression) -%}
    unhex({{ hex_expression }})
{%- endmacro %}
