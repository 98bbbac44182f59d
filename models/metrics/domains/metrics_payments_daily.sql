{{ wide_domain_metrics('payments', 'day') }}
