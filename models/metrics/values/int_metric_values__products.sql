{#- The metrics computed from dim_products, at every grain
    (the catalog's metrics whose `model` is that fact).
    The SQL's shape is explained in macros/metrics/metric_values.sql (metric_values_model). -#}
{{ metric_values_model('dim_products') }}
