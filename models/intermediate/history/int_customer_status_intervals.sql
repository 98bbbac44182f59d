{{ entity_status_intervals('customer') }}
