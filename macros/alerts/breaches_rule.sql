{#- Whether `value` breaches the threshold rule `rule_name` of the `rules` relation (the seed
    alert_rules): true or false, null for a null value or without such a rule. An expression,
    for a select that has `rules` in scope.

        {{ breaches_rule('availability_low', 'key_metrics.availability') }}
        -- availability < 0.99, the rule's comparator and threshold read from the seed
-#}
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
