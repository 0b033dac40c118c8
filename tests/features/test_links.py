"""Per-link features: rel flags, link type, position hints, density, age and bursts."""

from __future__ import annotations

from datetime import date, timedelta

import polars as pl

from features.build import FeatureParams, build_features

TARGET = "https://shop.example/"


def build(params: FeatureParams = FeatureParams(), **columns: list[object]) -> pl.DataFrame:
    n = len(next(iter(columns.values())))
    columns.setdefault("source_url", [f"https://s{i}.org/p" for i in range(n)])
    columns.setdefault("target_url", [TARGET] * n)
    return build_features(pl.LazyFrame(columns, strict=False), params).collect()


def test_rel_flags_and_link_type_one_hot() -> None:
    out = build(
        nofollow=[True, False, None],
        sponsored=[False, True, None],
        link_type=["text", "Image", None],
    )
    assert out["link_nofollow"].to_list() == [True, False, None]
    assert out["link_sponsored"].to_list() == [False, True, None]
    assert out["link_type_text"].to_list() == [True, False, None]
    assert out["link_type_image"].to_list() == [False, True, None]
    assert out["link_type_frame"].to_list() == [False, False, None]


def test_position_hints_from_context() -> None:
    out = build(
        left_context=["© 2024 Acme. All rights reserved.", "John says:", "Blogroll", None, "Great"],
        right_context=[None, "Reply", None, None, "-- check out my site"],
    )
    assert out["link_footer"].to_list() == [True, False, False, None, False]
    assert out["link_comment"].to_list() == [False, True, False, None, False]
    assert out["link_sidebar"].to_list() == [False, False, True, None, False]
    assert out["link_signature"].to_list() == [False, False, False, None, True]


def test_outbound_density() -> None:
    out = build(external_links=[90, 0, None], internal_links=[10, 0, 5])
    assert out["page_external_links"].to_list() == [90, 0, None]
    assert out["page_external_ratio"].to_list() == [0.9, None, None]


def test_age_is_relative_to_the_profile_not_the_clock() -> None:
    out = build(
        source_url=["https://a.org/", "https://b.org/", "https://c.org/"],
        target_url=[TARGET, TARGET, "https://other.example/"],
        first_seen=[date(2020, 1, 1), date(2020, 1, 31), date(2010, 1, 1)],
        last_seen=[date(2020, 3, 1), date(2020, 2, 1), date(2010, 1, 11)],
    )
    # Profile shop.example ends 2020-03-01; other.example ends 2010-01-11.
    assert out["link_age_days"].to_list() == [60, 30, 10]
    assert out["link_seen_days"].to_list() == [60, 1, 10]
    assert out["link_unseen_days"].to_list() == [0, 29, 0]


def test_first_seen_burst_counts_the_densest_window_around_the_link() -> None:
    start = date(2023, 1, 1)
    days = [0, 1, 2, 2, 3, 40, None]  # a burst of five, a lone link, an undated one
    seen = [None if d is None else start + timedelta(days=d) for d in days]
    out = build(first_seen=seen)
    assert out["link_burst_links"].to_list() == [5, 5, 5, 5, 5, 1, None]
    ratio = out["link_burst_ratio"].to_list()
    assert ratio[0] > ratio[5] > 0
    narrow = build(FeatureParams(burst_window_days=1), first_seen=seen)
    assert narrow["link_burst_links"].to_list() == [1, 1, 2, 2, 1, 1, None]


def test_source_page_kinds_and_target_depth() -> None:
    out = build(
        source_url=[
            "https://a.org/links/partners.html",
            "https://b.org/write-for-us",
            "https://c.org/forum/viewtopic.php?t=1",
            "https://d.org/2023/05/roses",
        ],
        target_url=[TARGET, TARGET + "shoes/red", TARGET, TARGET],
        source_title=["Partner links", "Write for us", "Forum", "Best casino bonus"],
    )
    assert out["page_directory"].to_list() == [True, False, False, False]
    assert out["page_guest_post"].to_list() == [False, True, False, False]
    assert out["page_forum"].to_list() == [False, False, True, False]
    assert out["page_title_spam"].to_list() == [False, False, False, True]
    assert out["tgt_path_depth"].to_list() == [0, 2, 0, 0]
