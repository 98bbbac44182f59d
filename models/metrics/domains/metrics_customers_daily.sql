{{ wide_domain_metrics('customers', 'day') }}
