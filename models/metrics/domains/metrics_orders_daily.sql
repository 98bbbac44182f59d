{{ wide_domain_metrics('orders', 'day') }}
