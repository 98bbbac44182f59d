{#- GENERATED from catalog/raw_contract.yml by `marketmetrics catalog` (and every
    `marketmetrics build`): do not edit, edit the YAML.
    tests/python/test_contract.py fails when this file is stale. The helpers that
    read it (raw_enum, raw_tables) are in
    macros/contract/raw_contract_helpers.sql. -#}
{% macro raw_contract_yaml() -%}
{% set yaml_text %}
# THE RAW CONTRACT as data: the 17 raw tables the warehouse reads, their keys, kinds, columns
# and what each column may hold. The one copy: Python reads this file (src/marketmetrics/
# contract.py: generator, loader DDL, serving copy, tests) and dbt reads the macro generated
# from it (macros/contract/raw_contract.sql, by `marketmetrics catalog`; a test fails when it
# is stale). docs/raw_contract.md explains it for people. The replicator's columns
# (_is_deleted on entities, _synced_at) are implied by `kind`.
#
# Per table: kind (entity: versioned by updated_at, may be deleted; event: append-only),
# key, domain, source (the dbt source that holds it), and its columns, each with
#   type             bigint, int, text, timestamptz, boolean or numeric (each engine maps it)
#   pii              what the column says about a person (docs/access.md):
#                      identifier       names a person (a name): dropped in staging
#                      contact          reaches a person (e-mail, phone): dropped in staging,
#                                       an e-mail kept only as a keyed pseudonym
#                      network_address  an IP address: kept only as a keyed pseudonym
#                      free_text        typed by people, may hold any of the above: e-mail
#                                       addresses, phone numbers and IP addresses masked
#                      none             nothing about a person
#                    readers (the BI role, the serving copy) never get identifier, contact or
#                    network_address columns, nor their pseudonyms
#   accepted_values  the only values allowed (trimmed, lower-cased); a row with another is
#                    quarantined as invalid_<column>
#   max_length       the longest text staging keeps, in characters; a longer value is
#                    quarantined as too_long_<column>, so a few rows cannot bloat a table
tables:
  customers:
    kind: entity
    key: customer_id
    domain: customers
    source: customer_db
    columns:
      customer_id: {type: bigint, pii: none}
      email: {type: text, pii: contact}
      phone: {type: text, pii: contact}
      name: {type: text, pii: identifier}
      status: {type: text, pii: none, accepted_values: [regular, paid_member, withdrawn, suspended]}
      signed_up_at: {type: timestamptz, pii: none}
      updated_at: {type: timestamptz, pii: none}
  nps_responses:
    kind: event
    key: response_id
    domain: customers
    source: customer_db
    columns:
      response_id: {type: bigint, pii: none}
      customer_id: {type: bigint, pii: none}
      score: {type: int, pii: none}
      comment: {type: text, pii: free_text, max_length: 2000}
      responded_at: {type: timestamptz, pii: none}
  auth_events:
    kind: event
    key: event_id
    domain: customers
    source: customer_db
    columns:
      event_id: {type: bigint, pii: none}
      customer_id: {type: bigint, pii: none}
      event_type: {type: text, pii: none, accepted_values: [login_success, login_failure, password_reset]}
      ip_address: {type: text, pii: network_address}
      occurred_at: {type: timestamptz, pii: none}
  sellers:
    kind: entity
    key: seller_id
    domain: sellers
    source: catalog_db
    columns:
      seller_id: {type: bigint, pii: none}
      business_name: {type: text, pii: free_text, max_length: 200}
      email: {type: text, pii: contact}
      status: {type: text, pii: none, accepted_values: [join_requested, joined, suspended]}
      requested_at: {type: timestamptz, pii: none}
      joined_at: {type: timestamptz, pii: none}
      updated_at: {type: timestamptz, pii: none}
  categories:
    kind: entity
    key: category_id
    domain: sellers
    source: catalog_db
    columns:
      category_id: {type: bigint, pii: none}
      parent_category_id: {type: bigint, pii: none}
      name: {type: text, pii: free_text, max_length: 100}
      updated_at: {type: timestamptz, pii: none}
  products:
    kind: entity
    key: product_id
    domain: sellers
    source: catalog_db
    columns:
      product_id: {type: bigint, pii: none}
      seller_id: {type: bigint, pii: none}
      category_id: {type: bigint, pii: none}
      name: {type: text, pii: free_text, max_length: 200}
      list_price: {type: bigint, pii: none}
      status: {type: text, pii: none, accepted_values: [registered, in_review, displayed, rejected, hidden]}
      registered_at: {type: timestamptz, pii: none}
      updated_at: {type: timestamptz, pii: none}
  orders:
    kind: entity
    key: order_id
    domain: orders
    source: order_db
    columns:
      order_id: {type: bigint, pii: none}
      customer_id: {type: bigint, pii: none}
      session_id: {type: text, pii: none, max_length: 128}
      status: {type: text, pii: none, accepted_values: [created, paid, cancelled, confirmed]}
      ordered_at: {type: timestamptz, pii: none}
      paid_at: {type: timestamptz, pii: none}
      cancelled_at: {type: timestamptz, pii: none}
      confirmed_at: {type: timestamptz, pii: none}
      updated_at: {type: timestamptz, pii: none}
  order_items:
    kind: entity
    key: order_item_id
    domain: orders
    source: order_db
    columns:
      order_item_id: {type: bigint, pii: none}
      order_id: {type: bigint, pii: none}
      product_id: {type: bigint, pii: none}
      seller_id: {type: bigint, pii: none}
      quantity: {type: int, pii: none}
      unit_price: {type: bigint, pii: none}
      discount_amount: {type: bigint, pii: none}
      updated_at: {type: timestamptz, pii: none}
  payments:
    kind: entity
    key: payment_id
    domain: payments
    source: payment_db
    columns:
      payment_id: {type: bigint, pii: none}
      order_id: {type: bigint, pii: none}
      method: {type: text, pii: none, accepted_values: [card, bank_transfer, virtual_account, mobile, kakaopay, naverpay, tosspay, points]}
      pg_provider: {type: text, pii: none, accepted_values: [kcp, inicis, toss_payments, nicepay, danal, kakao]}
      amount: {type: bigint, pii: none}
      status: {type: text, pii: none, accepted_values: [requested, approved, failed, cancelled]}
      failure_code: {type: text, pii: none, max_length: 64}
      requested_at: {type: timestamptz, pii: none}
      completed_at: {type: timestamptz, pii: none}
      updated_at: {type: timestamptz, pii: none}
  refunds:
    kind: entity
    key: refund_id
    domain: payments
    source: payment_db
    columns:
      refund_id: {type: bigint, pii: none}
      payment_id: {type: bigint, pii: none}
      amount: {type: bigint, pii: none}
      reason: {type: text, pii: none, accepted_values: [order_cancelled, return, other]}
      status: {type: text, pii: none, accepted_values: [requested, completed, failed]}
      requested_at: {type: timestamptz, pii: none}
      completed_at: {type: timestamptz, pii: none}
      updated_at: {type: timestamptz, pii: none}
  shipments:
    kind: entity
    key: shipment_id
    domain: logistics
    source: logistics_db
    columns:
      shipment_id: {type: bigint, pii: none}
      order_id: {type: bigint, pii: none}
      carrier: {type: text, pii: none, max_length: 64}
      # The contract gives no list for a shipment's current status: it is its latest event's.
      status: {type: text, pii: none, accepted_values: [inbound, outbound, in_delivery, delivered, returned]}
      created_at: {type: timestamptz, pii: none}
      updated_at: {type: timestamptz, pii: none}
  shipment_events:
    kind: event
    key: event_id
    domain: logistics
    source: logistics_db
    columns:
      event_id: {type: bigint, pii: none}
      shipment_id: {type: bigint, pii: none}
      status: {type: text, pii: none, accepted_values: [inbound, outbound, in_delivery, delivered, returned]}
      occurred_at: {type: timestamptz, pii: none}
  returns:
    kind: entity
    key: return_id
    domain: logistics
    source: logistics_db
    columns:
      return_id: {type: bigint, pii: none}
      order_item_id: {type: bigint, pii: none}
      quantity: {type: int, pii: none}
      reason: {type: text, pii: none, accepted_values: [changed_mind, defective, wrong_item, damaged, other]}
      status: {type: text, pii: none, accepted_values: [requested, collected, completed, rejected]}
      requested_at: {type: timestamptz, pii: none}
      completed_at: {type: timestamptz, pii: none}
      updated_at: {type: timestamptz, pii: none}
  web_events:
    kind: event
    key: event_id
    domain: behaviour
    source: behaviour_logs
    columns:
      event_id: {type: bigint, pii: none}
      session_id: {type: text, pii: none, max_length: 128}
      customer_id: {type: bigint, pii: none}
      event_type: {type: text, pii: none, accepted_values: [page_view, product_view, product_click, add_to_cart, checkout_start]}
      product_id: {type: bigint, pii: none}
      channel: {type: text, pii: none, accepted_values: [direct, organic_search, paid_search, social, email, affiliate]}
      device: {type: text, pii: none, accepted_values: [web, ios, android]}
      occurred_at: {type: timestamptz, pii: none}
  search_logs:
    kind: event
    key: search_id
    domain: behaviour
    source: behaviour_logs
    columns:
      search_id: {type: bigint, pii: none}
      session_id: {type: text, pii: none, max_length: 128}
      customer_id: {type: bigint, pii: none}
      query: {type: text, pii: free_text, max_length: 500}
      result_count: {type: int, pii: none}
      clicked_product_id: {type: bigint, pii: none}
      searched_at: {type: timestamptz, pii: none}
  api_request_logs:
    kind: event
    key: request_id
    domain: system
    source: system_logs
    columns:
      request_id: {type: bigint, pii: none}
      service: {type: text, pii: none, accepted_values: [order, payment, seller, catalog, search, logistics, customer]}
      endpoint: {type: text, pii: free_text, max_length: 500}
      http_method: {type: text, pii: none, max_length: 16}
      status_code: {type: int, pii: none}
      latency_ms: {type: int, pii: none}
      upstream_provider: {type: text, pii: none, accepted_values: [kcp, inicis, toss_payments, nicepay, danal, kakao]}
      requested_at: {type: timestamptz, pii: none}
  host_metrics:
    kind: event
    key: sample_id
    domain: system
    source: system_logs
    columns:
      sample_id: {type: bigint, pii: none}
      host: {type: text, pii: none, max_length: 255}
      service: {type: text, pii: none, accepted_values: [order, payment, seller, catalog, search, logistics, customer]}
      cpu_utilization_pct: {type: numeric, pii: none}
      memory_utilization_pct: {type: numeric, pii: none}
      sampled_at: {type: timestamptz, pii: none}
{% endset %}
{{ return(yaml_text) }}
{%- endmacro %}
