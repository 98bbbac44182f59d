"""Customers: sign-ups, status changes, logins and NPS responses.

Sign-ups follow the traffic curve with a launch boost in the first weeks. Status
changes (upgrade to paid member, suspension, withdrawal) each make a new version;
withdrawals come after a customer's last activity so nobody shops after leaving.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from marketmetrics.contract import ENUMS
from marketmetrics.generator.config import GeneratorConfig
from marketmetrics.generator.frame import (
    INT_NULL,
    Cat,
    int_text,
    join,
    lognormal,
    pick_before,
    pick_text,
    to_table,
    versions,
    weighted_codes,
)
from marketmetrics.generator.timeline import DAY, HOUR, Timeline

SURNAMES = (
    "김",
    "이",
    "박",
    "최",
    "정",
    "강",
    "조",
    "윤",
    "장",
    "임",
    "한",
    "오",
    "서",
    "신",
    "권",
)
SURNAME_WEIGHTS = (21, 15, 8, 5, 4, 2.5, 2, 2, 2, 1.8, 1.5, 1.5, 1.5, 1.4, 1.3)
SYLLABLES = (
    "민",
    "서",
    "지",
    "현",
    "준",
    "우",
    "예",
    "하",
    "도",
    "윤",
    "수",
    "연",
    "은",
    "진",
    "유",
)
HANDLES = ("sky", "sun", "moon", "star", "happy", "blue", "mint", "cozy", "bori", "kimchi", "dal")
MAIL_DOMAINS = ("naver.com", "gmail.com", "daum.net", "kakao.com", "hanmail.net", "nate.com")
KR_FIRST_OCTETS = (1, 14, 27, 39, 49, 58, 59, 61, 106, 110, 112, 115, 118, 121, 175, 182, 211, 220)
ATTACK_PREFIXES = ("185.220", "45.155", "103.75", "91.240", "194.26")

PROMOTER_COMMENTS = ("배송이 빨라요", "상품이 설명과 같아요", "또 구매할게요", "Great service",
                     "포장이 꼼꼼해요", "Fast delivery!")  # fmt: skip
PASSIVE_COMMENTS = ("무난해요", "보통이에요", "OK", "가격이 조금 비싸요")
DETRACTOR_COMMENTS = ("배송이 너무 늦어요", "상품이 파손되어 왔어요", "고객센터 연결이 어려워요",
                      "Refund took too long", "사진과 달라요")  # fmt: skip
SCORE_WEIGHTS = (1.5, 0.8, 1, 1.2, 1.5, 3, 5, 10, 18, 24, 34)  # 0..10: skewed high


def signups(rng: np.random.Generator, cfg: GeneratorConfig, tl: Timeline) -> np.ndarray:
    """Sign-up instants, ascending: customer_id = index + 1."""
    n = max(20, round(cfg.orders * cfg.customers_per_order))
    launch_boost = 1 + 4 * np.exp(-np.arange(tl.days) / 7)
    at = tl.sample(rng, n, day_boost=launch_boost)
    at.sort()
    return at


def customers_table(
    rng: np.random.Generator, tl: Timeline, signed_up: np.ndarray, last_active: np.ndarray
) -> pa.Table:
    """All customer versions. last_active: each customer's last session or order (NaN)."""
    n = len(signed_up)
    upgraded = np.where(rng.random(n) < 0.18, signed_up + rng.exponential(20 * DAY, n), np.nan)
    u = rng.random(n)
    busy_until = np.fmax(np.fmax(signed_up, last_active), upgraded)
    withdrawn = np.where(u < 0.04, busy_until + rng.uniform(1, 30, n) * DAY, np.nan)
    suspended = np.where(
        (u >= 0.04) & (u < 0.05), busy_until + rng.uniform(0.1, 10, n) * DAY, np.nan
    )
    profile = np.where(rng.random(n) < 0.12, signed_up + rng.uniform(1, 60, n) * DAY, np.nan)
    status = ENUMS[("customers", "status")]
    v = versions(
        [
            (signed_up, status.index("regular")),
            (upgraded, status.index("paid_member")),
            (withdrawn, status.index("withdrawn")),
            (suspended, status.index("suspended")),
            (profile, None),
        ],
        tl.end,
    )
    ids = np.arange(1, n + 1)
    names = join(
        Cat(weighted_codes(rng, n, SURNAME_WEIGHTS), SURNAMES).to_arrow(),
        pick_text(rng, SYLLABLES, n),
        pick_text(rng, SYLLABLES, n),
    )
    emails = join(pick_text(rng, HANDLES, n), int_text(ids), "@", pick_text(rng, MAIL_DOMAINS, n))
    phones = join(
        "010-",
        int_text(rng.integers(0, 10_000, n), 4),
        "-",
        int_text(rng.integers(0, 10_000, n), 4),
    )
    take = pa.array(v.idx)
    return to_table(
        "customers",
        {
            "customer_id": ids[v.idx],
            "email": emails.take(take),
            "phone": phones.take(take),
            "name": names.take(take),
            "status": Cat(v.status, status),
            "signed_up_at": signed_up[v.idx],
            "updated_at": v.at,
        },
    )


def _ips(rng: np.random.Generator, n: int) -> pa.Array:
    octets = [int_text(rng.integers(0, 256, n)) for _ in range(3)]
    first = pick_text(rng, [str(o) for o in KR_FIRST_OCTETS], n)
    return join(first, ".", octets[0], ".", octets[1], ".", octets[2])


def auth_events_table(
    rng: np.random.Generator,
    cfg: GeneratorConfig,
    tl: Timeline,
    signed_up: np.ndarray,
    session_start: np.ndarray,
    session_customer: np.ndarray,
) -> pa.Table:
    """Logins before sessions, a few failures and resets, and brute-force bursts."""
    logged_in = session_customer != INT_NULL
    s = np.flatnonzero(logged_in & (rng.random(len(session_start)) < 0.45))
    login_at = session_start[s] - rng.uniform(2, 30, len(s))
    ip = _ips(rng, len(s))
    kinds = ENUMS[("auth_events", "event_type")]
    success, failure, reset = (kinds.index(k) for k in kinds)

    parts: list[tuple[np.ndarray, np.ndarray, np.ndarray, pa.Array]] = [
        (session_customer[s], np.full(len(s), success), login_at, ip)
    ]
    # Mistyped passwords: one or two failures just before a success, from the same IP.
    for k, share in ((1, 0.07), (2, 0.02)):
        f = np.flatnonzero(rng.random(len(s)) < share)
        parts.append(
            (session_customer[s][f], np.full(len(f), failure), login_at[f] - 10 * k, ip.take(f))
        )
    r = np.flatnonzero(rng.random(len(s)) < 0.005)
    parts.append((session_customer[s][r], np.full(len(r), reset), login_at[r] - 300, ip.take(r)))
    # Unknown accounts from anonymous sessions.
    anon = np.flatnonzero(~logged_in & (rng.random(len(session_start)) < 0.01))
    parts.append(
        (
            np.full(len(anon), INT_NULL),
            np.full(len(anon), failure),
            session_start[anon] - 5,
            _ips(rng, len(anon)),
        )
    )
    # Brute force: on some days one to three IPs try >= 20 passwords within an hour or so.
    attack_days = np.flatnonzero(rng.random(tl.days) < cfg.brute_force_day_share)
    for day in attack_days:
        for _ in range(rng.integers(1, 4)):
            tries = int(rng.integers(20, 80))
            begin = tl.start + day * DAY + rng.uniform(0, DAY - 2 * HOUR)
            at = begin + np.sort(rng.uniform(0, rng.uniform(600, 5400), tries))
            target = np.where(
                rng.random(tries) < 0.4,
                pick_before(rng, signed_up, at) + 1,
                INT_NULL,
            )
            address = f"{rng.choice(ATTACK_PREFIXES)}.{rng.integers(0, 256)}.{rng.integers(1, 255)}"
            parts.append((target, np.full(tries, failure), at, pa.array([address] * tries)))

    customer = np.concatenate([p[0] for p in parts])
    event = np.concatenate([p[1] for p in parts]).astype(np.int32)
    at = np.concatenate([p[2] for p in parts])
    ips = pa.concat_arrays([p[3] for p in parts])
    keep = np.flatnonzero((at >= tl.start) & (at < tl.end))
    keep = keep[np.argsort(at[keep], kind="stable")]
    return to_table(
        "auth_events",
        {
            "event_id": np.arange(1, len(keep) + 1),
            "customer_id": customer[keep],
            "event_type": Cat(event[keep], kinds),
            "ip_address": ips.take(pa.array(keep)),
            "occurred_at": at[keep],
        },
    )


def nps_table(
    rng: np.random.Generator,
    cfg: GeneratorConfig,
    tl: Timeline,
    confirmed_at: np.ndarray,
    order_customer: np.ndarray,
) -> pa.Table:
    """Responses to the survey sent after purchase confirmation."""
    o = np.flatnonzero(
        ~np.isnan(confirmed_at) & (rng.random(len(confirmed_at)) < cfg.nps_response_rate)
    )
    at = confirmed_at[o] + lognormal(rng, 5 * HOUR, 1.0, len(o))
    keep = at < tl.end
    o, at = o[keep], at[keep]
    order = np.argsort(at, kind="stable")
    o, at = o[order], at[order]
    n = len(o)
    score = weighted_codes(rng, n, SCORE_WEIGHTS).astype(np.int64)
    pools = (DETRACTOR_COMMENTS, PASSIVE_COMMENTS, PROMOTER_COMMENTS)
    band = np.where(score >= 9, 2, np.where(score >= 7, 1, 0))
    all_comments = tuple(c for pool in pools for c in pool)
    offsets = np.cumsum([0, *(len(p) for p in pools)])
    sizes = np.array([len(p) for p in pools])
    code = offsets[band] + (rng.random(n) * sizes[band]).astype(int)
    code = np.where(rng.random(n) < 0.5, -1, code).astype(np.int32)
    return to_table(
        "nps_responses",
        {
            "response_id": np.arange(1, n + 1),
            "customer_id": order_customer[o],
            "score": score,
            "comment": Cat(code, all_comments),
            "responded_at": at,
        },
    )
