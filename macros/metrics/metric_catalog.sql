{#- The metric catalog as the metric engine reads it, built from dbt's semantic layer when a
    model compiles (dbt's graph; it is empty while dbt parses, and so is this catalog then):

    - the semantic models beside the fact marts (models/marts/<domain>/_<domain>__metrics.yml):
      each one's measures (`agg`, `expr` with the metric's filter inside it, a percentile's
      `agg_params`, the date dimension that places a row), its categorical dimensions (`expr`,
      and in meta the reference `values`, the `where` admitting a row as an observation, the
      Korean label) and, in meta, how an incremental run finds the fact's changes (`changes`,
      `key`) and the values model holding its SQL (`values_model`);
    - the metrics whose meta names a dashboard `domain` (helper and offset metrics made for
      MetricFlow have none): simple metrics over a measure, ratios, derived formulas, with their
      labels, unit, direction and the breakdowns the metric tables publish (`dimensions`);
    - the end-of-period stocks, which no measure expresses, from the `stock_metrics` meta of
      their interval models (models/intermediate/history/_history__models.yml), whose
      `values_model` computes them.

    Returns {'dimensions': {name: entry}, 'facts': {model: spec}, 'metrics': [entry, ...]}, one
    metrics entry per metric, the shape every engine macro reads.

    Example: {{ metric_catalog()['metrics'] | selectattr('name', 'equalto', 'gmv') | first }}
      returns  {'name': 'gmv', 'calc': 'sum', 'model': 'fct_order_items', 'date': 'ordered_date',
                'value': "case when is_paid_order then item_amount end", 'dimensions': ['category'],
                'label_en': 'GMV', 'label_ko': ..., 'unit': 'won', 'domain': 'orders', ...}
    and metric_catalog()['facts']['fct_order_items'] returns {'entity': 'order_item',
    'key': 'order_item_id', 'changes': 'entity', 'metrics': 'int_metric_values__order_items'} -#}
{% macro metric_catalog() -%}
    {%- set catalog = {'dimensions': {}, 'facts': {}, 'metrics': []} -%}
    {%- if not execute -%}{{ return(catalog) }}{%- endif -%}
    {%- set measures = {} -%}
    {%- set breakdowns = {} -%}
    {%- for semantic_model in graph.semantic_models.values() | sort(attribute='unique_id') -%}
        {%- set fact = semantic_model.depends_on.nodes[0].split('.')[-1] -%}
        {%- set meta = semantic_model.config.meta -%}
        {%- set primary = semantic_model.entities | selectattr('type', 'equalto', 'primary') | first -%}
        {%- do catalog.facts.update({fact: {
            'entity': primary.name, 'key': meta.key, 'changes': meta.changes,
            'metrics': meta.values_model}}) -%}
        {%- do breakdowns.update({fact: semantic_model.dimensions | selectattr('type', 'equalto', 'categorical') | map(attribute='name') | list}) -%}
        {%- for dimension in semantic_model.dimensions if dimension.type == 'categorical' -%}
            {%- do catalog.dimensions.update({dimension.name: catalog_dimension_entry(
                catalog.dimensions, dimension.name, {
                    'column': dimension.expr or dimension.name, 'label': dimension.label,
                    'meta': (dimension.config or {}).get('meta') or {}}, fact)}) -%}
        {%- endfor -%}
        {%- set default_date = semantic_model.defaults.agg_time_dimension -%}
        {%- for measure in semantic_model.measures -%}
            {%- do measures.update({measure.name: {
                'fact': fact, 'agg': measure.agg, 'expr': measure.expr or measure.name,
                'date': measure.agg_time_dimension or default_date,
                'p': (measure.agg_params or {}).get('percentile')}}) -%}
        {%- endfor -%}
    {%- endfor -%}

    {%- set helpers = {} -%}
    {%- for metric in graph.metrics.values() if not (metric.config.meta or metric.meta or {}).get('domain') -%}
        {%- do helpers.update({metric.name: metric}) -%}
    {%- endfor -%}
    {%- for metric in graph.metrics.values() | sort(attribute='unique_id') if (metric.config.meta or metric.meta or {}).get('domain') -%}
        {%- set entry = catalog_metric_entry(metric.name, metric.label, metric.description, metric.config.meta or metric.meta) -%}
        {%- if metric.type == 'simple' -%}
            {%- set measure = measures[metric.type_params.measure.name] -%}
            {%- do entry.update({
                'calc': measure.agg, 'model': measure.fact, 'date': measure.date,
                'value': measure.expr, 'p': measure.p}) -%}
            {%- for name in entry.dimensions if name not in breakdowns[measure.fact] -%}
                {{ exceptions.raise_compiler_error('metric ' ~ metric.name ~ ' (' ~ metric.original_file_path
                    ~ '): its breakdown ' ~ name ~ ' is not a categorical dimension of the semantic model '
                    ~ measure.fact ~ ', which has ' ~ (breakdowns[measure.fact] | join(', ') or 'none')) }}
            {%- endfor -%}
        {%- elif metric.type == 'ratio' -%}
            {%- do entry.update({
                'calc': 'ratio',
                'numerator': catalog_ratio_side(metric.type_params.numerator.name, helpers),
                'denominator': catalog_ratio_side(metric.type_params.denominator.name, helpers)}) -%}
        {%- elif metric.type == 'derived' -%}
            {%- set expression = namespace(sql=metric.type_params.expr) -%}
            {%- for input in metric.type_params.metrics -%}
                {%- set expression.sql = modules.re.sub('\\b' ~ input.name ~ '\\b', '{' ~ input.name ~ '}', expression.sql) -%}
            {%- endfor -%}
            {%- do entry.update({'calc': 'formula', 'expression': expression.sql}) -%}
        {%- else -%}
            {{ exceptions.raise_compiler_error('metric ' ~ metric.name ~ ': the metric tables have no ' ~ metric.type ~ ' metrics') }}
        {%- endif -%}
        {%- do catalog.metrics.append(entry) -%}
    {%- endfor -%}

    {%- for node in graph.nodes.values() | sort(attribute='unique_id')
        if node.resource_type == 'model' and node.config.meta.get('stock_metrics') -%}
        {%- do catalog.facts.update({node.name: {
            'changes': 'intervals', 'metrics': node.config.meta.get('values_model')}}) -%}
        {%- for name, spec in (node.config.meta.get('stock_dimensions') or {}).items() -%}
            {%- do catalog.dimensions.update({name: catalog_dimension_entry(catalog.dimensions, name, {
                'column': spec.get('expr') or name, 'label': spec.get('label'), 'meta': spec}, node.name)}) -%}
        {%- endfor -%}
        {%- for stock in node.config.meta.stock_metrics -%}
            {%- set entry = catalog_metric_entry(stock.name, stock.label, stock.description, stock.meta) -%}
            {%- do entry.update({'calc': 'eod', 'model': node.name, 'where': stock.get('where')}) -%}
            {%- do catalog.metrics.append(entry) -%}
        {%- endfor -%}
    {%- endfor -%}
    {{ return(catalog) }}
{%- endmacro %}


{#- One catalog entry's common fields, from a metric's name, label, description and meta.

    Example: catalog_metric_entry('gmv', 'GMV', 'Sum of item amounts.', {'domain': 'orders',
                 'unit': 'won', 'label_ko': '거래액 (GMV)', 'dimensions': ['category'], 'direction': 'up'})
      returns  {'name': 'gmv', 'label_en': 'GMV', 'label_ko': '거래액 (GMV)',
                'definition': 'Sum of item amounts.', 'unit': 'won', 'direction': 'up',
                'domain': 'orders', 'dimensions': ['category'], 'hidden': false}
    (plus 'dimension_values' when the meta has them) -#}
{% macro catalog_metric_entry(name, label, description, meta) -%}
    {%- set entry = {
        'name': name, 'label_en': label, 'label_ko': meta.get('label_ko', label),
        'definition': (description or '') | trim, 'unit': meta.get('unit'),
        'direction': meta.get('direction', 'none'), 'domain': meta.get('domain'),
        'dimensions': meta.get('dimensions') or [], 'hidden': meta.get('hidden', false)} -%}
    {%- if meta.get('dimension_values') -%}
        {%- do entry.update({'dimension_values': meta.get('dimension_values')}) -%}
    {%- endif -%}
    {{ return(entry) }}
{%- endmacro %}


{#- A dimension of the catalog, the same wherever it is declared (a different column is an
    error: the metric tables' breakdown must mean one thing). Returns the entry already in
    `dimensions` (the catalog's, read only) if there is one, else the new entry.

    Example: catalog_dimension_entry(catalog.dimensions, 'category', {'column': 'top_category_name',
                 'label': 'category', 'meta': {'label_ko': '카테고리'}}, 'fct_order_items')
      returns  {'column': 'top_category_name', 'values': none, 'where': none,
                'label_en': 'category', 'label_ko': '카테고리', 'value_labels': none}
    (a known 'category' of another column: a compile error naming fct_order_items) -#}
{% macro catalog_dimension_entry(dimensions, name, spec, declared_in) -%}
    {%- set meta = spec.meta or {} -%}
    {%- set entry = {
        'column': spec.column, 'values': meta.get('values'), 'where': meta.get('where'),
        'label_en': spec.label or name, 'label_ko': meta.get('label_ko', spec.label or name),
        'value_labels': meta.get('value_labels')} -%}
    {%- set known = dimensions.get(name) -%}
    {%- if known and known.column != entry.column -%}
        {{ exceptions.raise_compiler_error('dimension ' ~ name ~ ' is ' ~ known.column ~ ' elsewhere but '
            ~ entry.column ~ ' in ' ~ declared_in) }}
    {%- endif -%}
    {{ return(known or entry) }}
{%- endmacro %}


{#- A ratio's side as the metrics it sums: itself, or the inputs of the derived helper MetricFlow
    needs for a sum of several metrics (`a + b`). `helpers`: the metrics without a dashboard
    domain, by name.

    Example: catalog_ratio_side('payment_success_rate_denominator', helpers)
      returns  ['payments_approved', 'payments_failed']
    and catalog_ratio_side('payments_approved', helpers) returns ['payments_approved'] -#}
{% macro catalog_ratio_side(name, helpers) -%}
    {%- if name in helpers -%}
        {{ return(helpers[name].type_params.metrics | map(attribute='name') | list) }}
    {%- endif -%}
    {{ return([name]) }}
{%- endmacro %}


{#- dbt orders its DAG from the refs it sees while parsing, when the catalog is still empty, so
    a model that reads every fact or values model the catalog names writes those refs out
    (`-- depends_on: ...`). When it compiles, this checks that it names each of `model_names`,
    and says which line to add when a new fact or values model is missing.

    Example: {{ require_refs(metric_catalog()['facts'].keys() | list) }}
      renders  nothing when the model names every fact; else it stops the compile with
               "<model> reads fct_x but does not name them for dbt: add
               `-- depends_on: {{ ref('fct_x') }}` (and one line for each other) to <its file>" -#}
{% macro require_refs(model_names) -%}
    {%- if execute -%}
        {%- set named = [] -%}
        {%- for node in model.depends_on.nodes -%}
            {%- do named.append(node.split('.')[-1]) -%}
        {%- endfor -%}
        {%- set missing = model_names | reject('in', named) | list -%}
        {%- if missing -%}
            {{ exceptions.raise_compiler_error(model.name ~ ' reads ' ~ missing | join(', ')
                ~ ' but does not name them for dbt: add `-- depends_on: {{ ref(\'' ~ missing[0]
                ~ '\') }}` (and one line for each other) to ' ~ model.original_file_path) }}
        {%- endif -%}
    {%- endif -%}
{%- endmacro %}
