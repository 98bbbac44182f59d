{{ entity_status_intervals('order') }}
