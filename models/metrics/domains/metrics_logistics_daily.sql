{{ wide_domain_metrics('logistics', 'day') }}
