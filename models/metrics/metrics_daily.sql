{{ metric_table('day') }}
