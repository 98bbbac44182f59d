{{ wide_domain_metrics('search', 'day') }}
