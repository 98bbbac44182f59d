{#- (value - reference) / reference; null where the reference is null or 0.

    Example: {{ pct_change('metric_value', 'prior_period_value') }}
      renders  case when prior_period_value != 0 then (metric_value - prior_period_value) / prior_period_value end
    (for 120.0 against 100.0: 0.2; against 0 or null: null) -#}
{% macro pct_change(value, reference) -%}
    case when {{ reference }} != 0 then ({{ value }} - {{ reference }}) / {{ reference }} end
{%- endmacro %}
