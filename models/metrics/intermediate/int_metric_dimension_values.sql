{#- Every (metric, dimension, value) the metric tables report, so that every period has a
    row for each (metrics rule 5): the overall row, and for each of a metric's dimensions the
    values known to the warehouse: the dimension's reference list (a contract enumeration, a
    seed, a dimension model) and every value found in the metric's fact model. Ratios and
    formulas take the union over their components. -#}
{%- set catalog = metric_catalog() -%}
{%- set metrics = catalog['metrics'] -%}

with

{% set selects = [] -%}
{%- for metric in metrics if metric.calc in ['count', 'sum', 'count_distinct', 'percentile'] -%}
{%- for dimension in metric.get('dimensions', []) -%}
{%- do selects.append((metric, dimension)) -%}
{%- endfor -%}
{%- endfor -%}

observed as (

    select
        cast(null as {{ dbt.type_string() }}) as metric_name,
        cast(null as {{ dbt.type_string() }}) as dimension_name,
        cast(null as {{ dbt.type_string() }}) as dimension_value
    where 1 = 0
    {% for metric, dimension in selects -%}
    {%- set spec = catalog['dimensions'][dimension] %}
    union
    select
        '{{ metric.name }}' as metric_name,
        '{{ dimension }}' as dimension_name,
        {{ dimension_value_sql(dimension_column(dimension)) }} as dimension_value
    from {{ ref(metric.model) }}
    {%- if spec.get('where') %}
    where {{ spec.where }}
    {%- endif %}
    {%- endfor %}

),

referenced as (

    select
        cast(null as {{ dbt.type_string() }}) as dimension_name,
        cast(null as {{ dbt.type_string() }}) as dimension_value
    where 1 = 0
    {% for dimension, spec in catalog['dimensions'].items() if spec.get('values') -%}
    {%- set kind, source = spec['values'].split(' ') -%}
    {%- set source_relation, source_column = source.split('.') %}
    union
    select
        '{{ dimension }}' as dimension_name,
        {%- if kind == 'enum' %}
        enum_value as dimension_value
    from {{ ref('enum_labels') }}
    where table_name = '{{ source_relation }}' and column_name = '{{ source_column }}'
        {%- else %}
        {{ dimension_value_sql(source_column) }} as dimension_value
    from {{ ref(source_relation) }}
        {%- endif %}
    {%- endfor %}

),

base_values as (

    select
        observed.metric_name,
        observed.dimension_name,
        observed.dimension_value
    from observed
    union
    {% for metric in metrics if metric.calc in ['count', 'sum', 'count_distinct', 'percentile'] -%}
    {%- for dimension in metric.get('dimensions', []) %}
    select
        '{{ metric.name }}' as metric_name,
        referenced.dimension_name,
        referenced.dimension_value
    from referenced
    where referenced.dimension_name = '{{ dimension }}'
    union
    {%- endfor %}
    {%- endfor %}
    select
        cast(null as {{ dbt.type_string() }}) as metric_name,
        cast(null as {{ dbt.type_string() }}) as dimension_name,
        cast(null as {{ dbt.type_string() }}) as dimension_value
    where 1 = 0

),

{#- A derived metric's values per dimension: its components' (transitively). -#}
{%- set by_name = {} -%}
{%- for metric in metrics -%}{%- do by_name.update({metric.name: metric}) -%}{%- endfor -%}
{%- set derived = [] -%}
{%- for metric in metrics if metric.calc in ['ratio', 'formula'] -%}
    {%- set pending = [metric.name] -%}
    {%- set bases = [] -%}
    {%- for _ in range(10) -%}
        {%- for name in pending[:] -%}
            {%- do pending.remove(name) -%}
            {%- set item = by_name[name] -%}
            {%- if item.calc in ['ratio', 'formula'] -%}
                {%- set parts = item.get('numerator', []) + item.get('denominator', []) -%}
                {%- for match in modules.re.findall('{([a-z0-9_]+)}', item.get('expression', '')) -%}
                    {%- do parts.append(match) -%}
                {%- endfor -%}
                {%- do pending.extend(parts) -%}
            {%- elif name not in bases -%}
                {%- do bases.append(name) -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endfor -%}
    {%- do derived.append((metric, bases)) -%}
{%- endfor %}

derived_values as (

    {% for metric, bases in derived -%}
    select distinct
        '{{ metric.name }}' as metric_name,
        base_values.dimension_name,
        base_values.dimension_value
    from base_values
    where base_values.metric_name in ({{ sql_string_list(bases) }})
        and base_values.dimension_name in ({{ sql_string_list(metric.get('dimensions', []) + ['__none__']) }})
    union all
    {% endfor -%}
    select
        cast(null as {{ dbt.type_string() }}) as metric_name,
        cast(null as {{ dbt.type_string() }}) as dimension_name,
        cast(null as {{ dbt.type_string() }}) as dimension_value
    where 1 = 0

),

overall as (

    {% for metric in metrics -%}
    select
        '{{ metric.name }}' as metric_name,
        'all' as dimension_name,
        'all' as dimension_value
    {% if not loop.last %}union all
    {% endif -%}
    {%- endfor %}

),

final as (

    select
        metric_name,
        dimension_name,
        dimension_value
    from overall
    union all
    select
        metric_name,
        dimension_name,
        dimension_value
    from base_values
    union all
    select
        metric_name,
        dimension_name,
        dimension_value
    from derived_values

)

select * from final
