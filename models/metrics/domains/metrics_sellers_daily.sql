{{ wide_domain_metrics('sellers', 'day') }}
