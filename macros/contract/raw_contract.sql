{#- GENERATED from catalog/raw_contract.yml by `marketmetrics catalog` (and every
    `marketmetrics build`): do not edit, edit the YAML.
    tests/python/test_contract.py fails when this file is stale. The helpers that
    read it (raw_enum, raw_tables) are in
    macros/contract/raw_contract_helpers.sql. -#}
{% macro raw_contract_yaml() -%}
{% set yaml_text %}
# THE RAW CONTRACT (../shared/spec/raw-contract.md) as data: the 17 raw tables, their keys,
# kinds, columns with logical types, and the enumerations. The one copy: Python reads this
# file (src/marketmetrics/contract.py: generator, loader DDL, tests) and dbt reads the macro
# generated from it (macros/contract/raw_contract.sql, by `marketmetrics catalog`; a test
# fails when it is stale). The replicator's columns (_is_deleted on entities, _synced_at)
# are implied by `kind`. Logical types: bigint, int, text, timestamptz, boolean, numeric.
#
# Per table: kind (entity: versioned by updated_at, may be deleted; event: append-only),
# key, domain, source (the dbt source that holds it), columns {name: type},
# enums {column: [accepted values]}.
tables:
  customers:
    kind: entity
    key: customer_id
    domain: customers
    source: customer_db
    columns:
      customer_id: bigint
      email: text
      phone: text
      name: text
      status: text
      signed_up_at: timestamptz
      updated_at: timestamptz
    enums:
      status: [regular, paid_member, withdrawn, suspended]
  nps_responses:
    kind: event
    key: response_id
    domain: customers
    source: customer_db
    columns:
      response_id: bigint
      customer_id: bigint
      score: int
      comment: text
      responded_at: timestamptz
  auth_events:
    kind: event
    key: event_id
    domain: customers
    source: customer_db
    columns:
      event_id: bigint
      customer_id: bigint
      event_type: text
      ip_address: text
      occurred_at: timestamptz
    enums:
      event_type: [login_success, login_failure, password_reset]
  sellers:
    kind: entity
    key: seller_id
    domain: sellers
    source: catalog_db
    columns:
      seller_id: bigint
      business_name: text
      email: text
      status: text
      requested_at: timestamptz
      joined_at: timestamptz
      updated_at: timestamptz
    enums:
      status: [join_requested, joined, suspended]
  categories:
    kind: entity
    key: category_id
    domain: sellers
    source: catalog_db
    columns:
      category_id: bigint
      parent_category_id: bigint
      name: text
      updated_at: timestamptz
  products:
    kind: entity
    key: product_id
    domain: sellers
    source: catalog_db
    columns:
      product_id: bigint
      seller_id: bigint
      category_id: bigint
      name: text
      list_price: bigint
      status: text
      registered_at: timestamptz
      updated_at: timestamptz
    enums:
      status: [registered, in_review, displayed, rejected, hidden]
  orders:
    kind: entity
    key: order_id
    domain: orders
    source: order_db
    columns:
      order_id: bigint
      customer_id: bigint
      session_id: text
      status: text
      ordered_at: timestamptz
      paid_at: timestamptz
      cancelled_at: timestamptz
      confirmed_at: timestamptz
      updated_at: timestamptz
    enums:
      status: [created, paid, cancelled, confirmed]
  order_items:
    kind: entity
    key: order_item_id
    domain: orders
    source: order_db
    columns:
      order_item_id: bigint
      order_id: bigint
      product_id: bigint
      seller_id: bigint
      quantity: int
      unit_price: bigint
      discount_amount: bigint
      updated_at: timestamptz
  payments:
    kind: entity
    key: payment_id
    domain: payments
    source: payment_db
    columns:
      payment_id: bigint
      order_id: bigint
      method: text
      pg_provider: text
      amount: bigint
      status: text
      failure_code: text
      requested_at: timestamptz
      completed_at: timestamptz
      updated_at: timestamptz
    enums:
      method: [card, bank_transfer, virtual_account, mobile, kakaopay, naverpay, tosspay, points]
      status: [requested, approved, failed, cancelled]
  refunds:
    kind: entity
    key: refund_id
    domain: payments
    source: payment_db
    columns:
      refund_id: bigint
      payment_id: bigint
      amount: bigint
      reason: text
      status: text
      requested_at: timestamptz
      completed_at: timestamptz
      updated_at: timestamptz
    enums:
      reason: [order_cancelled, return, other]
      status: [requested, completed, failed]
  shipments:
    kind: entity
    key: shipment_id
    domain: logistics
    source: logistics_db
    columns:
      shipment_id: bigint
      order_id: bigint
      carrier: text
      status: text
      created_at: timestamptz
      updated_at: timestamptz
    enums:
      # The contract gives no list for a shipment's current status: it is its latest event's.
      status: [inbound, outbound, in_delivery, delivered, returned]
  shipment_events:
    kind: event
    key: event_id
    domain: logistics
    source: logistics_db
    columns:
      event_id: bigint
      shipment_id: bigint
      status: text
      occurred_at: timestamptz
    enums:
      status: [inbound, outbound, in_delivery, delivered, returned]
  returns:
    kind: entity
    key: return_id
    domain: logistics
    source: logistics_db
    columns:
      return_id: bigint
      order_item_id: bigint
      quantity: int
      reason: text
      status: text
      requested_at: timestamptz
      completed_at: timestamptz
      updated_at: timestamptz
    enums:
      reason: [changed_mind, defective, wrong_item, damaged, other]
      status: [requested, collected, completed, rejected]
  web_events:
    kind: event
    key: event_id
    domain: behaviour
    source: behaviour_logs
    columns:
      event_id: bigint
      session_id: text
      customer_id: bigint
      event_type: text
      product_id: bigint
      channel: text
      device: text
      occurred_at: timestamptz
    enums:
      event_type: [page_view, product_view, product_click, add_to_cart, checkout_start]
      channel: [direct, organic_search, paid_search, social, email, affiliate]
      device: [web, ios, android]
  search_logs:
    kind: event
    key: search_id
    domain: behaviour
    source: behaviour_logs
    columns:
      search_id: bigint
      session_id: text
      customer_id: bigint
      query: text
      result_count: int
      clicked_product_id: bigint
      searched_at: timestamptz
  api_request_logs:
    kind: event
    key: request_id
    domain: system
    source: system_logs
    columns:
      request_id: bigint
      service: text
      endpoint: text
      http_method: text
      status_code: int
      latency_ms: int
      upstream_provider: text
      requested_at: timestamptz
    enums:
      service: [order, payment, seller, catalog, search, logistics, customer]
  host_metrics:
    kind: event
    key: sample_id
    domain: system
    source: system_logs
    columns:
      sample_id: bigint
      host: text
      service: text
      cpu_utilization_pct: numeric
      memory_utilization_pct: numeric
      sampled_at: timestamptz
    enums:
      service: [order, payment, seller, catalog, search, logistics, customer]
{% endset %}
{{ return(yaml_text) }}
{%- endmacro %}
