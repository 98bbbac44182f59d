{#- The raw contract's enumerations and tables, the one list the SQL side reads.
    src/marketmetrics/contract.py holds the same facts for the Python side;
    tests/python/test_contract.py fails when the two drift apart. -#}

{% macro raw_enum(table_name, column_name) -%}
    {%- set services = ['order', 'payment', 'seller', 'catalog', 'search', 'logistics', 'customer'] -%}
    {%- set shipment_statuses = ['inbound', 'outbound', 'in_delivery', 'delivered', 'returned'] -%}
    {%- set enums = {
        'customers.status': ['regular', 'paid_member', 'withdrawn', 'suspended'],
        'auth_events.event_type': ['login_success', 'login_failure', 'password_reset'],
        'sellers.status': ['join_requested', 'joined', 'suspended'],
        'products.status': ['registered', 'in_review', 'displayed', 'rejected', 'hidden'],
        'orders.status': ['created', 'paid', 'cancelled', 'confirmed'],
        'payments.method': [
            'card', 'bank_transfer', 'virtual_account', 'mobile',
            'kakaopay', 'naverpay', 'tosspay', 'points'
        ],
        'payments.status': ['requested', 'approved', 'failed', 'cancelled'],
        'refunds.reason': ['order_cancelled', 'return', 'other'],
        'refunds.status': ['requested', 'completed', 'failed'],
        'shipment_events.status': shipment_statuses,
        'shipments.status': shipment_statuses,
        'returns.reason': ['changed_mind', 'defective', 'wrong_item', 'damaged', 'other'],
        'returns.status': ['requested', 'collected', 'completed', 'rejected'],
        'web_events.event_type': [
            'page_view', 'product_view', 'product_click', 'add_to_cart', 'checkout_start'
        ],
        'web_events.channel': [
            'direct', 'organic_search', 'paid_search', 'social', 'email', 'affiliate'
        ],
        'web_events.device': ['web', 'ios', 'android'],
        'api_request_logs.service': services,
        'host_metrics.service': services,
    } -%}
    {%- set name = table_name ~ '.' ~ column_name -%}
    {%- if name not in enums -%}
        {{ exceptions.raise_compiler_error("raw_enum: the contract has no enumeration " ~ name) }}
    {%- endif -%}
    {{ return(enums[name]) }}
{%- endmacro %}


{#- The staged raw tables: name, the dbt source that holds it, key and kind. The audit models union over this list. -#}
{% macro raw_tables() -%}
    {{ return([
        {'name': 'customers', 'source': 'customer_db', 'key': 'customer_id', 'kind': 'entity'},
        {'name': 'nps_responses', 'source': 'customer_db', 'key': 'response_id', 'kind': 'event'},
        {'name': 'auth_events', 'source': 'customer_db', 'key': 'event_id', 'kind': 'event'},
        {'name': 'sellers', 'source': 'catalog_db', 'key': 'seller_id', 'kind': 'entity'},
        {'name': 'categories', 'source': 'catalog_db', 'key': 'category_id', 'kind': 'entity'},
        {'name': 'products', 'source': 'catalog_db', 'key': 'product_id', 'kind': 'entity'},
        {'name': 'orders', 'source': 'order_db', 'key': 'order_id', 'kind': 'entity'},
        {'name': 'order_items', 'source': 'order_db', 'key': 'order_item_id', 'kind': 'entity'},
        {'name': 'payments', 'source': 'payment_db', 'key': 'payment_id', 'kind': 'entity'},
        {'name': 'refunds', 'source': 'payment_db', 'key': 'refund_id', 'kind': 'entity'},
        {'name': 'shipments', 'source': 'logistics_db', 'key': 'shipment_id', 'kind': 'entity'},
        {'name': 'shipment_events', 'source': 'logistics_db', 'key': 'event_id', 'kind': 'event'},
        {'name': 'returns', 'source': 'logistics_db', 'key': 'return_id', 'kind': 'entity'},
        {'name': 'web_events', 'source': 'behaviour_logs', 'key': 'event_id', 'kind': 'event'},
        {'name': 'search_logs', 'source': 'behaviour_logs', 'key': 'search_id', 'kind': 'event'},
        {'name': 'api_request_logs', 'source': 'system_logs', 'key': 'request_id', 'kind': 'event'},
        {'name': 'host_metrics', 'source': 'system_logs', 'key': 'sample_id', 'kind': 'event'},
    ]) }}
{%- endmacro %}
