{#- Data tests scoped to the rows a run changed.

    With `--vars '{test_scope: changed}'` (what `marketmetrics build` passes on a scheduled
    sync: docs/scheduling.md), every generic data test on a model whose rows carry a build stamp
    reads only the rows the model's latest build wrote:

        base models           _classified_at  (the rows re-classified: every row of a touched key)
        marts, intermediates  _built_at       (the keys an incremental build replaced)
        metric values models  _computed_at    (the periods recomputed)

    i.e. `where <stamp> = (select max(<stamp>) from <model>)`, and'ed with the test's own `where`.
    A model fully rebuilt by the run stamps every row alike, so its tests still read it all; a
    model with no stamp column (views over raw rows, the metric tables) is tested whole. The
    default scope, `all`, tests every row: the weekly full refresh and CI use it.

    What a scoped test cannot see: a new row that duplicates the key of an untouched old row
    (impossible under replace_keys and delete+insert, which delete the key first) and a parent
    row deleted under an untouched child (the relationship tests run on the child; the weekly
    full run catches it). Singular tests (tests/dbt/) always read everything.

    dbt looks this macro up before its own (the `dispatch` entry in dbt_project.yml). -#}
{% macro default__get_where_subquery(relation) -%}
    {#- The rules test (macros/tests/rules.sql) reads its model's declared rules and scopes itself. -#}
    {%- if config.get('scope_in_test') -%}{{ return(relation) }}{%- endif -%}
    {%- set where = config.get('where', '') -%}
    {%- set changed = changed_rows_condition(relation) -%}
    {%- if changed -%}
        {%- set where = changed ~ (' and (' ~ where ~ ')' if where else '') -%}
    {%- endif -%}
    {%- if where -%}
        {%- set filtered -%}
            (select * from {{ relation }} where {{ where }}) dbt_subquery
        {%- endset -%}
        {{ return(filtered) }}
    {%- else -%}
        {{ return(relation) }}
    {%- endif -%}
{%- endmacro %}


{#- Under test_scope=changed, the condition selecting the rows of `relation` its latest build
    wrote; none when the scope is `all` or the relation carries no stamp. Any other scope is
    refused.

    Example: {{ changed_rows_condition(ref('fct_orders')) }}   with test_scope=changed returns
      _built_at = (select max(_built_at) from marts.fct_orders) -#}
{% macro changed_rows_condition(relation) -%}
    {%- set scope = var('test_scope', 'all') -%}
    {%- if scope not in ('all', 'changed') -%}
        {{ exceptions.raise_compiler_error("test_scope must be 'all' or 'changed', got " ~ scope) }}
    {%- endif -%}
    {%- set stamp = changed_rows_stamp(relation) if scope == 'changed' else none -%}
    {{ return(stamp ~ ' = (select max(' ~ stamp ~ ') from ' ~ relation ~ ')' if stamp else none) }}
{%- endmacro %}


{#- The build-stamp column of `relation`, or none.

    Example: {{ changed_rows_stamp(ref('fct_orders')) }}    returns '_built_at'
             {{ changed_rows_stamp(ref('base_orders')) }}   returns '_classified_at'
             {{ changed_rows_stamp(ref('metrics_daily')) }} returns none -#}
{% macro changed_rows_stamp(relation) -%}
    {%- if not execute -%}{{ return(none) }}{%- endif -%}
    {%- set names = adapter.get_columns_in_relation(relation) | map(attribute='name') | map('lower') | list -%}
    {%- for stamp in ['_built_at', '_classified_at', '_computed_at'] if stamp in names -%}
        {{ return(stamp) }}
    {%- endfor -%}
    {{ return(none) }}
{%- endmacro %}
