"""The raw source contract (../shared/spec/raw-contract.md) as data.

One definition of the 17 raw tables serves the generator (what to write), the loader
(the DDL on each engine) and the tests. Types are logical: each engine maps them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Kind = Literal["entity", "event"]
LogicalType = Literal["bigint", "int", "text", "timestamptz", "boolean", "numeric"]

# Logical type -> column type on each engine. `numeric(9,3)` because a bare `numeric`
# is DECIMAL(18,3) on DuckDB but unbounded on PostgreSQL.
ENGINE_TYPES: dict[str, dict[LogicalType, str]] = {
    "duckdb": {
        "bigint": "BIGINT",
        "int": "INTEGER",
        "text": "VARCHAR",
        "timestamptz": "TIMESTAMPTZ",
        "boolean": "BOOLEAN",
        "numeric": "DECIMAL(9,3)",
    },
    "postgres": {
        "bigint": "bigint",
        "int": "integer",
        "text": "text",
        "timestamptz": "timestamptz",
        "boolean": "boolean",
        "numeric": "numeric(9,3)",
    },
}


@dataclass(frozen=True)
class Table:
    name: str
    kind: Kind
    key: str
    domain: str
    columns: dict[str, LogicalType] = field(default_factory=dict)

    @property
    def all_columns(self) -> dict[str, LogicalType]:
        """Business columns plus the replicator's columns, in load order."""
        cols = dict(self.columns)
        if self.kind == "entity":
            cols["_is_deleted"] = "boolean"
        cols["_synced_at"] = "timestamptz"
        return cols


def _t(table: str, kind: Kind, key: str, domain: str, **columns: LogicalType) -> Table:
    return Table(name=table, kind=kind, key=key, domain=domain, columns=dict(columns))


TABLES: dict[str, Table] = {
    t.name: t
    for t in [
        # customer domain
        _t(
            "customers",
            "entity",
            "customer_id",
            "customers",
            customer_id="bigint",
            email="text",
            phone="text",
            name="text",
            status="text",
            signed_up_at="timestamptz",
            updated_at="timestamptz",
        ),
        _t(
            "nps_responses",
            "event",
            "response_id",
            "customers",
            response_id="bigint",
            customer_id="bigint",
            score="int",
            comment="text",
            responded_at="timestamptz",
        ),
        _t(
            "auth_events",
            "event",
            "event_id",
            "customers",
            event_id="bigint",
            customer_id="bigint",
            event_type="text",
            ip_address="text",
            occurred_at="timestamptz",
        ),
        # seller and catalog domain
        _t(
            "sellers",
            "entity",
            "seller_id",
            "sellers",
            seller_id="bigint",
            business_name="text",
            email="text",
            status="text",
            requested_at="timestamptz",
            joined_at="timestamptz",
            updated_at="timestamptz",
        ),
        _t(
            "categories",
            "entity",
            "category_id",
            "sellers",
            category_id="bigint",
            parent_category_id="bigint",
            name="text",
            updated_at="timestamptz",
        ),
        _t(
            "products",
            "entity",
            "product_id",
            "sellers",
            product_id="bigint",
            seller_id="bigint",
            category_id="bigint",
            name="text",
            list_price="bigint",
            status="text",
            registered_at="timestamptz",
            updated_at="timestamptz",
        ),
        # order domain
        _t(
            "orders",
            "entity",
            "order_id",
            "orders",
            order_id="bigint",
            customer_id="bigint",
            session_id="text",
            status="text",
            ordered_at="timestamptz",
            paid_at="timestamptz",
            cancelled_at="timestamptz",
            confirmed_at="timestamptz",
            updated_at="timestamptz",
        ),
        _t(
            "order_items",
            "entity",
            "order_item_id",
            "orders",
            order_item_id="bigint",
            order_id="bigint",
            product_id="bigint",
            seller_id="bigint",
            quantity="int",
            unit_price="bigint",
            discount_amount="bigint",
            updated_at="timestamptz",
        ),
        # payment domain
        _t(
            "payments",
            "entity",
            "payment_id",
            "payments",
            payment_id="bigint",
            order_id="bigint",
            method="text",
            pg_provider="text",
            amount="bigint",
            status="text",
            failure_code="text",
            requested_at="timestamptz",
            completed_at="timestamptz",
            updated_at="timestamptz",
        ),
        _t(
            "refunds",
            "entity",
            "refund_id",
            "payments",
            refund_id="bigint",
            payment_id="bigint",
            amount="bigint",
            reason="text",
            status="text",
            requested_at="timestamptz",
            completed_at="timestamptz",
            updated_at="timestamptz",
        ),
        # logistics domain
        _t(
            "shipments",
            "entity",
            "shipment_id",
            "logistics",
            shipment_id="bigint",
            order_id="bigint",
            carrier="text",
            status="text",
            created_at="timestamptz",
            updated_at="timestamptz",
        ),
        _t(
            "shipment_events",
            "event",
            "event_id",
            "logistics",
            event_id="bigint",
            shipment_id="bigint",
            status="text",
            occurred_at="timestamptz",
        ),
        _t(
            "returns",
            "entity",
            "return_id",
            "logistics",
            return_id="bigint",
            order_item_id="bigint",
            quantity="int",
            reason="text",
            status="text",
            requested_at="timestamptz",
            completed_at="timestamptz",
            updated_at="timestamptz",
        ),
        # behaviour and search
        _t(
            "web_events",
            "event",
            "event_id",
            "behaviour",
            event_id="bigint",
            session_id="text",
            customer_id="bigint",
            event_type="text",
            product_id="bigint",
            channel="text",
            device="text",
            occurred_at="timestamptz",
        ),
        _t(
            "search_logs",
            "event",
            "search_id",
            "behaviour",
            search_id="bigint",
            session_id="text",
            customer_id="bigint",
            query="text",
            result_count="int",
            clicked_product_id="bigint",
            searched_at="timestamptz",
        ),
        # system
        _t(
            "api_request_logs",
            "event",
            "request_id",
            "system",
            request_id="bigint",
            service="text",
            endpoint="text",
            http_method="text",
            status_code="int",
            latency_ms="int",
            upstream_provider="text",
            requested_at="timestamptz",
        ),
        _t(
            "host_metrics",
            "event",
            "sample_id",
            "system",
            sample_id="bigint",
            host="text",
            service="text",
            cpu_utilization_pct="numeric",
            memory_utilization_pct="numeric",
            sampled_at="timestamptz",
        ),
    ]
}

# Enumerations of the contract. The staging models validate against the same lists
# (macros/contract/raw_enums.sql); tests/python/test_contract.py keeps the two equal.
ENUMS: dict[tuple[str, str], tuple[str, ...]] = {
    ("customers", "status"): ("regular", "paid_member", "withdrawn", "suspended"),
    ("auth_events", "event_type"): ("login_success", "login_failure", "password_reset"),
    ("sellers", "status"): ("join_requested", "joined", "suspended"),
    ("products", "status"): ("registered", "in_review", "displayed", "rejected", "hidden"),
    ("orders", "status"): ("created", "paid", "cancelled", "confirmed"),
    ("payments", "method"): (
        "card",
        "bank_transfer",
        "virtual_account",
        "mobile",
        "kakaopay",
        "naverpay",
        "tosspay",
        "points",
    ),
    ("payments", "status"): ("requested", "approved", "failed", "cancelled"),
    ("refunds", "reason"): ("order_cancelled", "return", "other"),
    ("refunds", "status"): ("requested", "completed", "failed"),
    ("shipment_events", "status"): ("inbound", "outbound", "in_delivery", "delivered", "returned"),
    # The contract gives no list for a shipment's current status: it is its latest event's.
    ("shipments", "status"): ("inbound", "outbound", "in_delivery", "delivered", "returned"),
    ("returns", "reason"): ("changed_mind", "defective", "wrong_item", "damaged", "other"),
    ("returns", "status"): ("requested", "collected", "completed", "rejected"),
    ("web_events", "event_type"): (
        "page_view",
        "product_view",
        "product_click",
        "add_to_cart",
        "checkout_start",
    ),
    ("web_events", "channel"): (
        "direct",
        "organic_search",
        "paid_search",
        "social",
        "email",
        "affiliate",
    ),
    ("web_events", "device"): ("web", "ios", "android"),
    ("api_request_logs", "service"): (
        "order",
        "payment",
        "seller",
        "catalog",
        "search",
        "logistics",
        "customer",
    ),
    ("host_metrics", "service"): (
        "order",
        "payment",
        "seller",
        "catalog",
        "search",
        "logistics",
        "customer",
    ),
}
