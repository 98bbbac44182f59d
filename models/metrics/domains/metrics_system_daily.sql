{{ wide_domain_metrics('system', 'day') }}
