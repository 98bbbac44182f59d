{#- Whether `value` breaches the threshold rule `rule_name` of the `rules` relation (the seed
    alert_rules): true or false (false for a null value), null without such a rule. An
    expression, for a select that has `rules` in scope.

    Example: {{ breaches_rule('availability_low', 'key_metrics.availability') }}
      renders  (select max(case
                   when rules.comparator = '<' then case when key_metrics.availability
                       < rules.threshold_value then 1 else 0 end
                   ... (the same for <=, > and >=)
               end) from rules where rules.rule_name = 'availability_low') = 1
    -- availability < 0.99, the rule's comparator and threshold read from the seed: true for
    0.98, false for 0.995 and for null -#}
{% macro breaches_rule(rule_name, value) -%}
    (
        select max(
            case
                when rules.comparator = '<' then case when {{ value }} < rules.threshold_value then 1 else 0 end
                when rules.comparator = '<=' then case when {{ value }} <= rules.threshold_value then 1 else 0 end
                when rules.comparator = '>' then case when {{ value }} > rules.threshold_value then 1 else 0 end
                when rules.comparator = '>=' then case when {{ value }} >= rules.threshold_value then 1 else 0 end
            end
        )
        from rules
        where rules.rule_name = '{{ rule_name }}'
    ) = 1
{%- endmacro %}
