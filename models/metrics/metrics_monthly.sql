{{ metric_table('month') }}
