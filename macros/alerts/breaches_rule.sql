{#- The comparator and threshold of threshold rules of the seed alert_rules, pivoted to one row
    (`<rule>__comparator`, `<rule>__threshold`), for breaches_rule to compare with: a join, not a
    correlated subquery (Spark refuses an aggregate over outer and local references). The body
    of a CTE, over a `rules` CTE in scope.

    Example: thresholds as ({{ rule_thresholds(['availability_low']) }})
      renders  select
                   max(case when rule_name = 'availability_low' then comparator end)
                       as availability_low__comparator,
                   max(case when rule_name = 'availability_low' then threshold_value end)
                       as availability_low__threshold
               from rules
    (one row: '<', 0.99; nulls when the seed has no such rule) -#}
{% macro rule_thresholds(rule_names) -%}
    select
        {%- for rule_name in rule_names %}
        max(case when rule_name = '{{ rule_name }}' then comparator end) as {{ rule_name }}__comparator,
        max(case when rule_name = '{{ rule_name }}' then threshold_value end) as {{ rule_name }}__threshold
        {%- if not loop.last %},{% endif %}
        {%- endfor %}
    from rules
{%- endmacro %}


{#- Whether `value` breaches the threshold rule `rule_name`, read from a `thresholds` CTE made
    by rule_thresholds: true or false (false for a null value), null when the seed has no
    such rule. An expression.

    Example: {{ breaches_rule('availability_low', 'key_metrics.availability') }}
      renders  case
                   when thresholds.availability_low__comparator is null then null
                   when key_metrics.availability is null then false
                   when thresholds.availability_low__comparator = '<'
                       then key_metrics.availability < thresholds.availability_low__threshold
                   ... (the same for <=, > and >=)
                   else false
               end
    -- availability < 0.99, the rule's comparator and threshold read from the seed: true for
    0.98, false for 0.995 and for null -#}
{% macro breaches_rule(rule_name, value) -%}
    {%- set comparator = 'thresholds.' ~ rule_name ~ '__comparator' -%}
    {%- set threshold = 'thresholds.' ~ rule_name ~ '__threshold' -%}
    case
        when {{ comparator }} is null then null
        when {{ value }} is null then false
        when {{ comparator }} = '<' then {{ value }} < {{ threshold }}
        when {{ comparator }} = '<=' then {{ value }} <= {{ threshold }}
        when {{ comparator }} = '>' then {{ value }} > {{ threshold }}
        when {{ comparator }} = '>=' then {{ value }} >= {{ threshold }}
        else false
    end
{%- endmacro %}
