{#- Calendar arithmetic for the metric grains. `grain` is day | week | month | quarter | year;
    weeks start on Monday (ISO), as date_trunc('week') does on both engines. -#}


{#- The metric grains, finest first.

    Example: {{ metric_grains() }}   returns ['day', 'week', 'month', 'quarter', 'year'] -#}
{% macro metric_grains() -%}
    {{ return(['day', 'week', 'month', 'quarter', 'year']) }}
{%- endmacro %}


{#- First day of the period of `grain` that contains the date `date_expr`.

    Example: {{ period_start('month', 'ordered_date') }}
      renders  cast(date_trunc('month', ordered_date) as date)
    (and for 'day' just cast(ordered_date as date); 2026-03-04 is in the month of 2026-03-01) -#}
{% macro period_start(grain, date_expr) -%}
    {%- if grain == 'day' -%}
        cast({{ date_expr }} as date)
    {%- else -%}
        cast({{ dbt.date_trunc(grain, date_expr) }} as date)
    {%- endif -%}
{%- endmacro %}


{#- The period `n` periods of `grain` after the one starting at `start_expr` (n may be < 0).

    Example: {{ period_shift('quarter', 'period_start', -1) }}
      renders  cast((period_start + cast(-3 as bigint) * interval 1 month) as date)   (DuckDB)
    (weeks shift by 7 days, quarters by 3 months: 2026-04-01 gives 2026-01-01) -#}
{% macro period_shift(grain, start_expr, n) -%}
    {%- if grain == 'day' -%}
        cast({{ dbt.dateadd('day', n, start_expr) }} as date)
    {%- elif grain == 'week' -%}
        cast({{ dbt.dateadd('day', 7 * n, start_expr) }} as date)
    {%- elif grain == 'quarter' -%}
        cast({{ dbt.dateadd('month', 3 * n, start_expr) }} as date)
    {%- else -%}
        cast({{ dbt.dateadd(grain, n, start_expr) }} as date)
    {%- endif -%}
{%- endmacro %}


{#- Last day of the period starting at `start_expr`.

    Example: {{ period_last_day('month', 'period_start') }}
      renders  cast((cast((period_start + cast(1 as bigint) * interval 1 month) as date)
                     + cast(-1 as bigint) * interval 1 day) as date)   (DuckDB)
    (for 2026-02-01: 2026-02-28) -#}
{% macro period_last_day(grain, start_expr) -%}
    cast({{ dbt.dateadd('day', -1, period_shift(grain, start_expr, 1)) }} as date)
{%- endmacro %}


{#- The period a year earlier (docs/metrics.md): 364 days for days (same weekday), 52 weeks for
    weeks, 12 months / 4 quarters / 1 year otherwise.

    Example: {{ period_prior_year('day', 'period_start') }}
      renders  cast((period_start + cast(-364 as bigint) * interval 1 day) as date)   (DuckDB)
    (for Wednesday 2026-03-04: Wednesday 2025-03-05; for the month 2026-03-01: 2025-03-01) -#}
{% macro period_prior_year(grain, start_expr) -%}
    {%- if grain == 'day' -%}
        {{ period_shift('day', start_expr, -364) }}
    {%- elif grain == 'week' -%}
        {{ period_shift('week', start_expr, -52) }}
    {%- else -%}
        cast({{ dbt.dateadd('month', -12, start_expr) }} as date)
    {%- endif -%}
{%- endmacro %}
