{{ wide_domain_metrics('traffic', 'day') }}
