{#- End-of-period stocks from int_customer_status_intervals, as running sums of +1/-1 state
    changes (the catalog's eod metrics whose `model` is that interval model).
    The SQL's shape is explained in macros/metrics/metric_values.sql (metric_stock_values_model). -#}
{{ config(materialized='table') }}

{{ metric_stock_values_model('int_customer_status_intervals') }}
