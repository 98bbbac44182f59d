{#- Calendar arithmetic for the metric grains. `grain` is day | week | month | quarter | year;
    weeks start on Monday (ISO), as date_trunc('week') does on both engines. -#}

{% macro metric_grains() -%}
    {{ return(['day', 'week', 'month', 'quarter', 'year']) }}
{%- endmacro %}


{#- First day of the period of `grain` that contains the date `date_expr`. -#}
{% macro period_start(grain, date_expr) -%}
    {%- if grain == 'day' -%}
        cast({{ date_expr }} as date)
    {%- else -%}
        cast({{ dbt.date_trunc(grain, date_expr) }} as date)
    {%- endif -%}
{%- endmacro %}


{#- The period `n` periods of `grain` after the one starting at `start_expr` (n may be < 0). -#}
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


{#- Last day of the period starting at `start_expr`. -#}
{% macro period_last_day(grain, start_expr) -%}
    cast({{ dbt.dateadd('day', -1, period_shift(grain, start_expr, 1)) }} as date)
{%- endmacro %}


{#- The period a year earlier (metrics.md): 364 days for days (same weekday), 52 weeks for
    weeks, 12 months / 4 quarters / 1 year otherwise. -#}
{% macro period_prior_year(grain, start_expr) -%}
    {%- if grain == 'day' -%}
        {{ period_shift('day', start_expr, -364) }}
    {%- elif grain == 'week' -%}
        {{ period_shift('week', start_expr, -52) }}
    {%- else -%}
        cast({{ dbt.dateadd('month', -12, start_expr) }} as date)
    {%- endif -%}
{%- endmacro %}


{#- numerator / denominator, null where the denominator is 0 or null (metrics rule 4). -#}
{% macro safe_divide(numerator, denominator) -%}
    (cast({{ numerator }} as {{ type_double() }}) / nullif(cast({{ denominator }} as {{ type_double() }}), 0))
{%- endmacro %}


{#- A portable day spine: the integers 0 .. 10^digits - 1 as `n`, without engine-specific
    series functions (DuckDB and PostgreSQL spell generate_series differently). -#}
{% macro integer_series(digits=5) -%}
    select
        {% for i in range(digits) -%}
        d{{ i }}.n * {{ 10 ** i }}{{ ' +' if not loop.last }}
        {% endfor -%}
        as n
    from
        {% for i in range(digits) -%}
        (
            select 0 as n union all select 1 union all select 2 union all select 3 union all select 4
            union all select 5 union all select 6 union all select 7 union all select 8 union all select 9
        ) as d{{ i }}{{ ',' if not loop.last }}
        {% endfor %}
{%- endmacro %}
