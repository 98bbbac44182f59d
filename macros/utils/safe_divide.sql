{#- numerator / denominator, null where the denominator is 0 or null (metrics rule 4). Both
    sides are cast to double first, so integer counts never divide as integers.

    Example: {{ safe_divide('approved', 'approved + failed') }}
      renders  (cast(approved as double precision) / nullif(cast(approved + failed as double precision), 0))
    (for approved = 3, failed = 1: 0.75; for 0 and 0: null) -#}
{% macro safe_divide(numerator, denominator) -%}
    (cast({{ numerator }} as {{ type_double() }}) / nullif(cast({{ denominator }} as {{ type_double() }}), 0))
{%- endmacro %}
