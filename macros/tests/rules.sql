{#- One data test per model for every column rule it declares (docs/testing.md).

    A model, seed or snapshot lists its rules where dbt keeps them, and carries this one test:

        - name: stg_orders
          data_tests:
            - rules:
                arguments:
                  enums: {status: orders}            # the raw contract's enumeration
                  relationships:
                    - {column: customer_id, to: stg_customers, field: customer_id, severity: warn}
                  expressions:
                    - {name: paid_after_ordered, expression: "paid_at >= ordered_at",
                       where: "paid_at is not null", severity: warn}
          constraints:                               # rules over several columns
            - {type: unique, columns: [order_id, line_no]}
          columns:
            - name: order_id
              constraints: [{type: not_null}, {type: unique}]
            - name: amount
              constraints:
                - {type: check, name: amount_not_negative, expression: "amount >= 0"}

    The column and model `constraints` are dbt's own: not_null, unique, primary_key (unique
    and not null) and check. Where a model's contract is enforced on DuckDB or PostgreSQL the
    engine refuses a row that breaks a not_null or check constraint when the table is written,
    so the test leaves those to it; everywhere else (Spark, or a model without a contract) the
    test checks them after the write. The test's arguments say what a constraint cannot:
    `enums` (a column's values come from the raw contract's enumeration, macros/contract),
    `relationships` (every non-null value exists in another model's column; `to` names a
    model, seed or snapshot) and `expressions` (true on every row, or on the rows `where`
    selects; null counts as false). A relationship or expression may be `severity: warn`;
    every other rule is an error.

    The test returns one row per broken rule, `rule`, `severity` and `failing_rows`, and dbt
    reports the sum of failing_rows: an error when an error rule broke, a warning when only warn
    rules did. The on-run-end hook names each broken rule in the build's output
    (record_test_results, macros/quality/test_results.sql).

    Semantics are those of the tests they replace: unique counts the values that occur more
    than once (nulls ignored); a multi-column unique counts the combinations that do (nulls
    equal); a check fails only where its expression is false (null passes, as in SQL); a
    relationship counts the rows whose value is missing from the parent.

    With test_scope=changed the rules read only the rows the model's latest build wrote
    (macros/tests/changed_rows_scope.sql), relationships reading their parents whole. -#}
{% test rules(model, enums={}, relationships=[], expressions=[], not_null=[], unique=[], checks={}) %}
{{ config(
    fail_calc='coalesce(sum(failing_rows), 0)',
    warn_if='> 0',
    error_if="> coalesce(sum(case when severity = 'warn' then failing_rows else 0 end), 0)",
    scope_in_test=true
) }}
{#- Each parent is ref'd here, outside any `execute` guard, so dbt records the dependency. -#}
{%- set parents = {} -%}
{%- for rel in relationships -%}
    {%- do parents.update({rel.to: ref(rel.to)}) -%}
{%- endfor -%}
{%- set node = rules_tested_node(model) -%}
{%- set rules = rules_of(node, enums, relationships, expressions, parents, rules_declared_by_test(not_null, unique, checks)) -%}
{%- set scoped = rules_scoped_relation(model) %}
with

tested as (

    select * from {{ scoped }}

),

{%- if rules.row_rules %}

row_rules as (

    select
        {%- for rule in rules.row_rules %}
        sum(case when {{ rule.fails }} then 1 else 0 end) as rule_{{ loop.index }}{{ ',' if not loop.last }}
        {%- endfor %}
    from tested

),
{%- endif %}

failures as (

    {%- for rule in rules.row_rules %}
    select
        {{ sql_literal(rule.label) }} as rule,
        {{ sql_literal(rule.severity) }} as severity,
        coalesce(rule_{{ loop.index }}, 0) as failing_rows
    from row_rules
    union all
    {%- endfor %}
    {%- for rule in rules.set_rules %}
    select
        {{ sql_literal(rule.label) }} as rule,
        {{ sql_literal(rule.severity) }} as severity,
        (select count(*) from ({{ rule.failing }}) as failing) as failing_rows
    union all
    {%- endfor %}
    select
        'none' as rule,
        'error' as severity,
        0 as failing_rows

)

select rule, severity, failing_rows
from failures
where failing_rows > 0
{% endtest %}


{#- The graph node (model, seed or snapshot) whose relation `model` is.

    Example: {{ rules_tested_node(ref('stg_orders')) }}   returns the node of stg_orders -#}
{% macro rules_tested_node(model) -%}
    {%- if not execute -%}{{ return({}) }}{%- endif -%}
    {%- for node in graph.nodes.values()
        if node.resource_type in ('model', 'seed', 'snapshot')
        and (node.alias or node.name) | lower == model.identifier | lower
        and node.schema | lower == model.schema | lower -%}
        {{ return(node) }}
    {%- endfor -%}
    {{ exceptions.raise_compiler_error('rules: no model, seed or snapshot is built as ' ~ model) }}
{%- endmacro %}


{#- The relation the rules read: the model, or under test_scope=changed the rows its latest
    build wrote (get_where_subquery leaves the rules test's argument whole).

    Example: {{ rules_scoped_relation(ref('fct_orders')) }}   with test_scope=changed returns
      (select * from marts.fct_orders where _built_at = (select max(_built_at) from marts.fct_orders)) as scoped -#}
{% macro rules_scoped_relation(model) -%}
    {%- set changed = changed_rows_condition(model) -%}
    {{ return('(select * from ' ~ model ~ ' where ' ~ changed ~ ') as scoped' if changed else model) }}
{%- endmacro %}


{#- Does the engine enforce this model's not_null and check constraints when it writes it?

    Example: {{ rules_enforced_by_engine(node) }}   returns true for a contracted model on DuckDB -#}
{% macro rules_enforced_by_engine(node) -%}
    {{ return(node.resource_type == 'model'
        and (node.config.contract or {}).get('enforced', false)
        and target.type in ('duckdb', 'postgres')) }}
{%- endmacro %}


{#- Every rule of `node`, as {row_rules: [...], set_rules: [...]}. A row rule is a condition
    true on a failing row (`fails`), counted in one pass; a set rule is a query whose rows are
    its failures (`failing`), over the tested rows `tested`.

    Example: {{ rules_of(node_of_fct_orders, {'status': 'orders'}, [], [], {}, []) }} returns
      {'row_rules': [{'label': 'not_null(order_id)', 'severity': 'error', 'fails': 'order_id is null'}, ...,
                     {'label': 'enum(status: orders.status)', 'fails': "status not in ('created', ...)"}],
       'set_rules': [{'label': 'unique(order_id)', 'failing': 'select order_id from tested ...'}]} -#}
{% macro rules_of(node, enums, relationships, expressions, parents, given) -%}
    {%- set row_rules = [] -%}
    {%- set set_rules = [] -%}
    {%- if not execute -%}{{ return({'row_rules': row_rules, 'set_rules': set_rules}) }}{%- endif -%}
    {%- set engine_checks = rules_enforced_by_engine(node) -%}
    {%- set declared = [] -%}
    {%- for column in node.columns.values() -%}
        {%- for constraint in column.constraints or [] -%}
            {%- do declared.append((constraint, [column.name])) -%}
        {%- endfor -%}
    {%- endfor -%}
    {%- for constraint in node.constraints or [] -%}
        {%- do declared.append((constraint, constraint.columns or [])) -%}
    {%- endfor -%}
    {%- for constraint in given -%}
        {%- do declared.append((constraint, constraint.columns)) -%}
    {%- endfor -%}
    {%- for constraint, columns in declared -%}
        {%- set kind = constraint.type -%}
        {%- if kind in ('not_null', 'primary_key') and not engine_checks -%}
            {%- for column in columns -%}
                {%- do row_rules.append({'label': 'not_null(' ~ column ~ ')', 'severity': 'error',
                    'fails': column ~ ' is null'}) -%}
            {%- endfor -%}
        {%- endif -%}
        {%- if kind in ('unique', 'primary_key') -%}
            {%- set listed = columns | join(', ') -%}
            {%- set nulls_out = ' where ' ~ columns[0] ~ ' is not null' if columns | length == 1 else '' -%}
            {%- do set_rules.append({'label': (constraint.name or 'unique(' ~ listed ~ ')'), 'severity': 'error',
                'failing': 'select ' ~ listed ~ ' from tested' ~ nulls_out ~ ' group by ' ~ listed ~ ' having count(*) > 1'}) -%}
        {%- endif -%}
        {%- if kind == 'check' and not engine_checks -%}
            {%- do row_rules.append({'label': constraint.name or 'check(' ~ constraint.expression ~ ')',
                'severity': 'error', 'fails': 'not (' ~ constraint.expression ~ ')'}) -%}
        {%- endif -%}
        {%- if kind not in ('not_null', 'primary_key', 'unique', 'check') -%}
            {{ exceptions.raise_compiler_error('rules: ' ~ node.name ~ ' declares a ' ~ kind ~ ' constraint; the rules test checks not_null, unique, primary_key and check (a relationship is an argument of the test)') }}
        {%- endif -%}
    {%- endfor -%}
    {%- for column, table in enums.items() -%}
        {%- set table_name, enum_column = (table, column) if table is string else (table[0], table[1]) -%}
        {%- do row_rules.append({'label': 'enum(' ~ column ~ ': ' ~ table_name ~ '.' ~ enum_column ~ ')', 'severity': 'error',
            'fails': column ~ ' not in (' ~ sql_string_list(raw_enum(table_name, enum_column)) ~ ')'}) -%}
    {%- endfor -%}
    {%- for rel in relationships -%}
        {%- set parent = parents[rel.to] -%}
        {%- do set_rules.append({
            'label': 'relationships(' ~ rel.column ~ ' -> ' ~ rel.to ~ '.' ~ rel.field ~ ')',
            'severity': rel.get('severity', 'error'),
            'failing': 'select child.' ~ rel.column ~ ' from tested as child left join (select distinct '
                ~ rel.field ~ ' as parent_key from ' ~ parent ~ ') as parent on child.' ~ rel.column
                ~ ' = parent.parent_key where child.' ~ rel.column ~ ' is not null and parent.parent_key is null'}) -%}
    {%- endfor -%}
    {%- for check in expressions -%}
        {%- set label = check.get('name') or 'expression(' ~ check.expression ~ ')' -%}
        {%- set where = check.get('where') -%}
        {%- set fails = 'not coalesce(' ~ check.expression ~ ', false)' -%}
        {%- set rule = {'label': label, 'severity': check.get('severity', 'error')} -%}
        {%- set fails = ('(' ~ where ~ ') and ' if where else '') ~ fails -%}
        {%- if 'select ' in (check.expression | lower) -%}
            {%- do rule.update({'failing': 'select 1 from tested where ' ~ fails}) -%}
            {%- do set_rules.append(rule) -%}
        {%- else -%}
            {%- do rule.update({'fails': fails}) -%}
            {%- do row_rules.append(rule) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return({'row_rules': row_rules, 'set_rules': set_rules}) }}
{%- endmacro %}


{#- The rules a seed gives as the test's arguments (dbt has no constraints for seeds), in the
    shape of constraints: not_null [column, ...], unique [column or [columns], ...] and checks
    {name: expression}.

    Example: {{ rules_declared_by_test(['a'], [['a', 'b']], {}) }}
      returns [{'type': 'not_null', 'columns': ['a']}, {'type': 'unique', 'columns': ['a', 'b']}] -#}
{% macro rules_declared_by_test(not_null, unique, checks) -%}
    {%- set declared = [] -%}
    {%- for column in not_null -%}
        {%- do declared.append({'type': 'not_null', 'columns': [column], 'name': none}) -%}
    {%- endfor -%}
    {%- for columns in unique -%}
        {%- do declared.append({'type': 'unique', 'columns': [columns] if columns is string else columns, 'name': none}) -%}
    {%- endfor -%}
    {%- for name, expression in checks.items() -%}
        {%- do declared.append({'type': 'check', 'columns': [], 'name': name, 'expression': expression}) -%}
    {%- endfor -%}
    {{ return(declared) }}
{%- endmacro %}
