"""PBN signals: what a referring domain shares with the profile's OTHER referring domains."""

from __future__ import annotations

import polars as pl

from features.build import build_features

TARGET = "https://www.acmegarden.com/"


def build(**columns: list[object]) -> pl.DataFrame:
    n = len(next(iter(columns.values())))
    columns.setdefault("target_url", [TARGET] * n)
    return build_features(pl.LazyFrame(columns, strict=False)).collect()


def test_shared_ip_and_subnet_count_other_domains() -> None:
    out = build(
        source_url=[
            "https://a.com/1",
            "https://a.com/2",  # same domain: not an "other" domain
            "https://b.com/",
            "https://c.com/",
            "https://d.com/",
            "https://e.com/",
        ],
        source_ip=["10.1.2.3", "10.1.2.3", "10.1.2.3", "10.1.2.99", "172.16.0.1", None],
    )
    assert out["net_ip_domains"].to_list() == [1, 1, 1, 0, 0, None]
    assert out["net_subnet_domains"].to_list() == [2, 2, 2, 2, 0, None]


def test_ip_signals_are_null_without_ips_while_title_and_path_remain() -> None:
    out = build(
        source_url=["https://seohub7.com/best-tips-2024", "https://linkzone.net/best-tips-2023"],
        source_title=["Best SEO Tips 2024 | seohub7", "Best SEO tips 2023 - Linkzone"],
    )
    assert out["net_ip_domains"].to_list() == [None, None]
    assert out["net_title_domains"].to_list() == [1, 1]  # digits and site name masked
    assert out["net_path_domains"].to_list() == [1, 1]


def test_short_titles_and_root_paths_are_not_templates() -> None:
    out = build(
        source_url=["https://a.com/", "https://b.com/", "https://c.com/about-the-team"],
        source_title=["Home", "Home", "About us and our team"],
    )
    assert out["net_title_domains"].to_list() == [None, None, 0]
    assert out["net_path_domains"].to_list() == [None, None, 0]


def test_generic_paths_shared_by_unrelated_sites_are_not_a_footprint() -> None:
    generic = ["/links/", "/resources", "/partners.html", "/blog/page/2/", "/category/news/"]
    hosts = [f"https://site{i}.com" for i in range(len(generic))]
    out = build(
        source_url=[h + p for h in hosts for p in generic] + ["https://x.com/social/12"] * 2,
    )
    assert out["net_path_domains"].to_list()[: len(hosts) * len(generic)] == [None] * 25
    # A specific path is still a key (digits masked): here one domain, so 0 others.
    assert out["net_path_domains"].to_list()[-2:] == [0, 0]


def test_counts_stay_within_the_profile() -> None:
    out = build(
        source_url=["https://a.com/", "https://b.com/"],
        target_url=[TARGET, "https://elsewhere.org/"],
        source_ip=["10.0.0.1", "10.0.0.2"],
    )
    assert out["net_subnet_domains"].to_list() == [0, 0]
