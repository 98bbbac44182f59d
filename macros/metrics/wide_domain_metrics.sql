{#- The published metrics of a dashboard domain (their meta's `domain`), for the wide tables.
    Empty while dbt parses.

    Example: {{ domain_metric_names('payments') }}
      returns  ['payment_amount', 'payment_attempts', 'payment_processing_seconds_p50', ...,
                'refund_amount', 'refunds']
    (a domain no published metric names: a compile error) -#}
{% macro domain_metric_names(domain) -%}
    {%- set names = catalog_metrics(published_only=true) | selectattr('domain', 'equalto', domain)
        | map(attribute='name') | list -%}
    {%- if execute and not names -%}
        {{ exceptions.raise_compiler_error("no published metric names the domain " ~ domain) }}
    {%- endif -%}
    {{ return(names) }}
{%- endmacro %}


{#- One column per metric of `metric_names`, pivoted from long rows (`metric_name`,
    `metric_value`) of one group: dbt_utils' pivot, for metric tables (dbt_utils'
    pivot reads the values from the database; the catalog knows them).

    Example: select period_start, {{ pivot_metric_columns(['orders', 'gmv']) }} from ... group by 1
      renders  max(case when metric_name = 'orders' then metric_value end) as orders,
               max(case when metric_name = 'gmv' then metric_value end) as gmv -#}
{% macro pivot_metric_columns(metric_names) -%}
    {%- for name in metric_names -%}
        max(case when metric_name = '{{ name }}' then metric_value end) as {{ name }}{{ ',\n        ' if not loop.last }}
    {%- endfor -%}
{%- endmacro %}
