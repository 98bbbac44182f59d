{#- 'a', 'b' for an IN list; quotes in values are doubled.

    Example: status in ({{ sql_string_list(['paid', "o'clock"]) }})
      renders  status in ('paid', 'o''clock') -#}
{% macro sql_string_list(values) -%}
    {%- for value in values -%}
        '{{ value | replace("'", "''") }}'{{ ', ' if not loop.last }}
    {%- endfor -%}
{%- endmacro %}
