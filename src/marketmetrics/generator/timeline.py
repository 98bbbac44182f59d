"""When things happen: the period, the Korean traffic curve and the incident window.

Traffic is a product of a day weight (growth x weekday x seasonality x holidays) and
an hour-of-day weight in Korean local time; instants are drawn from that density and
kept as UTC epoch seconds, which is what the source systems store.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone

import numpy as np

from marketmetrics.generator.config import GeneratorConfig

KST = timezone(timedelta(hours=9), "Asia/Seoul")
DAY = 86_400.0
HOUR = 3_600.0

# Share of a day's traffic per local hour: night trough, lunch and evening peaks.
HOUR_WEIGHTS = np.array(
    [0.9, 0.55, 0.35, 0.25, 0.2, 0.25, 0.4, 0.7, 1.0, 1.2, 1.35, 1.5,
     1.75, 1.6, 1.4, 1.35, 1.35, 1.4, 1.5, 1.7, 1.95, 2.1, 2.0, 1.5]
)  # fmt: skip
# Monday .. Sunday: Sunday evening and Monday are Korean e-commerce's busiest.
WEEKDAY_WEIGHTS = np.array([1.06, 1.0, 0.98, 0.97, 0.94, 0.9, 1.08])
# Lunar new year and Chuseok: people travel and shop less.
HOLIDAYS = {
    date(2025, 1, 28), date(2025, 1, 29), date(2025, 1, 30),
    date(2025, 10, 5), date(2025, 10, 6), date(2025, 10, 7),
    date(2026, 2, 16), date(2026, 2, 17), date(2026, 2, 18),
    date(2026, 9, 24), date(2026, 9, 25), date(2026, 9, 26),
    date(2027, 2, 6), date(2027, 2, 7), date(2027, 2, 8),
    date(2027, 9, 14), date(2027, 9, 15), date(2027, 9, 16),
}  # fmt: skip


def epoch(d: date, tz: timezone = KST) -> float:
    return datetime.combine(d, time(0), tz).timestamp()


def to_datetime(seconds: float) -> datetime:
    return datetime.fromtimestamp(seconds, UTC)


@dataclass(frozen=True)
class Timeline:
    start: float
    end: float
    days: int
    day_weights: np.ndarray
    incident_start: float
    incident_end: float

    @classmethod
    def of(cls, cfg: GeneratorConfig) -> Timeline:
        dates = [cfg.start_date + timedelta(days=i) for i in range(cfg.days)]
        d = np.arange(cfg.days)
        growth = np.exp(np.log(cfg.growth) * d / max(cfg.days - 1, 1))
        weekday = WEEKDAY_WEIGHTS[[x.weekday() for x in dates]]
        # Paydays (the 25th and the day after) and a gentle monthly wave.
        payday = np.array([1.15 if x.day in (25, 26) else 1.0 for x in dates])
        wave = 1 + 0.06 * np.sin(2 * np.pi * d / 30.4)
        holiday = np.array([0.75 if x in HOLIDAYS else 1.0 for x in dates])
        start = epoch(cfg.start_date)
        incident = epoch(cfg.incident_day)
        return cls(
            start=start,
            end=start + cfg.days * DAY,
            days=cfg.days,
            day_weights=growth * weekday * payday * wave * holiday,
            incident_start=incident,
            incident_end=incident + DAY,
        )

    def sample(
        self, rng: np.random.Generator, n: int, day_boost: np.ndarray | None = None
    ) -> np.ndarray:
        """n instants drawn from the traffic density (optionally reweighted per day)."""
        days = self.day_weights if day_boost is None else self.day_weights * day_boost
        cells = np.outer(days, HOUR_WEIGHTS).ravel()
        cell = rng.choice(len(cells), size=n, p=cells / cells.sum())
        return self.start + (cell + rng.random(n)) * HOUR

    def intensity(self, t: np.ndarray) -> np.ndarray:
        """Relative traffic at instants t (1.0 = the busiest hour of the period)."""
        offset = np.clip(t - self.start, 0, self.end - self.start - 1)
        day = (offset // DAY).astype(int)
        hour = ((offset % DAY) // HOUR).astype(int)
        level = self.day_weights[day] * HOUR_WEIGHTS[hour]
        return level / (self.day_weights.max() * HOUR_WEIGHTS.max())

    def day_index(self, t: np.ndarray) -> np.ndarray:
        """Local day of instants t, counted from the first day of the period."""
        return ((t - self.start) // DAY).astype(np.int64)

    def in_incident(self, t: np.ndarray) -> np.ndarray:
        return (t >= self.incident_start) & (t < self.incident_end)
