{#- A portable day spine: the integers 0 .. 10^digits - 1 as `n`, without engine-specific
    series functions (DuckDB and PostgreSQL spell generate_series differently). A select, the
    body of a CTE.

    Example: days as ({{ integer_series(2) }})
      renders  select d0.n * 1 + d1.n * 10 as n
               from (select 0 as n union all select 1 ... union all select 9) as d0,
                    (select 0 as n union all select 1 ... union all select 9) as d1
    (100 rows, n = 0 .. 99, in no particular order) -#}
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
