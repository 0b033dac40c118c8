"""Referring-domain aggregates and domain-name signals."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from features.build import build_features

TARGET = "https://www.acmegarden.com/roses"


def build(**columns: list[object]) -> pl.DataFrame:
    n = len(next(iter(columns.values())))
    columns.setdefault("target_url", [TARGET] * n)
    return build_features(pl.LazyFrame(columns, strict=False)).collect()


def test_domain_aggregates() -> None:
    out = build(
        source_url=[
            "https://a.com/1",
            "https://www.a.com/2",
            "https://blog.a.com/2",
            "https://b.com/x",
        ],
        anchor=["buy cheap roses", "buy cheap roses", "Acme Garden", "Acme Garden"],
        sitewide=[True, True, False, None],
        nofollow=[False, True, False, False],
        first_seen=[date(2023, 1, 1), date(2023, 1, 2), date(2023, 6, 1), None],
    )
    a = out.row(0, named=True)
    assert out["ref_domain"].to_list() == ["a.com", "a.com", "a.com", "b.com"]
    assert a["dom_links"] == 3
    assert a["dom_pages"] == 3
    assert a["dom_subdomains"] == 3
    assert a["dom_sitewide_share"] == pytest.approx(2 / 3)
    assert a["dom_dofollow_share"] == pytest.approx(2 / 3)
    assert a["dom_money_anchor_share"] == pytest.approx(2 / 3)
    assert a["dom_distinct_anchors"] == 2
    assert a["dom_anchor_entropy"] == pytest.approx(0.918295834, abs=1e-8)
    assert a["dom_burst_links"] == 2
    assert a["dom_burst_share"] == pytest.approx(2 / 3)
    b = out.row(3, named=True)
    assert b["dom_anchor_entropy"] == 0.0
    assert b["dom_sitewide_share"] is None
    assert b["dom_burst_links"] is None


def test_domain_name_lexical_signals() -> None:
    out = build(
        source_url=[
            "https://bestgardentools.com/",
            "https://xkq7zt-vbn9.xyz/",
            "https://cheap-viagra-pills4u.info/",
            "https://online-casino-bonus.top/",
            "https://myblog.blogspot.com/",
        ]
    )
    rows = out.rows(named=True)
    assert rows[0]["dom_name_dict_share"] == 1.0
    assert rows[1]["dom_name_dict_share"] < 0.5
    assert rows[1]["dom_name_digits"] == 2
    assert rows[1]["dom_name_hyphens"] == 1
    assert rows[1]["dom_name_vowel_ratio"] < rows[0]["dom_name_vowel_ratio"]
    assert out["dom_name_spam_pharma"].to_list() == [False, False, True, False, False]
    assert out["dom_name_spam_gambling"].to_list() == [False, False, False, True, False]
    assert out["dom_tld_spam"].to_list() == [False, True, True, True, False]
    assert out["dom_free_host"].to_list() == [False, False, False, False, True]
    assert rows[4]["dom_name_length"] == len("myblog")


def test_authority_without_traffic_is_the_pbn_fingerprint() -> None:
    out = build(
        source_url=["https://pbn.com/", "https://news.com/", "https://small.com/"],
        domain_authority=[60.0, 60.0, None],
        domain_traffic=[0.0, 50_000.0, 10.0],
    )
    gap = out["dom_traffic_gap"].to_list()
    assert gap[0] < -3 < 0 < gap[1]
    assert gap[2] is None
    assert out["dom_log_traffic"].to_list()[0] == 0.0
    assert out["src_domain_authority"].to_list() == [60.0, 60.0, None]


def _burst_per_domain(links: pl.LazyFrame, window_days: int) -> pl.DataFrame:
    """The burst table as a rolling sum per domain (``over``): the reference for the one-pass
    rolling sum of ``_domain_burst``."""
    from features.domains import DOM_BURST_LINKS, DOM_BURST_SHARE

    keys = ["target_domain", "ref_domain"]
    return (
        links.select(*keys, pl.col("first_seen").cast(pl.Int32).alias("day"))
        .filter(pl.col("day").is_not_null())
        .group_by(*keys, "day")
        .agg(pl.len().cast(pl.Int64).alias("n"))
        .sort(*keys, "day", nulls_last=True)
        .with_columns(pl.col("n").rolling_sum_by("day", f"{window_days}i").over(keys).alias("w"))
        .group_by(keys)
        .agg(pl.col("w").max().cast(pl.Int32).alias(DOM_BURST_LINKS), pl.col("n").sum())
        .with_columns((pl.col(DOM_BURST_LINKS) / pl.col("n")).alias(DOM_BURST_SHARE))
        .drop("n")
        .sort(keys, nulls_last=True)
        .collect()
    )


@pytest.mark.parametrize("window_days", [1, 7, 30])
def test_domain_burst_equals_a_rolling_sum_per_domain(window_days: int) -> None:
    """One rolling sum over all domains (their days shifted apart) gives each domain's own."""
    import numpy as np

    from features.domains import _domain_burst

    rng = np.random.default_rng(3)
    n = 5_000
    days = rng.integers(0, 400, n) - 200  # dates before 1970 too
    links = pl.LazyFrame(
        {
            "target_domain": rng.choice(["a.com", "b.com", None], n),
            "ref_domain": rng.choice([f"d{i}.com" for i in range(300)] + [None], n),
            "first_seen": pl.Series(days).cast(pl.Date),
        }
    ).with_columns(
        pl.when(pl.lit(pl.Series(rng.random(n) < 0.05)))
        .then(None)
        .otherwise("first_seen")
        .alias("first_seen")
    )
    keys = ["target_domain", "ref_domain"]
    got = _domain_burst(links, window_days).sort(keys, nulls_last=True).collect()
    assert got.equals(_burst_per_domain(links, window_days))


def test_anchor_entropy_of_one_two_and_many_anchors() -> None:
    """One anchor: 0 bits; two or more: the entropy of the anchor counts (the short cuts for
    one and two anchors give what the sum over the anchors gives)."""
    import math

    urls = ["https://one.com/"] * 3 + ["https://two.com/"] * 3 + ["https://many.com/"] * 6
    anchors = ["x"] * 3 + ["x", "y", "y"] + ["x", "y", "y", "z", "z", "z"]
    out = build(source_url=urls, anchor=anchors)
    entropy = dict(zip(out["ref_domain"], out["dom_anchor_entropy"], strict=True))

    def bits(counts: list[int]) -> float:
        total = sum(counts)
        return round(sum(c / total * math.log2(total / c) for c in counts), 9)

    assert entropy["one.com"] == 0.0
    assert entropy["two.com"] == pytest.approx(bits([1, 2]), abs=1e-9)
    assert entropy["many.com"] == pytest.approx(bits([1, 2, 3]), abs=1e-9)


def test_the_link_table_in_parts_of_the_domains_equals_the_whole() -> None:
    """Counted in parts of the referring domains (to bound the distinct pages held at once), the
    link table has the same rows as counted whole: a domain's links are all in one part."""
    import numpy as np

    from features.domains import LINK_TABLE_PARTS, _link_table, _link_table_parts
    from features.urls import UrlParts

    src = UrlParts("src")
    rng = np.random.default_rng(5)
    n = 5_000
    domain = rng.choice([f"d{i}.com" for i in range(200)] + [None], n).tolist()
    links = pl.LazyFrame(
        {
            "target_domain": rng.choice(["a.com", "b.com"], n),
            "ref_domain": domain,
            "source_url": [
                f"https://{d}/{p}" for d, p in zip(domain, rng.integers(0, 30, n), strict=True)
            ],
            "target_url": rng.choice(["https://a.com/", "https://a.com/x", None], n).tolist(),
            src.host: [f"h{h}.{d}" for d, h in zip(domain, rng.integers(0, 3, n), strict=True)],
            "sitewide": pl.Series(rng.choice([True, False, None], n).tolist(), dtype=pl.Boolean),
            "_lt_followed": rng.choice([True, False], n),
        }
    )
    keys = ["target_domain", "ref_domain"]
    whole = _link_table(links, src).collect().sort(keys, nulls_last=True)
    parts = [part.collect() for part in _link_table_parts(links, src)]
    assert len(parts) == LINK_TABLE_PARTS and sum(p.height > 0 for p in parts) > 1
    assert pl.concat(parts).sort(keys, nulls_last=True).equals(whole)
