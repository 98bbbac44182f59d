"""What the generator can be asked for: scale, period, shapes and replication artefacts.

Every field has a default so `GeneratorConfig()` is a small, realistic data set; the
CLI and the tests override only what they care about. Volumes are expressed per
order because orders are the one scale users think in.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, timedelta


@dataclass(frozen=True)
class ArtefactRates:
    """How dirty the replicated data is. Rates are fractions of a table's clean rows.

    A positive rate always injects at least one row per applicable table, so a small
    data set still exercises every quarantine reason; 0 injects none.
    """

    duplicate: float = 0.01
    """Re-delivered rows (entity: same key and updated_at, later _synced_at;
    event: identical row, half with the same _synced_at and half re-delivered later)."""
    late: float = 0.01
    """Rows synced long after their own time (entities: hours to days; events: days)."""
    late_entity_max_days: float = 4.0
    """The longest delay of a late entity version (from one hour)."""
    late_event_max_days: float = 6.0
    """The longest delay of a late event (from one day)."""
    tombstone: float = 0.002
    """Share of keys deleted in the source (customers, products, orders + their items)."""
    null_key: float = 0.0002
    unknown_enum: float = 0.0002
    negative_amount: float = 0.0002
    future_timestamp: float = 0.0002
    missing_required: float = 0.0002
    sync_lag_median_seconds: float = 45.0
    """Median of the normal replication lag (log-normal: seconds to minutes)."""

    @classmethod
    def none(cls) -> ArtefactRates:
        """Clean data: one row per entity version and per event, nothing bad or late."""
        return cls(
            duplicate=0.0,
            late=0.0,
            tombstone=0.0,
            null_key=0.0,
            unknown_enum=0.0,
            negative_amount=0.0,
            future_timestamp=0.0,
            missing_required=0.0,
        )


@dataclass(frozen=True)
class GeneratorConfig:
    """Scale, period and behaviour of the synthetic marketplace.

    Rows per order are roughly: 1.6 items, 1.15 payment attempts, 3.3 web sessions
    with ~3.5 web events each, 1 search per session and ~5 API request logs. That puts
    the order conversion of sessions near 25-30 %: unrealistically high for a real
    shop, but it keeps the behaviour tables within ~15 rows per order so a million
    orders stay a few minutes' and a few GB's work.
    """

    seed: int = 42
    orders: int = 20_000
    start_date: date = date(2026, 1, 1)
    """First local (Asia/Seoul) day of the period."""
    days: int = 120
    artefacts: ArtefactRates = field(default_factory=ArtefactRates)

    growth: float = 1.8
    """Traffic on the last day over traffic on the first (exponential growth)."""
    customers_per_order: float = 0.45
    sellers_per_order: float = 0.004
    products_per_seller: float = 25.0
    sessions_per_order: float = 3.3
    app_order_share: float = 0.12
    """Orders placed from the app outside any web session (orders.session_id null)."""
    anonymous_session_share: float = 0.3
    searches_per_session: float = 1.0
    api_requests_per_order: float = 3.8
    """Own-API request logs per order; outbound gateway calls (one per attempt) add ~1.1."""
    hosts: int = 10
    host_sample_minutes: int = 10
    """The contract says about one sample a minute; 10 keeps small data sets small."""

    paid_cancel_rate: float = 0.04
    return_rate: float = 0.035
    """Share of delivered order items with a return request."""
    nps_response_rate: float = 0.08
    """Share of confirmed orders followed by an NPS response."""
    brute_force_day_share: float = 0.1
    """Share of days on which one to three IPs brute-force logins (>= 20 failures)."""

    incident_date: date | None = None
    """Local day of the payment-gateway outage; None = the middle of the period."""
    incident_gateway: str = "kcp"
    incident_failure_rate: float = 0.4
    incident_latency_factor: float = 6.0

    def __post_init__(self) -> None:
        if self.orders < 1 or self.days < 1:
            raise ValueError("orders and days must be positive")
        if self.host_sample_minutes < 1 or self.hosts < 1:
            raise ValueError("hosts and host_sample_minutes must be positive")

    @property
    def incident_day(self) -> date:
        return self.incident_date or self.start_date + timedelta(days=self.days // 2)

    def with_artefacts(self, **rates: float) -> GeneratorConfig:
        """A copy with some artefact rates changed (handy in tests and the CLI)."""
        return replace(self, artefacts=replace(self.artefacts, **rates))
