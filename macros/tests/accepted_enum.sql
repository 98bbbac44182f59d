{#- Fails on each value of the column outside the raw contract's enumeration
    `raw_enum(table_name, enum_column)`: the one list staging validates against, so a YAML
    test never restates it. -#}
{% test accepted_enum(model, column_name, table_name, enum_column=none) %}

select {{ column_name }}
from {{ model }}
where {{ column_name }} is not null
    and {{ column_name }} not in ({{ sql_string_list(raw_enum(table_name, enum_column or column_name)) }})

{% endtest %}
