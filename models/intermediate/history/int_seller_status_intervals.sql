{{ entity_status_intervals('seller') }}
