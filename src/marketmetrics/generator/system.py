"""API request logs and host metrics.

Own-API traffic follows the site's traffic curve; the payment service also logs one
outbound call per gateway attempt (upstream_provider = the gateway), whose latency
and errors are the attempt's. On the incident day the incident gateway's calls time
out or fail with 5xx, and the payment service and its hosts feel it.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from marketmetrics.contract import ENUMS
from marketmetrics.generator.config import GeneratorConfig
from marketmetrics.generator.frame import INT_NULL, Cat, lognormal, to_table, weighted_codes
from marketmetrics.generator.payments import APPROVED, CANCELLED, METHODS, PROVIDERS, Attempts
from marketmetrics.generator.timeline import DAY, Timeline

SERVICES = ENUMS[("api_request_logs", "service")]
# (service, endpoint, http method, weight)
ENDPOINTS: tuple[tuple[str, str, str, float], ...] = (
    ("order", "/v1/orders", "GET", 6), ("order", "/v1/orders/{id}", "GET", 5),
    ("order", "/v1/orders", "POST", 3), ("order", "/v1/orders/{id}/cancel", "POST", 0.5),
    ("payment", "/v1/payments", "POST", 5), ("payment", "/v1/payments/{id}", "GET", 4),
    ("payment", "/v1/payments/{id}/refund", "POST", 0.5),
    ("seller", "/v1/sellers/{id}", "GET", 3), ("seller", "/v1/sellers/{id}/products", "POST", 2),
    ("seller", "/v1/sellers/{id}/settlements", "GET", 1),
    ("catalog", "/v1/products", "GET", 12), ("catalog", "/v1/products/{id}", "GET", 10),
    ("catalog", "/v1/categories", "GET", 3),
    ("search", "/v1/search", "GET", 16), ("search", "/v1/search/suggest", "GET", 5),
    ("logistics", "/v1/shipments/{id}", "GET", 4),
    ("logistics", "/v1/shipments/{id}/tracking", "GET", 4),
    ("customer", "/v1/auth/login", "POST", 4), ("customer", "/v1/customers/me", "GET", 8),
    ("customer", "/v1/customers/me", "PUT", 1),
)  # fmt: skip
LATENCY_MEDIAN_MS = {"order": 60, "payment": 120, "seller": 50, "catalog": 35, "search": 80,
                     "logistics": 45, "customer": 40}  # fmt: skip
CLIENT_ERRORS = np.array([400, 401, 403, 404, 409, 422])
SERVER_ERRORS = np.array([500, 502, 503, 504])
TIMEOUT_MS = 30_000
# Hosts per service, in the order hosts are added as the fleet grows.
HOST_PLAN = (
    "order", "payment", "catalog", "search", "customer", "seller", "logistics",
    "catalog", "order", "payment", "search", "customer", "logistics", "seller",
)  # fmt: skip
CPU_BASE = {"order": 18, "payment": 15, "seller": 10, "catalog": 22, "search": 28,
            "logistics": 12, "customer": 14}  # fmt: skip


def api_request_logs_table(
    rng: np.random.Generator, cfg: GeneratorConfig, tl: Timeline, attempts: Attempts
) -> pa.Table:
    n = round(cfg.orders * cfg.api_requests_per_order)
    at = tl.sample(rng, n)
    endpoint = weighted_codes(rng, n, [e[3] for e in ENDPOINTS])
    service_of = np.array([SERVICES.index(e[0]) for e in ENDPOINTS])
    service = service_of[endpoint]
    median = np.array([LATENCY_MEDIAN_MS[s] for s in SERVICES])[service]
    latency = median * np.exp(0.6 * rng.standard_normal(n))
    latency = np.where(rng.random(n) < 0.01, latency * rng.uniform(5, 30, n), latency)
    payment_trouble = (service == SERVICES.index("payment")) & tl.in_incident(at)
    latency = np.where(payment_trouble, latency * 3, latency)
    u = rng.random(n)
    p5xx = np.where(
        payment_trouble, 0.06, np.where(service == SERVICES.index("search"), 0.005, 0.002)
    )
    status = np.select(
        [u < 0.0005, u < 0.0005 + p5xx, u < 0.04 + p5xx],
        [INT_NULL, SERVER_ERRORS[rng.integers(0, 4, n)], CLIENT_ERRORS[rng.integers(0, 6, n)]],
        np.where(np.array([e[2] for e in ENDPOINTS])[endpoint] == "POST", 201, 200),
    )
    latency = np.where(status == INT_NULL, TIMEOUT_MS, np.minimum(latency, TIMEOUT_MS))

    # Outbound gateway calls: one per attempt that went to a gateway.
    g = np.flatnonzero((attempts.provider >= 0) & (attempts.requested_at < tl.end))
    m = len(g)
    va = attempts.method[g] == METHODS.index("virtual_account")
    abandoned = attempts.outcome[g] == CANCELLED
    took = (attempts.finished_at[g] - attempts.requested_at[g]) * 1000
    call_ms = np.where(va | abandoned, lognormal(rng, 300, 0.5, m), took)
    gw_fail = attempts.gateway_failure[g]
    timed_out = gw_fail & (rng.random(m) < 0.3)
    call_status = np.select(
        [timed_out, gw_fail, attempts.outcome[g] == APPROVED, abandoned],
        [INT_NULL, SERVER_ERRORS[rng.integers(0, 4, m)], 200, 200],
        422,
    )
    call_ms = np.where(timed_out, TIMEOUT_MS, np.minimum(call_ms, TIMEOUT_MS))

    endpoints = tuple(dict.fromkeys([e[1] for e in ENDPOINTS] + ["/v1/payments/approve"]))
    methods = ("GET", "POST", "PUT")
    own_endpoint = np.array([endpoints.index(e[1]) for e in ENDPOINTS])[endpoint]
    own_method = np.array([methods.index(e[2]) for e in ENDPOINTS])[endpoint]
    all_at = np.concatenate([at, attempts.requested_at[g]])
    order = np.argsort(all_at, kind="stable")
    cols = {
        "service": np.concatenate([service, np.full(m, SERVICES.index("payment"))]),
        "endpoint": np.concatenate(
            [own_endpoint, np.full(m, endpoints.index("/v1/payments/approve"))]
        ),
        "http_method": np.concatenate([own_method, np.full(m, methods.index("POST"))]),
        "status_code": np.concatenate([status, call_status]),
        "latency_ms": np.concatenate(
            [np.maximum(np.round(latency), 1), np.maximum(np.round(call_ms), 1)]
        ),
        "upstream_provider": np.concatenate([np.full(n, -1), attempts.provider[g]]),
    }
    cols = {k: v[order] for k, v in cols.items()}
    return to_table(
        "api_request_logs",
        {
            "request_id": np.arange(1, n + m + 1),
            "service": Cat(cols["service"].astype(np.int32), SERVICES),
            "endpoint": Cat(cols["endpoint"].astype(np.int32), endpoints),
            "http_method": Cat(cols["http_method"].astype(np.int32), methods),
            "status_code": cols["status_code"].astype(np.int64),
            "latency_ms": cols["latency_ms"].astype(np.int64),
            "upstream_provider": Cat(cols["upstream_provider"].astype(np.int32), PROVIDERS),
            "requested_at": all_at[order],
        },
    )


def host_metrics_table(rng: np.random.Generator, cfg: GeneratorConfig, tl: Timeline) -> pa.Table:
    """One sample per host every host_sample_minutes: CPU follows traffic, memory creeps
    up between weekly deploys; the payment hosts run hot on the incident day."""
    plan = [HOST_PLAN[i % len(HOST_PLAN)] for i in range(cfg.hosts)]
    names = [f"{svc}-api-{plan[: i + 1].count(svc):02d}" for i, svc in enumerate(plan)]
    grid = np.arange(tl.start, tl.end, cfg.host_sample_minutes * 60.0)
    h, g = len(plan), len(grid)
    host = np.tile(np.arange(h), g)
    at = np.repeat(grid, h) + rng.uniform(0, 5, h * g)
    service = np.array([SERVICES.index(s) for s in plan])[host]
    base = np.array([CPU_BASE[s] for s in plan])[host]
    cpu = base + 50 * tl.intensity(at) + rng.normal(0, 4, h * g)
    hot = (service == SERVICES.index("payment")) & tl.in_incident(at)
    cpu = np.where(hot, cpu + 30, cpu)
    since_deploy = ((at - tl.start) % (7 * DAY)) / (7 * DAY)
    memory = 40 + 3 * (host % 5) + 25 * since_deploy + rng.normal(0, 1.5, h * g)
    return to_table(
        "host_metrics",
        {
            "sample_id": np.arange(1, h * g + 1),
            "host": Cat(host.astype(np.int32), tuple(names)),
            "service": Cat(service.astype(np.int32), SERVICES),
            "cpu_utilization_pct": np.clip(cpu, 0.5, 100.0),
            "memory_utilization_pct": np.clip(memory, 1.0, 100.0),
            "sampled_at": at,
        },
    )
