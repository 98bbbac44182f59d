{#- The snapshotted entities: the one list the history models are generated from.
    Per entity: its name in int_entity_status_intervals (`entity`), its key, the staging model
    it is captured from (stg_<model>, base_<model>), and the columns the snapshot keeps besides
    the key, `status`, `updated_at` and `_synced_at`. Adding an entity is one entry here, one
    snapshot in snapshots/_snapshots.yml, the model it reads (int_<model>_for_snapshot) and
    its intervals model (int_<entity>_status_intervals, a filter of int_entity_status_intervals). Shipments are not here: their history is their event log
    (int_shipment_status_intervals), not a snapshot.

    Example: {{ history_entities()[0] }}
      returns  {'entity': 'product', 'key': 'product_id', 'model': 'products',
                'columns': ['seller_id', 'category_id', 'product_name', 'list_price', 'registered_at']} -#}
{% macro history_entities() -%}
    {{ return([
        {'entity': 'product', 'key': 'product_id', 'model': 'products',
         'columns': ['seller_id', 'category_id', 'product_name', 'list_price', 'registered_at']},
        {'entity': 'seller', 'key': 'seller_id', 'model': 'sellers',
         'columns': ['business_name', 'email_hash', 'requested_at', 'joined_at']},
        {'entity': 'customer', 'key': 'customer_id', 'model': 'customers',
         'columns': ['email_hash', 'signed_up_at']},
        {'entity': 'order', 'key': 'order_id', 'model': 'orders',
         'columns': ['customer_id', 'session_id', 'ordered_at', 'paid_at', 'cancelled_at', 'confirmed_at']},
    ]) }}
{%- endmacro %}
