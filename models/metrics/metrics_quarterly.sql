{{ metric_table('quarter') }}
