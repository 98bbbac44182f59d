{#- Fails on every row where `expression` is not true (null counts as a failure).
    Usable on a model or on a column (then `column_name` is ignored). The tested rows are
    aliased `tested`, for an expression that correlates a subquery with them. -#}
{% test expression_is_true(model, expression, column_name=none, where_clause=none) %}

select *
from (select * from {{ model }}) as tested
where not coalesce({{ expression }}, false)
{%- if where_clause %}
    and ({{ where_clause }})
{%- endif %}

{% endtest %}
