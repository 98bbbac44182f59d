{#- Fails on every row where `expression` is not true (null counts as a failure).
    Usable on a model or on a column (then `column_name` is ignored). -#}
{% test expression_is_true(model, expression, column_name=none, where_clause=none) %}

select *
from {{ model }}
where not coalesce({{ expression }}, false)
{%- if where_clause %}
    and ({{ where_clause }})
{%- endif %}

{% endtest %}
