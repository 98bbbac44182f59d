{#- Fails on every row where `expression` is not true (null counts as a failure).
    Usable on a model or on a column (then `column_name` is ignored). The tested rows are
    aliased `tested`, for an expression that correlates a subquery with them. With `latest_by`
    only the rows holding that column's greatest value are tested: the latest check of a
    model that keeps every check (audit_raw_volumes).

        - expression_is_true:
            arguments:
              expression: "volume_accepted"
              latest_by: checked_at
-#}
{% test expression_is_true(model, expression, column_name=none, where_clause=none, latest_by=none) %}

select *
from (select * from {{ model }}) as tested
where not coalesce({{ expression }}, false)
{%- if where_clause %}
    and ({{ where_clause }})
{%- endif %}
{%- if latest_by %}
    and tested.{{ latest_by }} = (select max({{ latest_by }}) from {{ model }})
{%- endif %}

{% endtest %}
