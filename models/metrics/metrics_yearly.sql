{{ metric_table('year') }}
