{{ metric_table('week') }}
