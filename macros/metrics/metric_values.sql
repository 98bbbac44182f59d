{#- The metric engine: the base values of every metric, one model per fact model
    (int_metric_values__<fact>, named in its semantic model's meta `values_model`), read by the
    metric tables through the int_metric_values view.

    A values model holds, for the metrics whose measure reads its fact, one row per (metric,
    grain, period, dimension, value) that has data; the metric tables fill the rest (zeros, or
    null for percentiles and stocks). Its file names each step as a CTE, whose body is one of
    the macros below:

      watermark          what the model has already seen (incremental runs only)
      touched_days       the local dates whose values may have changed since the last run (all
                         dates on a full refresh): metric_touched_days
      touched_periods    the period of every grain that contains a touched day
      day_facts          the fact rows of the touched days, placed on their day
      day_values         every metric at day grain over the touched days
      additive_values    counts and sums at week .. year: exact sums of their days (rule 3: an
                         additive metric equals the sum of its days), fresh days and stored days
      period_facts       the fact rows of the touched periods of every coarse grain
      recounted_values   distinct counts and percentiles at week .. year, recomputed from the
                         facts over the whole period, for the touched periods only
      period_sentinels   one row per touched period, so that a period whose facts all vanished
                         is emptied too (strategy replace_periods)

    An incremental run rewrites exactly the touched periods, whatever the lateness of the
    rows: correctness rests on the fact's footprint or _synced_at, not on lookback_days.
    The catalog comes from dbt's semantic layer (metric_catalog); while dbt parses it is empty
    and every body below renders nothing. -#}


{#- One fact model as the engine sees it: its key, how its changes are found, its metrics, its
    date columns, the (date column, dimension) groups (one scan each) and those of them holding
    distinct counts and percentiles, plus the catalog it came from (pass `catalog` when the
    caller has it: building it is the costly part). While dbt parses, the catalog is empty and
    so is the fact.

    Example: {% set fact = metric_fact('fct_order_items') %}
      returns  {'model': 'fct_order_items', 'changes': 'entity', 'keys': ['order_item_id'],
                'dates': ['order_confirmed_date', 'ordered_date'],
                'groups': [{'date': 'order_confirmed_date', 'dimension': 'all',
                            'metrics': [commission_revenue, settlement_amount]},
                           {'date': 'ordered_date', 'dimension': 'all', 'metrics': [gmv, items_sold]},
                           {'date': 'ordered_date', 'dimension': 'category', 'metrics': [gmv]}],
                'recounted_groups': [], 'metrics': [...], 'catalog': {...}} -#}
{% macro metric_fact(fact_model, catalog=none) -%}
    {%- set catalog = catalog or metric_catalog() -%}
    {%- set empty = {'model': fact_model, 'changes': 'entity', 'keys': [], 'metrics': [],
        'dates': [], 'groups': [], 'recounted_groups': [], 'catalog': catalog} -%}
    {%- if not execute -%}{{ return(empty) }}{%- endif -%}
    {%- set spec = catalog['facts'].get(fact_model) -%}
    {%- if spec is none -%}
        {{ exceptions.raise_compiler_error("no semantic model reads " ~ fact_model ~ " (models/marts/*/_*__metrics.yml)") }}
    {%- endif -%}
    {%- set metrics = catalog['metrics'] | selectattr('model', 'defined') | selectattr('model', 'equalto', fact_model) | list -%}
    {%- if not metrics -%}
        {{ exceptions.raise_compiler_error("no metric reads " ~ fact_model) }}
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
    {%- set recounted_groups = [] -%}
    {%- for group in groups -%}
        {%- set recounted = group.metrics | rejectattr('calc', 'in', ['sum', 'count']) | list -%}
        {%- if recounted -%}
            {%- do recounted_groups.append({'date': group.date, 'dimension': group.dimension, 'metrics': recounted}) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- set key = spec.get('key', []) -%}
    {{ return({
        'model': fact_model,
        'changes': spec.changes,
        'keys': [key] if key is string else key,
        'metrics': metrics,
        'dates': dates,
        'groups': groups,
        'recounted_groups': recounted_groups,
        'catalog': catalog,
    }) }}
{%- endmacro %}


{#- The first day of the period of grain `grain_column` (a column holding day .. year) that
    contains the date `date_expr`.

    Example: {{ period_start_of_grain('grains.grain', 'touched_days.metric_date') }}
      renders  case grains.grain
                   when 'day' then cast(touched_days.metric_date as date)
                   when 'week' then cast(date_trunc('week', touched_days.metric_date) as date)
                   ... (month, quarter, year alike)
               end
    (for the date 2026-03-04 and the grain 'week': 2026-03-02, its Monday) -#}
{% macro period_start_of_grain(grain_column, date_expr) -%}
    case {{ grain_column }}
        {%- for grain in metric_grains() %}
        when '{{ grain }}' then {{ period_start(grain, date_expr) }}
        {%- endfor %}
    end
{%- endmacro %}


{#- The grains as a relation (`grains.grain`), `coarse` leaves out the day.

    Example: cross join {{ metric_grain_values(coarse=true) }}
      renders  cross join (values ('week'), ('month'), ('quarter'), ('year')) as grains (grain) -#}
{% macro metric_grain_values(coarse=false) -%}
    (values {% for grain in metric_grains() if not (coarse and grain == 'day') -%}
        ('{{ grain }}'){{ ', ' if not loop.last }}
    {%- endfor %}) as grains (grain)
{%- endmacro %}


{#- The SQL type of every stored base value: an exact decimal, so that a week's sum of its
    days has the same digits as a sum over the week's rows, on every engine.

    Example: cast(metric_value as {{ metric_value_type() }})
      renders  cast(metric_value as decimal(38, 6)) -#}
{% macro metric_value_type() -%}
    decimal(38, 6)
{%- endmacro %}


{#- The percentiles of `metrics` grouped by what they sort (value and filter): several
    percentiles of one column are one aggregate, one sort, on both engines.

    Example: metric_percentile_sets(metric_fact('fct_api_requests').metrics)
      returns  [{'key': 'case when not is_external then latency_ms end|',
                 'metrics': [api_latency_ms_p50, api_latency_ms_p95, api_latency_ms_p99]},
                {'key': 'case when is_external then latency_ms end|',
                 'metrics': [external_api_latency_ms_p95]}] -#}
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
    fact's columns.

    Example: {{ metric_group_values(fact.catalog, group, group.metrics,
                 "(select * from day_facts where placed_by = 'ordered_date') as placed", grain='day') }}
             for fct_order_items' group (ordered_date, all) of gmv and items_sold
      renders  select metric_names.metric_name, cast('day' as TEXT) as grain, grouped.period_start,
                   cast('all' as TEXT) as dimension_name, grouped.dimension_value,
                   case metric_names.metric_name
                       when 'gmv' then grouped.gmv
                       when 'items_sold' then grouped.items_sold
                   end as metric_value
               from (select placed.period_start, cast('all' as TEXT) as dimension_value,
                         cast(<gmv's metric_aggregate> as decimal(38, 6)) as gmv, ... as items_sold
                     from (select * from day_facts where placed_by = 'ordered_date') as placed
                     group by 1, 2) as grouped
               cross join (values ('gmv'), ('items_sold')) as metric_names (metric_name) -#}
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
            {{ dimension_value_sql(dimension_column(group.dimension, catalog)) }} as dimension_value
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


{#- What this values model has already seen: its last run, the newest row of an event fact, and
    whether every stored row was computed by the metrics' current definitions
    (metric_definition_hash). Body of the `watermark` CTE, after
    `built as (select * from {{ this }})`.

    Example: watermark as ({{ metric_watermark(fact) }}),
      renders  select coalesce(max(_computed_at), cast('1900-01-01' as timestamp)) as computed_at,
                      coalesce(max(_synced_through), cast('1900-01-01' as timestamp)) as synced_through,
                      coalesce(min(_definition_hash) = '0cce10ee...' and max(_definition_hash) = '0cce10ee...',
                               false) as is_current_definition
               from built
      -- 1900-01-01 and false when the model is empty -#}
{% macro metric_watermark(fact) -%}
    {%- set epoch = "cast('1900-01-01' as " ~ dbt.type_timestamp() ~ ")" %}
    {%- set definition = metric_definition_hash(fact) %}
    select
        coalesce(max(_computed_at), {{ epoch }}) as computed_at,
        coalesce(max(_synced_through), {{ epoch }}) as synced_through,
        coalesce(
            min(_definition_hash) = {{ definition }} and max(_definition_hash) = {{ definition }},
            false
        ) as is_current_definition
    from built
{%- endmacro %}


{#- A fingerprint of what a fact's metrics compute: each metric's name, aggregate, date, value,
    filter, percentile and breakdowns (each breakdown's column, values and filter), hashed at
    compile time. Stored on every row of the values model (`_definition_hash`): when a metric
    is added, removed or redefined in the YAML, the stored rows no longer match and the next
    incremental run recomputes every period of the fact, so no history is left half old, half
    new. Labels, units and descriptions are not part of it: they change no value.

    Example: {{ metric_definition_hash(metric_fact('fct_order_items')) }} as _definition_hash
      renders  '0cce10eee1c8ea518338a285e7570084' as _definition_hash
      (the md5 of the definitions as sorted JSON; another md5 once a measure's `expr` changes) -#}
{% macro metric_definition_hash(fact) -%}
    {%- set definitions = [] -%}
    {%- for metric in fact.metrics | sort(attribute='name') -%}
        {%- set breakdowns = [] -%}
        {%- for name in metric.get('dimensions', []) -%}
            {%- set dimension = fact.catalog['dimensions'].get(name, {}) -%}
            {%- do breakdowns.append([name, dimension.get('column'), dimension.get('values'), dimension.get('where')]) -%}
        {%- endfor -%}
        {%- do definitions.append([metric.name, metric.calc, metric.get('date'), metric.get('value'),
            metric.get('where'), metric.get('p'), breakdowns]) -%}
    {%- endfor -%}
    '{{ local_md5(tojson(definitions, sort_keys=true)) }}'
{%- endmacro %}


{#- The local dates whose values may have changed since this model's last run; on a full
    refresh, every date of the fact. Body of the `touched_days` CTE (reads `facts` and, on an
    incremental run, `watermark`).
    - event facts: a row never changes once built, so the new rows are those with a
      _synced_at past the newest one this model has seen (however late the event);
    - entity facts: int_metric_fact_footprints holds, for each key, every date it has placed a
      row on and a hash of what the metrics read; a key whose hash changed (new, changed or
      vanished) since this model's last run touches its new and its previous dates;
    - either: every date of the fact when a stored row was computed by other definitions
      (watermark.is_current_definition: a metric added, removed or redefined since).

    Example: touched_days as ({{ metric_touched_days(fact) }}),   -- metric_date
      renders, for fct_orders (dates: ordered_date) on a full refresh,
               select distinct ordered_date as metric_date from facts where ordered_date is not null
      and on an incremental run, fct_orders being an entity fact,
               select distinct metric_date from <int_metric_fact_footprints>
               where fact_name = 'fct_orders' and metric_date is not null
                   and changed_at > (select watermark.computed_at from watermark)
               union
               select distinct ordered_date as metric_date from facts
               where ordered_date is not null
                   and not (select watermark.is_current_definition from watermark)
      (an event fact reads `facts` where _synced_at > watermark.synced_through instead) -#}
{% macro metric_touched_days(fact) -%}
    {%- if not fact.dates -%}
    select cast(null as date) as metric_date where 1 = 0
    {%- elif not is_incremental() -%}
        {%- for date_column in fact.dates %}
    select distinct {{ date_column }} as metric_date
    from facts
    where {{ date_column }} is not null
    {{ 'union' if not loop.last }}
        {%- endfor %}
    {%- else -%}
        {%- if fact.changes == 'event' -%}
            {%- for date_column in fact.dates %}
    select distinct {{ date_column }} as metric_date
    from facts
    where
        {{ date_column }} is not null
        and _synced_at > (select watermark.synced_through from watermark)
    union
            {%- endfor %}
        {%- else %}
    select distinct metric_date
    from {{ ref('int_metric_fact_footprints') }}
    where
        fact_name = '{{ fact.model }}'
        and metric_date is not null
        and changed_at > (select watermark.computed_at from watermark)
    union
        {%- endif -%}
        {%- for date_column in fact.dates %}
    select distinct {{ date_column }} as metric_date
    from facts
    where
        {{ date_column }} is not null
        and not (select watermark.is_current_definition from watermark)
    {{ 'union' if not loop.last }}
        {%- endfor %}
    {%- endif %}
{%- endmacro %}


{#- The period of every grain containing a touched day. Body of `touched_periods`.

    Example: touched_periods as ({{ metric_touched_periods() }}),   -- grain, period_start
      renders  select distinct grains.grain,
                   <period_start_of_grain('grains.grain', 'touched_days.metric_date')> as period_start
               from touched_days
               cross join (values ('day'), ('week'), ('month'), ('quarter'), ('year')) as grains (grain)
    (the touched day 2026-03-04 touches the day itself, the week of 2026-03-02, March, Q1 and
    2026) -#}
{% macro metric_touched_periods() -%}
    select distinct
        grains.grain,
        {{ period_start_of_grain('grains.grain', 'touched_days.metric_date') }} as period_start
    from touched_days
    cross join {{ metric_grain_values() }}
{%- endmacro %}


{#- The fact rows of the touched days, each placed on its day by every date column a metric
    reads (`placed_by` names the column). Body of `day_facts` (reads `facts`, `touched_days`).

    Example: day_facts as ({{ metric_day_facts(fact) }}),   -- facts.*, placed_by, period_start
      renders, for fct_orders on a full refresh,
               select facts.*, 'ordered_date' as placed_by, facts.ordered_date as period_start
               from facts
               where facts.ordered_date is not null
      (incremental: `inner join touched_days on facts.ordered_date = touched_days.metric_date`
      instead of the where; one such select per date column, union all) -#}
{% macro metric_day_facts(fact) -%}
    {%- for date_column in fact.dates %}
    select
        facts.*,
        '{{ date_column }}' as placed_by,
        facts.{{ date_column }} as period_start
    from facts
    {%- if is_incremental() %}
    inner join touched_days
        on facts.{{ date_column }} = touched_days.metric_date
    {%- else %}
    where facts.{{ date_column }} is not null
    {%- endif %}
    {{ 'union all' if not loop.last }}
    {%- else %}
    select facts.*, '' as placed_by, cast(null as date) as period_start from facts where 1 = 0
    {%- endfor %}
{%- endmacro %}


{#- Every metric of the fact at day grain, over `day_facts`: one row per metric, day, dimension
    and value with data. Body of `day_values`.

    Example: day_values as ({{ metric_day_values(fact) }}),
      renders, for fct_order_items, three metric_group_values() selects at grain 'day', union
      all: (order_confirmed_date, all), (ordered_date, all) and (ordered_date, category), each
      over `(select * from day_facts where placed_by = '<date>') as placed`
      -- metric_name, grain, period_start, dimension_name, dimension_value, metric_value -#}
{% macro metric_day_values(fact) -%}
    {%- for group in fact.groups %}
    {{ metric_group_values(fact.catalog, group, group.metrics,
        "(select * from day_facts where placed_by = '" ~ group.date ~ "') as placed", grain='day') }}
    {{ 'union all' if not loop.last }}
    {%- else %}
    {{ metric_values_none('day_facts') }}
    {%- endfor %}
{%- endmacro %}


{#- Counts and sums at week .. year: the exact sums of their days, the fresh days of
    `day_values` and, on an incremental run, the stored days of the touched periods that did not
    change (`built`). Body of `additive_values` (reads `touched_days`, `touched_periods`).

    Example: additive_values as ({{ metric_additive_values(fact) }}),
      renders, for fct_orders (counts: orders, paid_orders, cancelled_orders, ...),
               select placed.metric_name, placed.grain, placed.period_start, ...,
                   sum(placed.metric_value) as metric_value
               from (<the day_values of those metrics, each day placed on its week, month,
                     quarter and year>) as placed
               inner join touched_periods on <grain and period_start>
               group by 1, 2, 3, 4, 5
      -- metric_name, grain, period_start, dimension_name, dimension_value, metric_value
      (metric_values_none('day_values') for a fact without counts or sums) -#}
{% macro metric_additive_values(fact) -%}
    {%- set additive_names = fact.metrics | selectattr('calc', 'in', ['sum', 'count']) | map(attribute='name') | list -%}
    {%- if not additive_names -%}
    {{ metric_values_none('day_values') }}
    {%- else %}
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
        from (
            select
                metric_name,
                period_start,
                dimension_name,
                dimension_value,
                metric_value
            from day_values
            where metric_name in ({{ sql_string_list(additive_names) }})
            {%- if is_incremental() %}
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
        ) as additive_days
        cross join {{ metric_grain_values(coarse=true) }}
    ) as placed
    inner join touched_periods
        on placed.grain = touched_periods.grain
        and placed.period_start = touched_periods.period_start
    group by 1, 2, 3, 4, 5
    {%- endif %}
{%- endmacro %}


{#- The fact rows of the touched periods of every coarse grain, placed on their period by each
    date column a recounted metric reads. Body of `period_facts` (reads `facts`,
    `touched_periods`).

    Example: period_facts as ({{ metric_period_facts(fact) }}),   -- facts.*, placed_by, grain, period_start
      renders, for fct_orders (buyers and new_buyers are distinct counts by ordered_date),
               select placed.*
               from (select facts.*, 'ordered_date' as placed_by, grains.grain,
                         <period_start_of_grain('grains.grain', 'facts.ordered_date')> as period_start
                     from facts cross join (values ('week'), ('month'), ('quarter'), ('year')) as grains (grain)
                     where facts.ordered_date is not null) as placed
      (incremental: only the touched periods; an empty select for a fact without distinct counts
      or percentiles) -#}
{% macro metric_period_facts(fact) -%}
    {%- set dates = fact.recounted_groups | map(attribute='date') | unique | list -%}
    {%- for date_column in dates %}
    select placed.*
    from (
        select
            facts.*,
            '{{ date_column }}' as placed_by,
            grains.grain,
            {{ period_start_of_grain('grains.grain', 'facts.' ~ date_column) }} as period_start
        from facts
        cross join {{ metric_grain_values(coarse=true) }}
        where
            facts.{{ date_column }} is not null
            {%- if is_incremental() %}
            and facts.{{ date_column }} >= (select min(touched_periods.period_start) from touched_periods)
            {%- endif %}
    ) as placed
    {%- if is_incremental() %}
    inner join touched_periods
        on placed.grain = touched_periods.grain
        and placed.period_start = touched_periods.period_start
    {%- endif %}
    {{ 'union all' if not loop.last }}
    {%- else %}
    select facts.*, '' as placed_by, '' as grain, cast(null as date) as period_start from facts where 1 = 0
    {%- endfor %}
{%- endmacro %}


{#- Distinct counts and percentiles at week .. year, recomputed over `period_facts`. Body of
    `recounted_values`.

    Example: recounted_values as ({{ metric_recounted_values(fact) }}),
      renders, for fct_orders, one metric_group_values() select of buyers and new_buyers over
      `(select * from period_facts where placed_by = 'ordered_date') as placed`, grouped by
      grain and period (metric_values_none('period_facts') for a fact without distinct counts or percentiles)
      -- metric_name, grain, period_start, dimension_name, dimension_value, metric_value -#}
{% macro metric_recounted_values(fact) -%}
    {%- for group in fact.recounted_groups %}
    {{ metric_group_values(fact.catalog, group, group.metrics,
        "(select * from period_facts where placed_by = '" ~ group.date ~ "') as placed") }}
    {{ 'union all' if not loop.last }}
    {%- else %}
    {{ metric_values_none('period_facts') }}
    {%- endfor %}
{%- endmacro %}


{#- On an incremental run, one row per touched period with a null metric: it marks the period for
    deletion (strategy replace_periods), then is dropped; nothing on a full refresh. Body of
    `period_sentinels` (reads `touched_periods`).

    Example: period_sentinels as ({{ metric_period_sentinels() }}),
      renders, on an incremental run,
               select cast(null as TEXT) as metric_name, grain, period_start,
                   cast(null as TEXT) as dimension_name, cast(null as TEXT) as dimension_value,
                   cast(null as decimal(38, 6)) as metric_value
               from touched_periods
      and metric_values_none('touched_periods') on a full refresh -#}
{% macro metric_period_sentinels() -%}
    {%- if is_incremental() %}
    select
        cast(null as {{ dbt.type_string() }}) as metric_name,
        grain,
        period_start,
        cast(null as {{ dbt.type_string() }}) as dimension_name,
        cast(null as {{ dbt.type_string() }}) as dimension_value,
        cast(null as {{ metric_value_type() }}) as metric_value
    from touched_periods
    {%- else -%}
    {{ metric_values_none('touched_periods') }}
    {%- endif %}
{%- endmacro %}


{#- The newest `_synced_at` of an event fact, what its next run reads past; null for entity
    facts, whose footprints say what changed. An expression over `facts`.

    Example: {{ metric_synced_through(fact) }} as _synced_through
      renders  (select max(facts._synced_at) from facts) as _synced_through   (fct_web_events)
               cast(null as timestamp) as _synced_through                      (fct_orders) -#}
{% macro metric_synced_through(fact) -%}
    {%- if fact.changes == 'event' -%}
        (select max(facts._synced_at) from facts)
    {%- else -%}
        cast(null as {{ dbt.type_timestamp() }})
    {%- endif -%}
{%- endmacro %}


{#- No values, typed as the values CTEs are: the body of a step a fact has nothing for. Given
    the CTE the step reads when it has something (`from_cte`), it reads that CTE for no row, so
    every step of the model's chain stays in use whatever the fact holds.

    Example: recounted_values as ({{ metric_values_none('period_facts') }}),
      renders  select cast(null as TEXT) as metric_name, cast(null as TEXT) as grain,
                   cast(null as date) as period_start, cast(null as TEXT) as dimension_name,
                   cast(null as TEXT) as dimension_value, cast(null as decimal(38, 6)) as metric_value
               from period_facts
               where 1 = 0   (DuckDB; no rows) -#}
{% macro metric_values_none(from_cte=none) -%}
    select
        cast(null as {{ dbt.type_string() }}) as metric_name,
        cast(null as {{ dbt.type_string() }}) as grain,
        cast(null as date) as period_start,
        cast(null as {{ dbt.type_string() }}) as dimension_name,
        cast(null as {{ dbt.type_string() }}) as dimension_value,
        cast(null as {{ metric_value_type() }}) as metric_value
    {%- if from_cte %}
    from {{ from_cte }}
    {%- endif %}
    where 1 = 0
{%- endmacro %}


{#- dbt's delete+insert, by period: delete every period of the new rows (sentinels included),
    then insert the rows that carry a metric. A period whose facts all vanished is emptied.
    The incremental strategy `replace_periods` of the values models.

    Example: {{ get_incremental_replace_periods_sql({'target_relation': 'metrics.v',
                 'temp_relation': 'v__dbt_tmp', 'dest_columns': [<metric_name>, <metric_value>]}) }}
      renders  delete from metrics.v
               where grain = 'day'
                   and period_start in (select period_start from v__dbt_tmp where grain = 'day');
               ... (the same for week, month, quarter and year)
               insert into metrics.v ("metric_name", "metric_value")
               select "metric_name", "metric_value" from v__dbt_tmp where metric_name is not null -#}
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


{#- A fact row's key as text (composite keys joined with '|').

    Example: {{ metric_fact_key(metric_fact('fct_suspicious_ip_days')) }}
      renders  coalesce(cast(ip_hash as TEXT), '') || '|' || coalesce(cast(occurred_date as TEXT), '')
    (DuckDB; for fct_orders simply coalesce(cast(order_id as TEXT), '')) -#}
{% macro metric_fact_key(fact) -%}
    {%- set parts = [] -%}
    {%- for column in fact['keys'] -%}
        {%- do parts.append("coalesce(cast(" ~ column ~ " as " ~ dbt.type_string() ~ "), '')") -%}
        {%- if not loop.last -%}{%- do parts.append("'|'") -%}{%- endif -%}
    {%- endfor -%}
    {{ dbt.concat(parts) if parts | length > 1 else parts[0] }}
{%- endmacro %}


{#- A hash of everything the fact's metrics read from one row: the date columns, each
    metric's filter and value, and the dimension columns. Equal hashes, equal contributions.

    Example: {{ metric_fact_hash(catalog, metric_fact('fct_refunds')) }}
      renders  hash(completed_date, case when status = 'completed' then amount end,
                    case when status = 'completed' then 1 end)   (DuckDB: row_hash()) -#}
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
    {{ return(row_hash(expressions)) }}
{%- endmacro %}


{#- The end-of-period stocks (a stock_metrics entry of an interval model's meta) read from one
    status interval model, as the stock models compute them: running sums.

    An interval [valid_from_at, valid_to_at) covers the end of local day d (the instant the
    next local day begins) exactly when local_date(valid_from_at) <= d < local_date(valid_to_at).
    So it adds +1 on the local day it starts and -1 on the day it ends, and the stock at the end
    of a period is the running sum of those deltas through the period's last day: one pass over
    the intervals, no join of intervals against periods. A key has one interval at a time, so
    the sum is the number of distinct keys in the state.

    Periods that end before the history begins (metrics rule 6) get no row, and so stay null in
    the metric tables; later periods get a row for every known dimension value, zero included.
    The models are rebuilt whole on every run: a stock depends on every change before it (a
    product's category or a late interval moves every later period).

    Example: {% set stocks = metric_stocks('int_product_status_intervals') %}
      returns  {'metrics': [products_total_eod, products_displayed_eod], 'catalog': {...}}
    ({{ stocks.metrics | map(attribute='name') | list }} is
    ['products_total_eod', 'products_displayed_eod']) -#}
{% macro metric_stocks(interval_model) -%}
    {%- set catalog = metric_catalog() -%}
    {%- set metrics = catalog['metrics'] | selectattr('calc', 'equalto', 'eod') | selectattr('model', 'equalto', interval_model) | list -%}
    {%- if execute and not metrics -%}
        {{ exceptions.raise_compiler_error("no stock metric reads " ~ interval_model) }}
    {%- endif -%}
    {{ return({'metrics': metrics, 'catalog': catalog}) }}
{%- endmacro %}


{#- +1 on the first local day of each interval a stock counts, -1 on the day it ends, per stock
    metric and dimension value. Body of `deltas` (reads `interval_days`: the intervals with
    their `from_day` and `to_day`).

    Example: deltas as ({{ metric_stock_deltas(stocks) }}),
      renders, for products_total_eod (where status != 'rejected') and its breakdown by category,
               select cast('products_total_eod' as TEXT) as metric_name,
                   cast('all' as TEXT) as dimension_name, cast('all' as TEXT) as dimension_value,
                   from_day as delta_date, 1 as delta
               from interval_days where status != 'rejected'
               union all
               select ..., to_day as delta_date, -1 as delta
               from interval_days where to_day is not null and status != 'rejected'
               union all ... (the same by category, with
               coalesce(cast(top_category_name as TEXT), 'none') as dimension_value)
      -- metric_name, dimension_name, dimension_value, delta_date, delta -#}
{% macro metric_stock_deltas(stocks) -%}
    {%- for metric in stocks.metrics -%}
        {%- set metric_loop = loop -%}
        {%- for dimension in ['all'] + metric.get('dimensions', []) -%}
            {%- set value = "cast('all' as " ~ dbt.type_string() ~ ")" if dimension == 'all'
                else dimension_value_sql(dimension_column(dimension, stocks.catalog)) %}
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
    {%- else %}
    select
        cast(null as {{ dbt.type_string() }}) as metric_name,
        cast(null as {{ dbt.type_string() }}) as dimension_name,
        cast(null as {{ dbt.type_string() }}) as dimension_value,
        cast(null as date) as delta_date,
        0 as delta
    where 1 = 0
    {%- endfor %}
{%- endmacro %}
