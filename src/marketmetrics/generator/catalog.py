"""Sellers, the category tree and products.

Sellers apply, are approved after hours to days, and a few are suspended later.
Products go registered -> in_review -> displayed (or rejected) with delays of minutes,
then hours to days; some are hidden later and some of those displayed again, so the
"first transition into displayed" differs from the current status.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from marketmetrics.contract import ENUMS
from marketmetrics.generator.config import GeneratorConfig
from marketmetrics.generator.frame import (
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

# (top-level name, share of products, median list price in won, leaves, Korean nouns)
TOP_CATEGORIES: tuple[tuple[str, float, int, tuple[str, ...], tuple[str, ...]], ...] = (
    ("fashion", 0.22, 39_000,
     ("womens_clothing", "mens_clothing", "shoes", "bags", "accessories"),
     ("린넨 셔츠", "와이드 슬랙스", "니트 가디건", "데님 자켓", "운동화", "크로스백")),
    ("beauty", 0.14, 25_000,
     ("skincare", "makeup", "hair_care", "fragrance"),
     ("수분 크림", "선크림", "쿠션 팩트", "립스틱", "샴푸", "향수")),
    ("food", 0.18, 18_000,
     ("fresh_food", "processed_food", "beverages", "health_supplements", "snacks"),
     ("한우 세트", "제주 감귤", "즉석밥", "생수", "비타민", "견과류")),
    ("digital", 0.12, 180_000,
     ("mobile_phones", "laptops", "audio", "cameras"),
     ("스마트폰", "노트북", "블루투스 이어폰", "미러리스 카메라", "태블릿")),
    ("home", 0.12, 45_000,
     ("furniture", "kitchen", "bedding", "storage"),
     ("원목 식탁", "프라이팬", "극세사 이불", "수납장", "에어프라이어")),
    ("sports", 0.09, 55_000,
     ("outdoor", "fitness", "golf"),
     ("캠핑 의자", "요가 매트", "덤벨", "골프공", "등산화")),
    ("kids", 0.07, 30_000,
     ("toys", "baby_care", "kids_clothing"),
     ("블록 장난감", "기저귀", "유아 내복", "아기 물티슈")),
    ("books", 0.06, 16_000,
     ("novels", "self_help", "comics", "textbooks"),
     ("장편 소설", "에세이", "웹툰 단행본", "수험서")),
)  # fmt: skip
# One leaf is renamed mid-period, so categories have more than one version.
RENAMED_LEAF = ("mobile_phones", "smartphones")
BRANDS = ("프리미엄", "데일리", "베이직", "시그니처", "오리지널", "에코", "스탠다드", "모던")
SHOP_PREFIX = ("행복", "하늘", "바른", "푸른", "제일", "한빛", "미소", "새봄", "다온", "온누리")
SHOP_SUFFIX = ("상회", "마켓", "스토어", "몰", "유통", "상사", "컴퍼니", "샵")
MAIL_DOMAINS = ("naver.com", "gmail.com", "daum.net", "kakao.com", "hanmail.net")


@dataclass(frozen=True)
class Catalog:
    leaf_ids: np.ndarray
    leaf_top: np.ndarray  # index into TOP_CATEGORIES
    seller_joined_at: np.ndarray  # NaN = never joined
    product_seller: np.ndarray  # seller_id
    product_price: np.ndarray
    displayed_order: np.ndarray  # product indices by first display, displayed ones only
    displayed_at: np.ndarray  # their first display instants, ascending
    tables: dict[str, pa.Table]

    def pick_products(self, rng: np.random.Generator, at: np.ndarray) -> np.ndarray:
        """Product indices (id - 1) on display by `at`, favouring the longest displayed."""
        return self.displayed_order[pick_before(rng, self.displayed_at, at, skew=1.6)]


def _categories(tl: Timeline) -> tuple[pa.Table, np.ndarray, np.ndarray]:
    ids: list[int] = []
    parents: list[int | None] = []
    names: list[str] = []
    top_of_leaf: list[int] = []
    leaf_ids: list[int] = []
    for i, (name, *_rest) in enumerate(TOP_CATEGORIES):
        ids.append(i + 1)
        parents.append(None)
        names.append(name)
    next_id = len(TOP_CATEGORIES) + 1
    for i, (_, _, _, leaves, _) in enumerate(TOP_CATEGORIES):
        for leaf in leaves:
            ids.append(next_id)
            parents.append(i + 1)
            names.append(leaf)
            top_of_leaf.append(i)
            leaf_ids.append(next_id)
            next_id += 1
    updated = [tl.start] * len(ids)
    renamed = names.index(RENAMED_LEAF[0])
    ids.append(ids[renamed])
    parents.append(parents[renamed])
    names.append(RENAMED_LEAF[1])
    updated.append(tl.start + (tl.end - tl.start) * 0.4)
    table = to_table(
        "categories",
        {
            "category_id": np.array(ids),
            "parent_category_id": pa.array(parents, pa.int64()),
            "name": pa.array(names),
            "updated_at": np.array(updated),
        },
    )
    return table, np.array(leaf_ids), np.array(top_of_leaf)


def _sellers(
    rng: np.random.Generator, cfg: GeneratorConfig, tl: Timeline
) -> tuple[pa.Table, np.ndarray]:
    n = max(20, round(cfg.orders * cfg.sellers_per_order))
    launch = n * 3 // 10
    requested = np.concatenate(
        [tl.start + rng.uniform(0, 6 * HOUR, launch), tl.sample(rng, n - launch)]
    )
    requested.sort()
    delay = np.where(
        np.arange(n) < launch, lognormal(rng, 2 * HOUR, 0.5, n), lognormal(rng, 20 * HOUR, 0.8, n)
    )
    joins = rng.random(n) < 0.9
    joined = np.where(joins, requested + delay, np.nan)
    suspended = np.where(rng.random(n) < 0.06, joined + rng.uniform(7, 90, n) * DAY, np.nan)
    status = ENUMS[("sellers", "status")]
    v = versions(
        [
            (requested, status.index("join_requested")),
            (joined, status.index("joined")),
            (suspended, status.index("suspended")),
        ],
        tl.end,
    )
    ids = np.arange(1, n + 1)
    names = join(
        pick_text(rng, SHOP_PREFIX, n), pick_text(rng, SHOP_SUFFIX, n), " ", int_text(ids, 3)
    )
    emails = join("shop", int_text(ids, 4), "@", pick_text(rng, MAIL_DOMAINS, n))
    table = to_table(
        "sellers",
        {
            "seller_id": ids[v.idx],
            "business_name": names.take(pa.array(v.idx)),
            "email": emails.take(pa.array(v.idx)),
            "status": Cat(v.status, status),
            "requested_at": requested[v.idx],
            "joined_at": v.shown(joined),
            "updated_at": v.at,
        },
    )
    return table, joined


def generate_catalog(rng: np.random.Generator, cfg: GeneratorConfig, tl: Timeline) -> Catalog:
    categories, leaf_ids, leaf_top = _categories(tl)
    sellers, joined = _sellers(rng, cfg, tl)

    n_sellers = len(joined)
    n = max(50, round(n_sellers * cfg.products_per_seller))
    launch = n * 35 // 100
    registered = np.concatenate(
        [tl.start + 1 * HOUR + rng.uniform(0, 2 * DAY, launch), tl.sample(rng, n - launch)]
    )
    registered.sort()
    # A product belongs to a seller who had joined when it was registered.
    join_order = np.argsort(joined, kind="stable")
    join_order = join_order[~np.isnan(joined[join_order])]
    seller_idx = join_order[pick_before(rng, joined[join_order], registered, skew=2.0)]

    top_share = np.array([t[1] for t in TOP_CATEGORIES])
    leaf_weight = top_share[leaf_top] / np.bincount(leaf_top)[leaf_top]
    leaf = weighted_codes(rng, n, leaf_weight * rng.uniform(0.5, 1.5, len(leaf_top)))
    top = leaf_top[leaf]
    median = np.array([t[2] for t in TOP_CATEGORIES])[top]
    price = np.maximum(1_000, np.round(lognormal(rng, 1.0, 0.7, n) * median, -3) - 100)

    in_review = registered + lognormal(rng, 15 * 60, 1.0, n) + 1
    rejected = rng.random(n) < 0.08
    decided = in_review + lognormal(rng, 8 * HOUR, 1.1, n) + 1
    displayed = np.where(rejected, np.nan, decided)
    rejected_at = np.where(rejected, decided, np.nan)
    hidden = np.where(rng.random(n) < 0.06, displayed + rng.uniform(1, 45, n) * DAY, np.nan)
    shown_again = np.where(rng.random(n) < 0.35, hidden + rng.uniform(1, 10, n) * DAY, np.nan)

    status = ENUMS[("products", "status")]
    v = versions(
        [
            (registered, status.index("registered")),
            (in_review, status.index("in_review")),
            (displayed, status.index("displayed")),
            (rejected_at, status.index("rejected")),
            (hidden, status.index("hidden")),
            (shown_again, status.index("displayed")),
        ],
        tl.end,
    )
    nouns = [noun for t in TOP_CATEGORIES for noun in t[4]]
    noun_top = np.array([i for i, t in enumerate(TOP_CATEGORIES) for _ in t[4]])
    # A noun of the product's own top-level category.
    first = np.searchsorted(noun_top, top)
    count = np.bincount(noun_top)[top]
    noun = first + (rng.random(n) * count).astype(int)
    ids = np.arange(1, n + 1)
    names = join(
        pick_text(rng, BRANDS, n), " ", Cat(noun.astype(np.int32), tuple(nouns)).to_arrow(),
        " ", int_text(rng.integers(100, 999, n)),
    )  # fmt: skip
    sellers_ids = seller_idx + 1
    products = to_table(
        "products",
        {
            "product_id": ids[v.idx],
            "seller_id": sellers_ids[v.idx],
            "category_id": leaf_ids[leaf][v.idx],
            "name": names.take(pa.array(v.idx)),
            "list_price": price.astype(np.int64)[v.idx],
            "status": Cat(v.status, status),
            "registered_at": registered[v.idx],
            "updated_at": v.at,
        },
    )
    display_order = np.argsort(displayed, kind="stable")
    display_order = display_order[~np.isnan(displayed[display_order])]
    return Catalog(
        leaf_ids=leaf_ids,
        leaf_top=leaf_top,
        seller_joined_at=joined,
        product_seller=sellers_ids,
        product_price=price.astype(np.int64),
        displayed_order=display_order,
        displayed_at=displayed[display_order],
        tables={"categories": categories, "sellers": sellers, "products": products},
    )
