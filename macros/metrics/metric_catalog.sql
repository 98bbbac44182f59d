{#- GENERATED from catalog/metric_catalog.yml by `marketmetrics catalog` (and
    every `marketmetrics build`): do not edit, edit the YAML. dbt cannot read a
    file, so the catalog reaches it as this macro's text;
    tests/python/test_metric_docs.py fails when this file is stale. -#}
{% macro metric_catalog_yaml() -%}
{% set yaml_text %}
# THE METRIC CATALOG: every published metric, once, and the one place its labels, unit,
# direction, definition and dimensions live. dbt reads it through the macro generated from
# this file (macros/metrics/metric_catalog.sql: `marketmetrics catalog` writes it, any
# `marketmetrics build` refreshes it, and tests/python/test_metric_docs.py fails when it is
# stale); Python (docs, dashboard, alerts) reads this file itself
# (src/marketmetrics/catalog.py). Adding a metric is one entry here plus, at most, one
# fact-level column in a mart.
#
# Per metric:
#   name, domain, label_en, label_ko, unit, definition, dimensions (breakdowns besides `all`)
#   direction     up | down | none: which way is good (dashboard colours, alert wording)
#   calc          count | sum | count_distinct | percentile   (computed from one fact model)
#                 eod   (a stock: keys whose status interval covers the end of the period's
#                        last local day; null for periods ending before history_start_at)
#                 ratio | formula                             (computed from other metrics)
#   model, date   the fact model and its local-date column that places a row in a period
#   where         optional filter on the fact rows
#   value         the summed / distinct / percentile column
#   p             the percentile, for calc percentile
#   numerator, denominator   lists of metrics summed on each side, for calc ratio
#   expression    for calc formula: SQL over {metric} placeholders
#   hidden        true for a component that is computed but not published
#   dimension_values   per-metric override of a dimension's reference values
# Dimensions: each names its fact column (`column`, default the dimension's own name), where
# its known values come from besides the data (`values`: `enum TABLE.COLUMN` for a contract
# enumeration, `ref MODEL.COLUMN` for a seed or model), and which fact rows count as
# observations of it (`where`; upstream_provider is only meaningful on outbound calls).
# Labels (en/ko) of the dashboard's domain tabs, of each dimension (its values' labels are the
# seed enum_labels, for the dimensions whose values are a contract enumeration; payment
# methods are labelled through payments.method).
domains:
  - {id: orders, label_en: Orders, label_ko: 주문, includes: [orders]}
  - {id: payments, label_en: Payments, label_ko: 결제, includes: [payments]}
  - {id: sellers, label_en: Sellers & catalog, label_ko: 판매자·상품, includes: [sellers]}
  - {id: logistics, label_en: Logistics & returns, label_ko: 물류·반품, includes: [logistics]}
  - {id: traffic, label_en: Traffic & search, label_ko: 방문·검색, includes: [traffic, search]}
  - {id: customers, label_en: Customers, label_ko: 고객, includes: [customers]}
  - {id: system, label_en: System, label_ko: 시스템, includes: [system]}

dimensions:
  channel: {values: enum web_events.channel, label_en: channel, label_ko: 채널}
  device: {values: enum web_events.device, label_en: device, label_ko: 기기}
  payment_method: {values: ref payment_method_fees.payment_method, value_labels: payments.method, label_en: payment method, label_ko: 결제 수단}
  pg_provider: {label_en: payment gateway, label_ko: PG사}
  category: {column: top_category_name, values: ref dim_categories.top_category_name, label_en: category, label_ko: 카테고리}
  service: {values: enum api_request_logs.service, label_en: service, label_ko: 서비스}
  upstream_provider: {where: is_external, label_en: external gateway, label_ko: 외부 결제사}
  reason: {values: enum returns.reason, label_en: reason, label_ko: 사유}
  status: {label_en: status, label_ko: 상태}

# The models the base metrics read, and how an incremental run finds what changed in each
# (macros/metrics/metric_values.sql). `entity` names the fact's rows in the semantic layer
# (MetricFlow's primary entity: `mf query --group-by payment__payment_method`); `key`
# identifies a row; `changes`:
#   event      a row never changes once built: new rows have a _synced_at past the watermark
#   entity     rows change and vanish: each key's footprint is compared with the last run's
#              (int_metric_fact_footprints)
#   intervals  status intervals for the end-of-period stocks, summed as +1/-1 deltas
# `metrics` names the model that holds the SQL of its metrics (two hops from a metric's name:
# the metric's `model`, then this).
facts:
  fct_sessions: {entity: session, key: session_id, changes: entity, metrics: int_metric_values__sessions}
  fct_web_events: {entity: web_event, key: event_id, changes: event, metrics: int_metric_values__web_events}
  fct_orders: {entity: order, key: order_id, changes: entity, metrics: int_metric_values__orders}
  fct_order_items: {entity: order_item, key: order_item_id, changes: entity, metrics: int_metric_values__order_items}
  fct_payments: {entity: payment, key: payment_id, changes: entity, metrics: int_metric_values__payments}
  fct_refunds: {entity: refund, key: refund_id, changes: entity, metrics: int_metric_values__refunds}
  dim_products: {entity: product, key: product_id, changes: entity, metrics: int_metric_values__products}
  fct_product_first_displays: {entity: product_first_display, key: product_id, changes: entity, metrics: int_metric_values__product_first_displays}
  dim_sellers: {entity: seller, key: seller_id, changes: entity, metrics: int_metric_values__sellers}
  fct_shipments: {entity: shipment, key: shipment_id, changes: entity, metrics: int_metric_values__shipments}
  fct_returns: {entity: return, key: return_id, changes: entity, metrics: int_metric_values__returns}
  fct_searches: {entity: search, key: search_id, changes: event, metrics: int_metric_values__searches}
  dim_customers: {entity: customer, key: customer_id, changes: entity, metrics: int_metric_values__customers}
  fct_state_transitions: {entity: state_transition, key: [entity, entity_key, transitioned_at], changes: entity, metrics: int_metric_values__state_transitions}
  fct_nps_responses: {entity: nps_response, key: response_id, changes: event, metrics: int_metric_values__nps_responses}
  fct_api_requests: {entity: api_request, key: request_id, changes: event, metrics: int_metric_values__api_requests}
  fct_host_samples: {entity: host_sample, key: sample_id, changes: event, metrics: int_metric_values__host_samples}
  fct_auth_events: {entity: auth_event, key: event_id, changes: event, metrics: int_metric_values__auth_events}
  fct_suspicious_ip_days: {entity: suspicious_ip_day, key: [ip_hash, occurred_date], changes: entity, metrics: int_metric_values__suspicious_ip_days}
  int_product_status_intervals: {changes: intervals, metrics: int_metric_values__product_stocks}
  int_seller_status_intervals: {changes: intervals, metrics: int_metric_values__seller_stocks}
  int_shipment_status_intervals: {changes: intervals, metrics: int_metric_values__shipment_stocks}
  int_customer_status_intervals: {changes: intervals, metrics: int_metric_values__customer_stocks}

metrics:
  # --- traffic and behaviour ------------------------------------------------------------
  - name: visits
    domain: traffic
    label_en: Visits
    label_ko: 방문 수
    unit: count
    direction: up
    definition: Distinct sessions, each placed in the period of its first event; channel and device are the first event's.
    dimensions: [channel, device]
    calc: count
    model: fct_sessions
    date: started_date
  - name: page_views
    domain: traffic
    label_en: Page views
    label_ko: 페이지 조회 수
    unit: count
    direction: up
    definition: Web events of type page_view.
    calc: count
    model: fct_web_events
    date: occurred_date
    where: event_type = 'page_view'
  - name: product_clicks
    domain: traffic
    label_en: Product clicks
    label_ko: 상품 클릭 수
    unit: count
    direction: up
    definition: Web events of type product_click.
    calc: count
    model: fct_web_events
    date: occurred_date
    where: event_type = 'product_click'
  - name: add_to_cart_events
    domain: traffic
    label_en: Add-to-cart events
    label_ko: 장바구니 담기 수
    unit: count
    direction: up
    definition: Web events of type add_to_cart.
    calc: count
    model: fct_web_events
    date: occurred_date
    where: event_type = 'add_to_cart'
  - name: active_customers
    domain: traffic
    label_en: Active customers
    label_ko: 활성 고객 수
    unit: count
    direction: up
    definition: Distinct known customers with any web event in the period (recounted over the whole period at every grain).
    calc: count_distinct
    model: fct_web_events
    date: occurred_date
    value: customer_id
    where: customer_id is not null
  - name: sessions_with_cart
    domain: traffic
    label_en: Sessions with a cart
    label_ko: 장바구니 세션 수
    unit: count
    direction: up
    definition: Sessions (placed as in visits) with at least one add_to_cart event.
    calc: count
    model: fct_sessions
    date: started_date
    where: has_cart
  - name: sessions_with_checkout
    domain: traffic
    label_en: Sessions with a checkout
    label_ko: 주문서 진입 세션 수
    unit: count
    direction: up
    definition: Sessions (placed as in visits) with at least one checkout_start event.
    calc: count
    model: fct_sessions
    date: started_date
    where: has_checkout
  - name: sessions_with_order
    domain: traffic
    label_en: Sessions with an order
    label_ko: 주문 세션 수
    unit: count
    direction: up
    definition: Sessions (placed as in visits) whose id is on at least one order.
    dimensions: [channel, device]
    calc: count
    model: fct_sessions
    date: started_date
    where: has_order
  - name: order_conversion_rate
    domain: traffic
    label_en: Order conversion rate
    label_ko: 주문 컨버전
    unit: rate
    direction: up
    definition: sessions_with_order / visits.
    dimensions: [channel, device]
    calc: ratio
    numerator: [sessions_with_order]
    denominator: [visits]

  # --- orders ----------------------------------------------------------------------------
  - name: orders
    domain: orders
    label_en: Orders
    label_ko: 주문 수
    unit: count
    direction: up
    definition: Orders placed, any status [ordered_at].
    calc: count
    model: fct_orders
    date: ordered_date
  - name: paid_orders
    domain: orders
    label_en: Paid orders
    label_ko: 결제 주문 수
    unit: count
    direction: up
    definition: Orders placed in the period with paid_at set, whatever their later status [ordered_at].
    calc: count
    model: fct_orders
    date: ordered_date
    where: is_paid
  - name: cancelled_orders
    domain: orders
    label_en: Cancelled orders
    label_ko: 취소 주문 수
    unit: count
    direction: down
    definition: Orders placed in the period whose current status is cancelled [ordered_at].
    calc: count
    model: fct_orders
    date: ordered_date
    where: is_cancelled
  - name: cancellation_rate
    domain: orders
    label_en: Cancellation rate
    label_ko: 주문 취소율
    unit: rate
    direction: down
    definition: cancelled_orders / orders.
    calc: ratio
    numerator: [cancelled_orders]
    denominator: [orders]
  - name: gmv
    domain: orders
    label_en: GMV
    label_ko: 거래액 (GMV)
    unit: won
    direction: up
    definition: Sum of item amounts (quantity x unit_price - discount_amount) over paid orders [ordered_at]; category is the product's top-level category.
    dimensions: [category]
    calc: sum
    model: fct_order_items
    date: ordered_date
    value: item_amount
    where: is_paid_order
  - name: items_sold
    domain: orders
    label_en: Items sold
    label_ko: 판매 수량
    unit: count
    direction: up
    definition: Sum of quantities over paid orders [ordered_at].
    calc: sum
    model: fct_order_items
    date: ordered_date
    value: quantity
    where: is_paid_order
  - name: average_order_value
    domain: orders
    label_en: Average order value
    label_ko: 평균 주문 금액
    unit: won
    direction: up
    definition: gmv / paid_orders.
    calc: ratio
    numerator: [gmv]
    denominator: [paid_orders]
  - name: buyers
    domain: orders
    label_en: Buyers
    label_ko: 구매자 수
    unit: count
    direction: up
    definition: Distinct customers with a paid order placed in the period [ordered_at].
    calc: count_distinct
    model: fct_orders
    date: ordered_date
    value: customer_id
    where: is_paid
  - name: new_buyers
    domain: orders
    label_en: New buyers
    label_ko: 신규 구매자 수
    unit: count
    direction: up
    definition: Buyers whose first paid order ever (by ordered_at) is placed in the period.
    calc: count_distinct
    model: fct_orders
    date: ordered_date
    value: customer_id
    where: is_paid and is_first_paid_order

  # --- payments --------------------------------------------------------------------------
  - name: payment_attempts
    domain: payments
    label_en: Payment attempts
    label_ko: 결제 시도 수
    unit: count
    direction: none
    definition: Payment attempts, any status [requested_at].
    dimensions: [payment_method, pg_provider]
    calc: count
    model: fct_payments
    date: requested_date
  - name: payments_approved
    domain: payments
    label_en: Approved payments
    label_ko: 결제 승인 수
    unit: count
    direction: up
    definition: Payment attempts approved [requested_at].
    dimensions: [payment_method, pg_provider]
    calc: count
    model: fct_payments
    date: requested_date
    where: status = 'approved'
  - name: payments_failed
    domain: payments
    label_en: Failed payments
    label_ko: 결제 실패 수
    unit: count
    direction: down
    definition: Payment attempts failed [requested_at].
    dimensions: [payment_method, pg_provider]
    calc: count
    model: fct_payments
    date: requested_date
    where: status = 'failed'
  - name: payment_success_rate
    domain: payments
    label_en: Payment success rate
    label_ko: 결제 성공률
    unit: rate
    direction: up
    definition: payments_approved / (payments_approved + payments_failed).
    dimensions: [payment_method, pg_provider]
    calc: ratio
    numerator: [payments_approved]
    denominator: [payments_approved, payments_failed]
  - name: payment_amount
    domain: payments
    label_en: Payment amount
    label_ko: 결제 금액
    unit: won
    direction: up
    definition: Sum of the amounts of approved attempts [requested_at].
    dimensions: [payment_method]
    calc: sum
    model: fct_payments
    date: requested_date
    value: amount
    where: status = 'approved'
  - name: payment_processing_seconds_p50
    domain: payments
    label_en: Payment processing time (median)
    label_ko: 결제 처리 속도 (중앙값)
    unit: seconds
    direction: down
    definition: Median of completed_at - requested_at over approved and failed attempts [requested_at].
    dimensions: [payment_method]
    calc: percentile
    p: 0.5
    model: fct_payments
    date: requested_date
    value: processing_seconds
    where: status in ('approved', 'failed')
  - name: payment_processing_seconds_p95
    domain: payments
    label_en: Payment processing time (p95)
    label_ko: 결제 처리 속도 (p95)
    unit: seconds
    direction: down
    definition: 95th percentile of completed_at - requested_at over approved and failed attempts [requested_at].
    dimensions: [payment_method]
    calc: percentile
    p: 0.95
    model: fct_payments
    date: requested_date
    value: processing_seconds
    where: status in ('approved', 'failed')
  - name: refunds
    domain: payments
    label_en: Refunds
    label_ko: 환불 수
    unit: count
    direction: down
    definition: Completed refunds [completed_at].
    calc: count
    model: fct_refunds
    date: completed_date
    where: status = 'completed'
  - name: refund_amount
    domain: payments
    label_en: Refund amount
    label_ko: 환불 금액
    unit: won
    direction: down
    definition: Sum of the amounts of completed refunds [completed_at].
    calc: sum
    model: fct_refunds
    date: completed_date
    value: amount
    where: status = 'completed'
  - name: pg_fee_amount
    domain: payments
    label_en: Payment gateway fees
    label_ko: PG 수수료
    unit: won
    direction: down
    definition: Sum over approved attempts of amount x the method's fee rate (seed payment_method_fees) [requested_at]; a cost.
    dimensions: [payment_method]
    calc: sum
    model: fct_payments
    date: requested_date
    value: pg_fee_amount
    where: status = 'approved'

  # --- sellers and catalog ---------------------------------------------------------------
  - name: products_registered
    domain: sellers
    label_en: Products registered
    label_ko: 등록 상품 수
    unit: count
    direction: up
    definition: Products registered [registered_at]; category is the top-level category.
    dimensions: [category]
    calc: count
    model: dim_products
    date: registered_date
  - name: products_total_eod
    domain: sellers
    label_en: Products in the catalog (end of period)
    label_ko: 카테고리별 상품 개수
    unit: count
    direction: up
    definition: Products that exist (registered, not deleted, not rejected) at the end of the period's last day, reconstructed from snapshot history; null for periods that end before the history begins.
    dimensions: [category]
    calc: eod
    model: int_product_status_intervals
    where: status != 'rejected'
  - name: products_displayed_eod
    domain: sellers
    label_en: Products on display (end of period)
    label_ko: 진열 상품 개수
    unit: count
    direction: up
    definition: Products whose status is displayed at the end of the period's last day, from snapshot history; null before the history begins.
    dimensions: [category]
    calc: eod
    model: int_product_status_intervals
    where: status = 'displayed'
  - name: registration_to_display_hours_p50
    domain: sellers
    label_en: Registration to display (median hours)
    label_ko: 등록~진열 레이턴시 (중앙값)
    unit: hours
    direction: down
    definition: Median hours from registered_at to the first transition into displayed, over products whose first display falls in the period and was observed by a snapshot [that transition].
    calc: percentile
    p: 0.5
    model: fct_product_first_displays
    date: first_displayed_date
    value: registration_to_display_hours
    where: is_first_display_observed
  - name: registration_to_display_hours_p95
    domain: sellers
    label_en: Registration to display (p95 hours)
    label_ko: 등록~진열 레이턴시 (p95)
    unit: hours
    direction: down
    definition: 95th percentile of hours from registered_at to the first transition into displayed, over products whose first display falls in the period and was observed by a snapshot [that transition].
    calc: percentile
    p: 0.95
    model: fct_product_first_displays
    date: first_displayed_date
    value: registration_to_display_hours
    where: is_first_display_observed
  - name: sellers_by_status_eod
    domain: sellers
    label_en: Sellers by status (end of period)
    label_ko: 상태별 판매자 수
    unit: count
    direction: none
    definition: Sellers in each status at the end of the period's last day, from snapshot history; null before the history begins.
    dimensions: [status]
    dimension_values: {status: enum sellers.status}
    calc: eod
    model: int_seller_status_intervals
  - name: seller_join_requests
    domain: sellers
    label_en: Seller join requests
    label_ko: 판매자 가입 요청 수
    unit: count
    direction: up
    definition: Sellers by their join request [requested_at].
    calc: count
    model: dim_sellers
    date: requested_date
  - name: sellers_joined
    domain: sellers
    label_en: Sellers joined
    label_ko: 판매자 가입 완료 수
    unit: count
    direction: up
    definition: Sellers by the completion of their join [joined_at].
    calc: count
    model: dim_sellers
    date: joined_date
    where: joined_at is not null
  - name: commission_revenue
    domain: sellers
    label_en: Commission revenue
    label_ko: 수수료 매출
    unit: won
    direction: up
    definition: Sum of item amount x the top-level category's commission rate (seed category_commission_rates) over items of orders confirmed in the period [confirmed_at].
    calc: sum
    model: fct_order_items
    date: order_confirmed_date
    value: commission_amount
    where: order_confirmed_at is not null
  - name: settlement_amount
    domain: sellers
    label_en: Settlement amount
    label_ko: 정산 금액
    unit: won
    direction: none
    definition: The same items' sum of item amounts minus commission_revenue [confirmed_at].
    calc: sum
    model: fct_order_items
    date: order_confirmed_date
    value: settlement_amount
    where: order_confirmed_at is not null
  - name: gross_profit
    domain: sellers
    label_en: Gross profit
    label_ko: 매출 총이익
    unit: won
    direction: up
    definition: commission_revenue - pg_fee_amount.
    calc: formula
    expression: "{commission_revenue} - {pg_fee_amount}"

  # --- logistics and returns -------------------------------------------------------------
  - name: shipments_dispatched
    domain: logistics
    label_en: Shipments dispatched
    label_ko: 출고 수
    unit: count
    direction: up
    definition: Shipments whose first outbound event is in the period [that event].
    calc: count
    model: fct_shipments
    date: first_outbound_date
    where: first_outbound_at is not null
  - name: shipments_delivered
    domain: logistics
    label_en: Shipments delivered
    label_ko: 배송 완료 수
    unit: count
    direction: up
    definition: Shipments whose first delivered event is in the period [that event].
    calc: count
    model: fct_shipments
    date: first_delivered_date
    where: first_delivered_at is not null
  - name: shipments_returned
    domain: logistics
    label_en: Shipments returned
    label_ko: 반환 수
    unit: count
    direction: down
    definition: Shipments whose first returned event is in the period [that event].
    calc: count
    model: fct_shipments
    date: first_returned_date
    where: first_returned_at is not null
  - name: delivery_lead_time_hours_p50
    domain: logistics
    label_en: Delivery lead time (median)
    label_ko: 배송 리드타임 (중앙값)
    unit: hours
    direction: down
    definition: Median hours from the order's paid_at to delivery, over shipments delivered in the period [delivered].
    calc: percentile
    p: 0.5
    model: fct_shipments
    date: first_delivered_date
    value: delivery_lead_time_hours
  - name: delivery_lead_time_hours_p95
    domain: logistics
    label_en: Delivery lead time (p95)
    label_ko: 배송 리드타임 (p95)
    unit: hours
    direction: down
    definition: 95th percentile of hours from the order's paid_at to delivery, over shipments delivered in the period [delivered].
    calc: percentile
    p: 0.95
    model: fct_shipments
    date: first_delivered_date
    value: delivery_lead_time_hours
  - name: deliveries_with_lead_time
    domain: logistics
    hidden: true
    label_en: Deliveries with a lead time
    label_ko: 리드타임 측정 배송 수
    unit: count
    direction: none
    definition: Shipments delivered in the period whose order has a paid_at.
    calc: count
    model: fct_shipments
    date: first_delivered_date
    where: delivery_lead_time_hours is not null
  - name: on_time_deliveries
    domain: logistics
    hidden: true
    label_en: On-time deliveries
    label_ko: 정시 배송 수
    unit: count
    direction: up
    definition: Of those, delivered within on_time_delivery_days (var, default 3) of paid_at.
    calc: count
    model: fct_shipments
    date: first_delivered_date
    where: is_delivered_on_time
  - name: on_time_delivery_rate
    domain: logistics
    label_en: On-time delivery rate
    label_ko: 정시 배송률
    unit: rate
    direction: up
    definition: Share of shipments delivered in the period that arrived within on_time_delivery_days (var, default 3) of the order's paid_at.
    calc: ratio
    numerator: [on_time_deliveries]
    denominator: [deliveries_with_lead_time]
  - name: shipments_by_status_eod
    domain: logistics
    label_en: Shipments by status (end of period)
    label_ko: 상태별 배송 수
    unit: count
    direction: none
    definition: Shipments by their latest event at or before the end of the period's last day; null for periods that end before the first shipment event.
    dimensions: [status]
    dimension_values: {status: enum shipments.status}
    calc: eod
    model: int_shipment_status_intervals
  - name: return_requests
    domain: logistics
    label_en: Return requests
    label_ko: 반품 요청 수
    unit: count
    direction: down
    definition: Returns requested [requested_at].
    dimensions: [reason]
    calc: count
    model: fct_returns
    date: requested_date
  - name: returns_completed
    domain: logistics
    label_en: Returns completed
    label_ko: 반품 완료 수
    unit: count
    direction: none
    definition: Returns with status completed [completed_at].
    calc: count
    model: fct_returns
    date: completed_date
    where: status = 'completed'
  - name: returned_quantity
    domain: logistics
    hidden: true
    label_en: Quantity of return requests
    label_ko: 반품 요청 수량
    unit: count
    direction: down
    definition: Sum of the quantities of return requests [requested_at].
    calc: sum
    model: fct_returns
    date: requested_date
    value: quantity
  - name: return_rate
    domain: logistics
    label_en: Return rate
    label_ko: 반품률
    unit: rate
    direction: down
    definition: Sum of the quantities of return requests / items_sold, same period.
    calc: ratio
    numerator: [returned_quantity]
    denominator: [items_sold]

  # --- search ----------------------------------------------------------------------------
  - name: searches
    domain: search
    label_en: Searches
    label_ko: 검색 수
    unit: count
    direction: up
    definition: Search logs [searched_at].
    calc: count
    model: fct_searches
    date: searched_date
  - name: zero_result_searches
    domain: search
    hidden: true
    label_en: Zero-result searches
    label_ko: 검색 결과 없음 수
    unit: count
    direction: down
    definition: Searches with result_count = 0.
    calc: count
    model: fct_searches
    date: searched_date
    where: is_zero_result
  - name: clicked_searches
    domain: search
    hidden: true
    label_en: Searches with a click
    label_ko: 클릭된 검색 수
    unit: count
    direction: up
    definition: Searches with a clicked product.
    calc: count
    model: fct_searches
    date: searched_date
    where: has_click
  - name: zero_result_rate
    domain: search
    label_en: Zero-result rate
    label_ko: 검색 결과 없음 비율
    unit: rate
    direction: down
    definition: Searches with result_count = 0 / searches.
    calc: ratio
    numerator: [zero_result_searches]
    denominator: [searches]
  - name: search_click_through_rate
    domain: search
    label_en: Search click-through rate
    label_ko: 검색 클릭률
    unit: rate
    direction: up
    definition: Searches with a clicked product / searches.
    calc: ratio
    numerator: [clicked_searches]
    denominator: [searches]

  # --- customers -------------------------------------------------------------------------
  - name: new_customers
    domain: customers
    label_en: New customers
    label_ko: 신규 가입 고객 수
    unit: count
    direction: up
    definition: Customers by sign-up [signed_up_at].
    calc: count
    model: dim_customers
    date: signed_up_date
  - name: customers_by_status_eod
    domain: customers
    label_en: Customers by status (end of period)
    label_ko: 상태별 고객 수
    unit: count
    direction: none
    definition: Customers in each status at the end of the period's last day, from snapshot history; null before the history begins.
    dimensions: [status]
    dimension_values: {status: enum customers.status}
    calc: eod
    model: int_customer_status_intervals
  - name: withdrawals
    domain: customers
    label_en: Withdrawals
    label_ko: 탈퇴 고객 수
    unit: count
    direction: down
    definition: Customers whose observed transition into withdrawn falls in the period [that transition]; a customer first seen already withdrawn is not a transition.
    calc: count_distinct
    model: fct_state_transitions
    date: transitioned_date
    value: entity_key
    where: entity = 'customer' and to_status = 'withdrawn' and from_status is not null
  - name: nps_responses
    domain: customers
    label_en: NPS responses
    label_ko: NPS 응답 수
    unit: count
    direction: up
    definition: NPS responses [responded_at].
    calc: count
    model: fct_nps_responses
    date: responded_date
  - name: nps_promoters
    domain: customers
    hidden: true
    label_en: NPS promoters
    label_ko: NPS 추천 고객 수
    unit: count
    direction: up
    definition: Responses scoring 9 or 10.
    calc: count
    model: fct_nps_responses
    date: responded_date
    where: is_promoter
  - name: nps_detractors
    domain: customers
    hidden: true
    label_en: NPS detractors
    label_ko: NPS 비추천 고객 수
    unit: count
    direction: down
    definition: Responses scoring 0 to 6.
    calc: count
    model: fct_nps_responses
    date: responded_date
    where: is_detractor
  - name: nps
    domain: customers
    label_en: NPS
    label_ko: 순추천지수 (NPS)
    unit: score
    direction: up
    definition: 100 x (share of scores 9-10 - share of scores 0-6); null without responses.
    calc: formula
    expression: "100.0 * ({nps_promoters} - {nps_detractors}) / nullif({nps_responses}, 0)"

  # --- system, availability, security ----------------------------------------------------
  - name: api_requests
    domain: system
    label_en: API requests
    label_ko: API 요청 수
    unit: count
    direction: none
    definition: Requests to the platform's own APIs (upstream_provider null) [requested_at].
    dimensions: [service]
    calc: count
    model: fct_api_requests
    date: requested_date
    where: not is_external
  - name: api_errors
    domain: system
    label_en: API errors
    label_ko: API 오류 수
    unit: count
    direction: down
    definition: Own-API requests with status_code >= 500 or no response (timeout).
    dimensions: [service]
    calc: count
    model: fct_api_requests
    date: requested_date
    where: not is_external and is_error
  - name: api_error_rate
    domain: system
    label_en: API error rate
    label_ko: API 오류율
    unit: rate
    direction: down
    definition: api_errors / api_requests.
    dimensions: [service]
    calc: ratio
    numerator: [api_errors]
    denominator: [api_requests]
  - name: availability
    domain: system
    label_en: Availability
    label_ko: 가용성
    unit: rate
    direction: up
    definition: 1 - api_error_rate; null without requests.
    dimensions: [service]
    calc: formula
    expression: "1 - {api_error_rate}"
  - name: api_latency_ms_p50
    domain: system
    label_en: API latency (median)
    label_ko: API 레이턴시 (중앙값)
    unit: ms
    direction: down
    definition: Median latency_ms of own-API requests.
    dimensions: [service]
    calc: percentile
    p: 0.5
    model: fct_api_requests
    date: requested_date
    value: latency_ms
    where: not is_external
  - name: api_latency_ms_p95
    domain: system
    label_en: API latency (p95)
    label_ko: API 레이턴시 (p95)
    unit: ms
    direction: down
    definition: 95th percentile latency_ms of own-API requests.
    dimensions: [service]
    calc: percentile
    p: 0.95
    model: fct_api_requests
    date: requested_date
    value: latency_ms
    where: not is_external
  - name: api_latency_ms_p99
    domain: system
    label_en: API latency (p99)
    label_ko: API 레이턴시 (p99)
    unit: ms
    direction: down
    definition: 99th percentile latency_ms of own-API requests.
    dimensions: [service]
    calc: percentile
    p: 0.99
    model: fct_api_requests
    date: requested_date
    value: latency_ms
    where: not is_external
  - name: external_api_calls
    domain: system
    label_en: External gateway calls
    label_ko: 외부 결제사 API 호출 수
    unit: count
    direction: none
    definition: Outbound calls to external payment gateways (upstream_provider set) [requested_at].
    dimensions: [upstream_provider]
    calc: count
    model: fct_api_requests
    date: requested_date
    where: is_external
  - name: external_api_errors
    domain: system
    label_en: External gateway errors
    label_ko: 외부 결제사 API 오류 수
    unit: count
    direction: down
    definition: Outbound gateway calls with status_code >= 500 or no response.
    dimensions: [upstream_provider]
    calc: count
    model: fct_api_requests
    date: requested_date
    where: is_external and is_error
  - name: external_api_error_rate
    domain: system
    label_en: External gateway error rate
    label_ko: 외부 결제사 API 오류율
    unit: rate
    direction: down
    definition: external_api_errors / external_api_calls.
    dimensions: [upstream_provider]
    calc: ratio
    numerator: [external_api_errors]
    denominator: [external_api_calls]
  - name: external_api_latency_ms_p95
    domain: system
    label_en: External gateway latency (p95)
    label_ko: 외부 결제사 API 레이턴시 (p95)
    unit: ms
    direction: down
    definition: 95th percentile latency_ms of outbound gateway calls.
    dimensions: [upstream_provider]
    calc: percentile
    p: 0.95
    model: fct_api_requests
    date: requested_date
    value: latency_ms
    where: is_external
  - name: cpu_utilization_pct_p95
    domain: system
    label_en: CPU utilisation (p95)
    label_ko: CPU 사용률 (p95)
    unit: pct
    direction: down
    definition: 95th percentile of host CPU utilisation samples [sampled_at].
    dimensions: [service]
    calc: percentile
    p: 0.95
    model: fct_host_samples
    date: sampled_date
    value: cpu_utilization_pct
  - name: memory_utilization_pct_p95
    domain: system
    label_en: Memory utilisation (p95)
    label_ko: 메모리 사용률 (p95)
    unit: pct
    direction: down
    definition: 95th percentile of host memory utilisation samples [sampled_at].
    dimensions: [service]
    calc: percentile
    p: 0.95
    model: fct_host_samples
    date: sampled_date
    value: memory_utilization_pct
  - name: login_failures
    domain: system
    label_en: Login failures
    label_ko: 로그인 실패 수
    unit: count
    direction: down
    definition: Auth events of type login_failure [occurred_at].
    calc: count
    model: fct_auth_events
    date: occurred_date
    where: event_type = 'login_failure'
  - name: login_successes
    domain: system
    hidden: true
    label_en: Login successes
    label_ko: 로그인 성공 수
    unit: count
    direction: up
    definition: Auth events of type login_success [occurred_at].
    calc: count
    model: fct_auth_events
    date: occurred_date
    where: event_type = 'login_success'
  - name: login_failure_rate
    domain: system
    label_en: Login failure rate
    label_ko: 로그인 실패율
    unit: rate
    direction: down
    definition: login_failures / (login_failures + login successes).
    calc: ratio
    numerator: [login_failures]
    denominator: [login_failures, login_successes]
  - name: suspicious_ips
    domain: system
    label_en: Suspicious IPs
    label_ko: 의심 IP 수
    unit: count
    direction: down
    definition: Distinct IPs with at least suspicious_ip_failures (var, default 20) login failures within one local day; at coarser grains, distinct IPs flagged on any day of the period.
    calc: count_distinct
    model: fct_suspicious_ip_days
    date: occurred_date
    value: ip_hash
{% endset %}
{{ return(yaml_text) }}
{%- endmacro %}


{#- The catalog as data:
    {'domains': [...], 'dimensions': {...}, 'facts': {...}, 'metrics': [...]}. -#}
{% macro metric_catalog() -%}
    {{ return(fromyaml(metric_catalog_yaml())) }}
{%- endmacro %}
