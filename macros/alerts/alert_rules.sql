{#- GENERATED from catalog/alert_rules.yml by `marketmetrics catalog` (and every
    `marketmetrics build`), after marketmetrics.alerts.validate_rules checked it:
    do not edit, edit the YAML. tests/python/test_alerts.py fails when this file
    is stale. -#}
{% macro alert_rules_yaml() -%}
{% set yaml_text %}
# THE ALERT RULES: the one versioned file of alerting rules, and the one place their
# thresholds live. `marketmetrics catalog` (and every `marketmetrics build`) checks them against
# the metric catalog (marketmetrics.alerts.validate_rules: the only check) and renders them into
# macros/alerts/alert_rules.sql, which dbt reads: the model metric_alerts evaluates them on
# every build, and the guardrail tests of alert_key_metrics_daily take their thresholds from
# them (alert_rule_holds). tests/python/test_alerts.py fails when that macro is stale. Labels
# and messages are made in Python (marketmetrics.alerts), not in SQL.
#
# settings:
#   open_days       an alert is open when its period ends within this many days of the
#                   latest complete day (so a daily scheduler still sees yesterday's alert)
# Per rule:
#   name            unique, snake_case
#   type            threshold | anomaly
#   metric          a published metric of the catalog
#   grain           day | week | month (threshold); anomaly rules are day grain only
#   dimension       `all` (default) or a breakdown of the metric: each of its values is evaluated
#   dimension_value optional: only this value of the dimension
#   severity        info | warning | critical (critical makes `marketmetrics alerts` exit non-zero)
#   threshold:      comparator (< <= > >=) and value
#   anomaly:        weeks (baseline: the same weekday in each of the previous `weeks` weeks,
#                   all present), k, direction (up | down | both); fires when the value is
#                   more than k sample standard deviations from the baseline mean, on the
#                   side `direction` names, and the standard deviation is above 0;
#                   optional min_deviation: the distance must also exceed this absolute
#                   amount (4 weeks of a small gateway's rate make a jumpy baseline)
#   min_volume      optional {metric, value}: skip a period whose companion count (same
#                   grain, period and dimension value) is below value: a rate over 5
#                   payments is noise, not news
# Only complete periods are evaluated.

settings:
  open_days: 7

rules:
  # --- payments -------------------------------------------------------------------------
  - name: payment_success_rate_low
    type: threshold
    metric: payment_success_rate
    comparator: "<"
    value: 0.9
    severity: warning
    description: Overall payment success rate below 90 %.
  - name: payment_success_rate_gateway_down
    type: threshold
    metric: payment_success_rate
    dimension: pg_provider
    comparator: "<"
    value: 0.8
    severity: critical
    min_volume: {metric: payment_attempts, value: 20}
    description: A payment gateway approves fewer than 80 % of its attempts.
  - name: payment_success_rate_gateway_drop
    type: anomaly
    metric: payment_success_rate
    dimension: pg_provider
    weeks: 4
    k: 3
    min_deviation: 0.1
    direction: down
    severity: warning
    min_volume: {metric: payment_attempts, value: 20}
    description: A gateway's success rate fell more than 3 standard deviations (and 10 points) below its usual level for the weekday.

  # --- external gateways and own APIs ---------------------------------------------------
  - name: external_api_error_rate_high
    type: threshold
    metric: external_api_error_rate
    dimension: upstream_provider
    comparator: ">"
    value: 0.2
    severity: critical
    min_volume: {metric: external_api_calls, value: 20}
    description: More than 20 % of the calls to an external gateway fail.
  - name: external_api_error_rate_spike
    type: anomaly
    metric: external_api_error_rate
    dimension: upstream_provider
    weeks: 4
    k: 3
    min_deviation: 0.1
    direction: up
    severity: warning
    min_volume: {metric: external_api_calls, value: 20}
    description: An external gateway's error rate rose more than 3 standard deviations (and 10 points) above its usual level for the weekday.
  - name: availability_low
    type: threshold
    metric: availability
    comparator: "<"
    value: 0.99
    severity: warning
    description: Own-API availability below 99 % (all services).

  # --- business -------------------------------------------------------------------------
  - name: orders_drop
    type: anomaly
    metric: orders
    weeks: 4
    k: 4
    direction: down
    severity: info
    description: Far fewer orders than usual for the weekday.
  - name: on_time_delivery_weekly_low
    type: threshold
    metric: on_time_delivery_rate
    grain: week
    comparator: "<"
    value: 0.8
    severity: info
    description: Fewer than 80 % of the week's deliveries arrived on time.
{% endset %}
{{ return(yaml_text) }}
{%- endmacro %}


{#- The rules as data: {'settings': {...}, 'rules': [...]}. The var `alert_rules` (a mapping of
    the same shape, checked by validate_rules in the tests that pass it) replaces them: tests
    evaluate their own rules on fixtures with it. -#}
{% macro alert_rules() -%}
    {%- set override = var('alert_rules', none) -%}
    {%- if override -%}
        {{ return(fromyaml(override) if override is string else override) }}
    {%- endif -%}
    {{ return(fromyaml(alert_rules_yaml())) }}
{%- endmacro %}


{#- A guardrail test's condition, taken from an alert rule so the threshold lives only in the
    rules: true when `column` (an overall daily value) does not breach the threshold rule
    `rule_name`. Used by the warn tests of alert_key_metrics_daily. For a rule evaluated per
    dimension value the overall value is the weaker check: a breach overall means at least one
    value breaches. -#}
{% macro alert_rule_holds(rule_name, column) -%}
    {%- set negation = {'<': '>=', '<=': '>', '>': '<=', '>=': '<'} -%}
    {%- set rule = (alert_rules()['rules'] | selectattr('name', 'equalto', rule_name) | list) -%}
    {%- if rule | length != 1 or rule[0]['type'] != 'threshold' -%}
        {{ exceptions.raise_compiler_error(
            'alert_rule_holds: no threshold rule named ' ~ rule_name) }}
    {%- endif -%}
    {{ column }} {{ negation[rule[0]['comparator']] }} {{ rule[0]['value'] }}
{%- endmacro %}
