{#- The metric engine: the base values of every catalog metric, one model per fact model
    (int_metric_values__<fact>), read by the metric tables through the int_metric_values view.

    A values model holds, for the metrics whose catalog `model` is its fact, one row per
    (metric, grain, period, dimension, value) that has data; the metric tables fill the rest
    (zeros, or null for percentiles and stocks). Its compiled SQL is a few CTEs:

      touched_days      the local dates whose values may have changed since the last run (all
                        dates on a full refresh); see metric_touched_days below
      touched_periods   the period of every grain that contains a touched day
      day_values        every metric at day grain over the touched days, from the facts
      additive_values   counts and sums at week .. year: exact sums of their days (rule 3: an
                        additive metric equals the sum of its days), fresh days and stored days
      recounted_values  distinct counts and percentiles at week .. year, recomputed from the
                        facts over the whole period, for the touched periods only
      sentinels         one row per touched period, so that a period whose facts all vanished is
                        emptied too (strategy replace_periods)

    An incremental run rewrites exactly the touched periods, whatever the lateness of the
    rows: correctness rests on the fact's footprint or _synced_at, not on lookback_days.
    The catalog is parsed once per model and handed down as `catalog`. -#}


{#- One fact model as the engine sees it: its key, how its changes are found, its metrics, its
    date columns and the (date column, dimension) groups, one scan each. -#}
{% macro metric_fact(catalog, fact_model) -%}
    {%- set spec = catalog['facts'].get(fact_model) -%}
    {%- if spec is none -%}
        {{ exceptions.raise_compiler_error("metric catalog: no entry under `facts` for " ~ fact_model) }}
    {%- endif -%}
    {%- set metrics = catalog['metrics'] | selectattr('model', 'defined') | selectattr('model', 'equalto', fact_model) | list -%}
    {%- if not metrics -%}
        {{ exceptions.raise_compiler_error("metric catalog: no metric reads " ~ fact_model) }}
    {%- endif -%}
    {%- set dates = [] -%}
    {%- set groups = [] -%}
    {%- for metric in metrics if metric.get('date') -%}
        {%- if metric.date not in dates -%}{%- do dates.append(metric.date) -%}{%- endif -%}
        {%- for dimension in ['all'] + metric.get('dimensions', []) -%}
            {%- set found = groups | selectattr('date', 'equalto', metric.date) | selectattr('dimension', 'equalto', dimension) | list -%}
            {%- if found -%}
                {%- do found[0].metrics.append(metric) -%}
            {%- else -%}
                {%- do groups.append({'date': metric.date, 'dimension': dimension, 'metrics': [metric]}) -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endfor -%}
    {%- set key = spec.get('key', []) -%}
    {{ return({
        'model': fact_model,
        'changes': spec.changes,
        'keys': [key] if key is string else key,
        'metrics': metrics,
        'dates': dates,
        'groups': groups,
    }) }}
{%- endmacro %}


{#- The first day of the period of grain `grain_column` (a column holding day .. year) that
    contains the date `date_expr`. -#}
{% macro period_start_of_grain(grain_column, date_expr) -%}
    case {{ grain_column }}
        {%- for grain in metric_grains() %}
        when '{{ grain }}' then {{ period_start(grain, date_expr) }}
        {%- endfor %}
    end
{%- endmacro %}


{#- The grains as a relation (`grains.grain`), `coarse` leaves out the day. -#}
{% macro metric_grain_values(coarse=false) -%}
    (values {% for grain in metric_grains() if not (coarse and grain == 'day') -%}
        ('{{ grain }}'){{ ', ' if not loop.last }}
    {%- endfor %}) as grains (grain)
{%- endmacro %}


{#- The SQL type of every stored base value: an exact decimal, so that a week's sum of its
    days has the same digits as a sum over the week's rows, on every engine. -#}
{% macro metric_value_type() -%}
    decimal(38, 6)
{%- endmacro %}


{#- The percentiles of `metrics` grouped by what they sort (value and filter): several
    percentiles of one column are one aggregate, one sort, on both engines. -#}
{% macro metric_percentile_sets(metrics) -%}
    {%- set sets = [] -%}
    {%- for metric in metrics if metric.calc == 'percentile' -%}
        {%- set key = metric.value ~ '|' ~ metric.get('where', '') -%}
        {%- set found = sets | selectattr('key', 'equalto', key) | list -%}
        {%- if found -%}
            {%- do found[0].metrics.append(metric) -%}
        {%- else -%}
            {%- do sets.append({'key': key, 'metrics': [metric]}) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(sets) }}
{%- endmacro %}


{#- The values of one (date column, dimension) group, unpivoted to one row per metric.
    `placed` is a relation with `period_start` (and `grain` unless `grain` is given) and the
    fact's columns. -#}
{% macro metric_group_values(catalog, group, metrics, placed, grain=none) -%}
    {%- set shared_sets = [] -%}
    {%- for set in metric_percentile_sets(metrics) if set.metrics | length > 1 -%}
        {%- do shared_sets.append(set) -%}
    {%- endfor -%}
    {%- set shared = {} -%}
    {%- for set in shared_sets -%}
        {%- set set_index = loop.index -%}
        {%- for metric in set.metrics -%}
            {%- do shared.update({metric.name: array_element('grouped.percentiles_' ~ set_index, loop.index)}) -%}
        {%- endfor -%}
    {%- endfor %}
    select
        metric_names.metric_name,
        {% if grain -%}
        cast('{{ grain }}' as {{ dbt.type_string() }}) as grain,
        {%- else -%}
        grouped.grain,
        {%- endif %}
        grouped.period_start,
        cast('{{ group.dimension }}' as {{ dbt.type_string() }}) as dimension_name,
        grouped.dimension_value,
        case metric_names.metric_name
            {%- for metric in metrics %}
            {%- if metric.name in shared %}
            when '{{ metric.name }}' then cast({{ shared[metric.name] }} as {{ metric_value_type() }})
            {%- else %}
            when '{{ metric.name }}' then grouped.{{ metric.name }}
            {%- endif %}
            {%- endfor %}
        end as metric_value
    from (
        select
            {% if not grain -%}
            placed.grain,
            {% endif -%}
            placed.period_start,
            {% if group.dimension == 'all' -%}
            cast('all' as {{ dbt.type_string() }}) as dimension_value
            {%- else -%}
            {{ dimension_value_sql('placed.' ~ dimension_column(group.dimension, catalog)) }} as dimension_value
            {%- endif %}
            {%- for metric in metrics if metric.name not in shared %},
            cast({{ metric_aggregate(metric) }} as {{ metric_value_type() }}) as {{ metric.name }}
            {%- endfor %}
            {%- for set in shared_sets %},
            {{ metric_percentiles_aggregate(set.metrics) }} as percentiles_{{ loop.index }}
            {%- endfor %}
        from {{ placed }}
        {%- set admitted = catalog['dimensions'].get(group.dimension, {}).get('where') if group.dimension != 'all' else none %}
        {%- if admitted %}
        where {{ admitted }}
        {%- endif %}
        group by {{ '1, 2' if grain else '1, 2, 3' }}
    ) as grouped
    cross join (
        values {% for metric in metrics %}('{{ metric.name }}'){{ ', ' if not loop.last }}{% endfor %}
    ) as metric_names (metric_name)
{%- endmacro %}


{#- The local dates whose values may have changed since this model's last run.
    - event facts: a row never changes once built, so the new rows are those with a
      _synced_at past the newest one this model has seen (however late the event);
    - entity facts: int_metric_fact_footprints holds, for each key, every date it has placed a
      row on and a hash of what the metrics read; a key whose hash changed (new, changed or
      vanished) since this model's last run touches its new and its previous dates. -#}
{% macro metric_touched_days(fact) -%}
    {%- if fact.changes == 'event' -%}
        {%- for date_column in fact.dates %}
    select distinct {{ date_column }} as metric_date
    from facts
    where
        {{ date_column }} is not null
        and _synced_at > (select watermark.synced_through from watermark)
    {{ 'union' if not loop.last }}
        {%- endfor %}
    {%- else %}
    select distinct metric_date
    from {{ ref('int_metric_fact_footprints') }}
    where
        fact_name = '{{ fact.model }}'
        and metric_date is not null
        and changed_at > (select watermark.computed_at from watermark)
    {%- endif %}
{%- endmacro %}


{#- The body of a values model: every metric of `fact_model` at every grain (see the top). -#}
{% macro metric_values_model(fact_model) -%}
    {%- set catalog = metric_catalog() -%}
    {%- set fact = metric_fact(catalog, fact_model) -%}
    {%- set additive_names = [] -%}
    {%- set recounted_groups = [] -%}
    {%- set additive_calcs = ['count', 'sum'] -%}
    {%- for metric in fact.metrics if metric.calc in additive_calcs -%}
        {%- do additive_names.append(metric.name) -%}
    {%- endfor -%}
    {%- for group in fact.groups -%}
        {%- set recounted = group.metrics | rejectattr('calc', 'in', additive_calcs) | list -%}
        {%- if recounted -%}
            {%- do recounted_groups.append({'date': group.date, 'dimension': group.dimension, 'metrics': recounted}) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- set incremental = is_incremental() -%}
    {%- set timestamp_type = dbt.type_timestamp() -%}
    {%- set epoch = "cast('1900-01-01' as " ~ timestamp_type ~ ")" -%}
-- depends_on: {{ ref('int_metric_fact_footprints') }}

with

facts as (

    select * from {{ ref(fact_model) }}

),

{% if incremental -%}
built as (

    select * from {{ this }}

),

watermark as (

    {#- What this model has already seen: its last run, and the newest row of an event fact. #}
    select
        coalesce(max(_computed_at), {{ epoch }}) as computed_at,
        coalesce(max(_synced_through), {{ epoch }}) as synced_through
    from built

),

touched_days as (
    {{ metric_touched_days(fact) }}

),
{%- else -%}
touched_days as (
    {% for date_column in fact.dates %}
    select distinct {{ date_column }} as metric_date
    from facts
    where {{ date_column }} is not null
    {{ 'union' if not loop.last }}
    {%- endfor %}

),
{%- endif %}

touched_periods as (

    select distinct
        grains.grain,
        {{ period_start_of_grain('grains.grain', 'touched_days.metric_date') }} as period_start
    from touched_days
    cross join {{ metric_grain_values() }}

),

{#- The fact rows of the touched days, placed on their day; one scan per date column. #}
{%- for date_column in fact.dates %}

day_facts__{{ date_column }} as (

    select
        facts.*,
        facts.{{ date_column }} as period_start
    from facts
    {%- if incremental %}
    inner join touched_days
        on facts.{{ date_column }} = touched_days.metric_date
    {%- else %}
    where facts.{{ date_column }} is not null
    {%- endif %}

),
{%- endfor %}

day_values as (
    {% for group in fact.groups %}
    {{ metric_group_values(catalog, group, group.metrics, 'day_facts__' ~ group.date ~ ' as placed', grain='day') }}
    {{ 'union all' if not loop.last }}
    {%- endfor %}

),

{%- if additive_names %}

additive_days as (

    select
        metric_name,
        period_start,
        dimension_name,
        dimension_value,
        metric_value
    from day_values
    where metric_name in ({{ sql_string_list(additive_names) }})
    {%- if incremental %}
    union all
    {#- Days of the touched periods that did not change keep their stored values. #}
    select
        built.metric_name,
        built.period_start,
        built.dimension_name,
        built.dimension_value,
        built.metric_value
    from built
    left join touched_days
        on built.period_start = touched_days.metric_date
    where
        built.grain = 'day'
        and built.metric_name in ({{ sql_string_list(additive_names) }})
        and built.period_start >= (select min(touched_periods.period_start) from touched_periods)
        and touched_days.metric_date is null
    {%- endif %}

),

additive_values as (

    select
        placed.metric_name,
        placed.grain,
        placed.period_start,
        placed.dimension_name,
        placed.dimension_value,
        sum(placed.metric_value) as metric_value
    from (
        select
            additive_days.metric_name,
            grains.grain,
            {{ period_start_of_grain('grains.grain', 'additive_days.period_start') }} as period_start,
            additive_days.dimension_name,
            additive_days.dimension_value,
            additive_days.metric_value
        from additive_days
        cross join {{ metric_grain_values(coarse=true) }}
    ) as placed
    inner join touched_periods
        on placed.grain = touched_periods.grain
        and placed.period_start = touched_periods.period_start
    group by 1, 2, 3, 4, 5

),
{%- endif %}

{%- if recounted_groups %}
{#- The fact rows of the touched periods of every coarse grain, placed on their period. #}
{%- for date_column in recounted_groups | map(attribute='date') | unique %}

period_facts__{{ date_column }} as (

    select
        placed.*
    from (
        select
            facts.*,
            grains.grain,
            {{ period_start_of_grain('grains.grain', 'facts.' ~ date_column) }} as period_start
        from facts
        cross join {{ metric_grain_values(coarse=true) }}
        where
            facts.{{ date_column }} is not null
            {%- if incremental %}
            and facts.{{ date_column }} >= (select min(touched_periods.period_start) from touched_periods)
            {%- endif %}
    ) as placed
    {%- if incremental %}
    inner join touched_periods
        on placed.grain = touched_periods.grain
        and placed.period_start = touched_periods.period_start
    {%- endif %}

),
{%- endfor %}

recounted_values as (
    {% for group in recounted_groups %}
    {{ metric_group_values(catalog, group, group.metrics, 'period_facts__' ~ group.date ~ ' as placed') }}
    {{ 'union all' if not loop.last }}
    {%- endfor %}

),
{%- endif %}

computed as (

    select * from day_values
    {%- if additive_names %}
    union all
    select * from additive_values
    {%- endif %}
    {%- if recounted_groups %}
    union all
    select * from recounted_values
    {%- endif %}
    {%- if incremental %}
    union all
    {#- Marks a touched period for deletion, then is dropped (strategy replace_periods). #}
    select
        cast(null as {{ dbt.type_string() }}) as metric_name,
        grain,
        period_start,
        cast(null as {{ dbt.type_string() }}) as dimension_name,
        cast(null as {{ dbt.type_string() }}) as dimension_value,
        cast(null as {{ metric_value_type() }}) as metric_value
    from touched_periods
    {%- endif %}

),

final as (

    select
        cast(computed.metric_name as {{ dbt.type_string() }}) as metric_name,
        cast(computed.grain as {{ dbt.type_string() }}) as grain,
        cast(computed.period_start as date) as period_start,
        cast(computed.dimension_name as {{ dbt.type_string() }}) as dimension_name,
        cast(computed.dimension_value as {{ dbt.type_string() }}) as dimension_value,
        cast(computed.metric_value as {{ metric_value_type() }}) as metric_value,
        {{ build_clock() }} as _computed_at,
        {% if fact.changes == 'event' -%}
        (select max(facts._synced_at) from facts) as _synced_through
        {%- else -%}
        cast(null as {{ timestamp_type }}) as _synced_through
        {%- endif %}
    from computed

)

select * from final
{%- endmacro %}


{#- dbt's delete+insert, by period: delete every period of the new rows (sentinels included),
    then insert the rows that carry a metric. A period whose facts all vanished is emptied. -#}
{% macro get_incremental_replace_periods_sql(arg_dict) -%}
    {%- set target = arg_dict['target_relation'] -%}
    {%- set source = arg_dict['temp_relation'] -%}
    {%- set columns = arg_dict['dest_columns'] | map(attribute='quoted') | join(', ') -%}
    {%- for grain in metric_grains() %}
    delete from {{ target }}
    where
        grain = '{{ grain }}'
        and period_start in (select period_start from {{ source }} where grain = '{{ grain }}');
    {%- endfor %}

    insert into {{ target }} ({{ columns }})
    select {{ columns }}
    from {{ source }}
    where metric_name is not null
{%- endmacro %}


{#- A fact row's key as text (composite keys joined with '|'). -#}
{% macro metric_fact_key(fact) -%}
    {%- set parts = [] -%}
    {%- for column in fact['keys'] -%}
        {%- do parts.append("coalesce(cast(" ~ column ~ " as " ~ dbt.type_string() ~ "), '')") -%}
        {%- if not loop.last -%}{%- do parts.append("'|'") -%}{%- endif -%}
    {%- endfor -%}
    {{ dbt.concat(parts) if parts | length > 1 else parts[0] }}
{%- endmacro %}


{#- A hash of everything the fact's metrics read from one row: the date columns, each
    metric's filter and value, and the dimension columns. Equal hashes, equal contributions. -#}
{% macro metric_fact_hash(catalog, fact) -%}
    {%- set expressions = [] -%}
    {%- for metric in fact.metrics -%}
        {%- set read = [metric.date] if metric.get('date') else [] -%}
        {%- if metric.get('where') -%}
            {%- do read.append('case when ' ~ metric.where ~ ' then 1 else 0 end') -%}
        {%- endif -%}
        {%- if metric.get('value') -%}{%- do read.append(metric.value) -%}{%- endif -%}
        {%- for dimension in metric.get('dimensions', []) -%}
            {%- do read.append(dimension_column(dimension, catalog)) -%}
        {%- endfor -%}
        {%- for expression in read if expression not in expressions -%}
            {%- do expressions.append(expression) -%}
        {%- endfor -%}
    {%- endfor -%}
    {{ return(adapter.dispatch('row_hash', 'marketmetrics')(expressions)) }}
{%- endmacro %}


{#- A hash of several expressions of one row, null-safe; only compared within one engine. -#}
{% macro default__row_hash(expressions) -%}
    {%- set parts = [] -%}
    {%- for expression in expressions -%}
        {%- do parts.append("coalesce(cast(" ~ expression ~ " as " ~ dbt.type_string() ~ "), '~')") -%}
        {%- if not loop.last -%}{%- do parts.append("'|'") -%}{%- endif -%}
    {%- endfor -%}
    {{ dbt.hash(dbt.concat(parts)) }}
{%- endmacro %}


{#- DuckDB's own 64-bit hash of the values themselves: a tenth of the cost of md5 over text. -#}
{% macro duckdb__row_hash(expressions) -%}
    hash({{ expressions | join(', ') }})
{%- endmacro %}


{#- The body of a stock model: the end-of-period stocks (calc eod) read from one status
    interval model, as running sums.

    An interval [valid_from_at, valid_to_at) covers the end of local day d (the instant the
    next local day begins) exactly when local_date(valid_from_at) <= d < local_date(valid_to_at).
    So it adds +1 on the local day it starts and -1 on the day it ends, and the stock at the end
    of a period is the running sum of those deltas through the period's last day: one pass over
    the intervals, no join of intervals against periods. A key has one interval at a time, so
    the sum is the number of distinct keys in the state.

    Periods that end before the history begins (metrics rule 6) get no row, and so stay null in
    the metric tables; later periods get a row for every known dimension value, zero included.
    The model is rebuilt whole on every run: a stock depends on every change before it (a
    product's category or a late interval moves every later period), and its cost is that one
    pass over the intervals plus one row per (period, dimension value). -#}
{% macro metric_stock_values_model(interval_model) -%}
    {%- set catalog = metric_catalog() -%}
    {%- set metrics = catalog['metrics'] | selectattr('calc', 'equalto', 'eod') | selectattr('model', 'equalto', interval_model) | list -%}
    {%- if not metrics -%}
        {{ exceptions.raise_compiler_error("metric catalog: no stock metric reads " ~ interval_model) }}
    {%- endif %}

with

intervals as (

    select * from {{ ref(interval_model) }}

),

periods as (

    select * from {{ ref('int_metric_periods') }}

),

dimension_values as (

    select * from {{ ref('int_metric_dimension_values') }}
    where metric_name in ({{ sql_string_list(metrics | map(attribute='name') | list) }})

),

history_start as (

    select {{ local_date('min(history_start_at)') }} as first_day
    from intervals

),

interval_days as (

    {#- Each interval's first and last local day, converted once. #}
    select
        *,
        {{ local_date('valid_from_at') }} as from_day,
        {{ local_date('valid_to_at') }} as to_day
    from intervals

),

deltas as (

    {% for metric in metrics -%}
        {%- set metric_loop = loop -%}
        {%- for dimension in ['all'] + metric.get('dimensions', []) -%}
            {%- set value = "cast('all' as " ~ dbt.type_string() ~ ")" if dimension == 'all' else dimension_value_sql(dimension_column(dimension, catalog)) %}
    select
        cast('{{ metric.name }}' as {{ dbt.type_string() }}) as metric_name,
        cast('{{ dimension }}' as {{ dbt.type_string() }}) as dimension_name,
        {{ value }} as dimension_value,
        from_day as delta_date,
        1 as delta
    from interval_days
    {%- if metric.get('where') %}
    where {{ metric.where }}
    {%- endif %}
    union all
    select
        cast('{{ metric.name }}' as {{ dbt.type_string() }}) as metric_name,
        cast('{{ dimension }}' as {{ dbt.type_string() }}) as dimension_name,
        {{ value }} as dimension_value,
        to_day as delta_date,
        -1 as delta
    from interval_days
    where to_day is not null
    {%- if metric.get('where') %}
        and {{ metric.where }}
    {%- endif %}
    {% if not (metric_loop.last and loop.last) %}union all{% endif %}
        {%- endfor -%}
    {%- endfor %}

),

period_ends as (

    select
        periods.grain,
        periods.period_start,
        periods.period_last_day
    from periods
    cross join history_start
    where periods.period_last_day >= history_start.first_day

),

series as (

    {#- Every (metric, dimension value) on every day with a change or a period end. #}
    select
        metric_name,
        dimension_name,
        dimension_value,
        delta_date as point_date,
        delta
    from deltas
    union all
    select
        known.metric_name,
        known.dimension_name,
        known.dimension_value,
        ends.period_last_day as point_date,
        0 as delta
    from (
        select
            metric_name,
            dimension_name,
            dimension_value
        from dimension_values
        union
        select
            metric_name,
            dimension_name,
            dimension_value
        from deltas
    ) as known
    cross join (select distinct period_last_day from period_ends) as ends

),

daily as (

    select
        metric_name,
        dimension_name,
        dimension_value,
        point_date,
        sum(delta) as delta
    from series
    group by 1, 2, 3, 4

),

running as (

    select
        metric_name,
        dimension_name,
        dimension_value,
        point_date,
        sum(delta) over (
            partition by metric_name, dimension_name, dimension_value
            order by point_date
            rows between unbounded preceding and current row
        ) as stock
    from daily

),

final as (

    select
        running.metric_name,
        period_ends.grain,
        period_ends.period_start,
        running.dimension_name,
        running.dimension_value,
        cast(running.stock as {{ metric_value_type() }}) as metric_value
    from running
    inner join period_ends
        on running.point_date = period_ends.period_last_day

)

select * from final
{%- endmacro %}
