{#- The metrics computed from fct_returns, at every grain
    (the catalog's metrics whose `model` is that fact).
    The SQL's shape is explained in macros/metrics/metric_values.sql (metric_values_model). -#}
{{ metric_values_model('fct_returns') }}
