"""Topical and linguistic relevance learnt from the profile itself."""

from __future__ import annotations

import polars as pl

from features.build import build_features

TARGET = "https://www.acmegarden.com"


def gardening_profile() -> dict[str, list[object]]:
    """A garden shop's links: mostly on-topic blogs, one foreign casino page."""
    return {
        "source_url": [
            "https://rosetips.blog/2023/pruning-roses",
            "https://greenfingers.net/garden/compost-guide",
            "https://weekendgardener.org/roses/climbing",
            "https://kazino-bonus.xyz/ru/kazino",
            "https://smallblog.com/my-rose-garden",
        ],
        "target_url": [
            f"{TARGET}/roses/pruning-shears",
            f"{TARGET}/garden-tools",
            f"{TARGET}/roses",
            f"{TARGET}/",
            f"{TARGET}/compost",
        ],
        "source_title": [
            "How I prune my roses every spring",
            "Garden compost guide for beginners",
            "Climbing roses for a small garden",
            "Лучшие онлайн казино 2024 бонус",
            "Our little rose garden diary",
        ],
        "anchor": ["pruning shears", "garden tools", "Acme Garden", "казино", "compost"],
        "source_language": ["en", "en", "en", "ru", "en"],
        "source_country": ["GB", "GB", "US", "RU", "GB"],
    }


def test_relevant_blog_scores_high_and_foreign_casino_low() -> None:
    out = build_features(pl.LazyFrame(gardening_profile())).collect()
    score = out["rel_topic_score"].to_list()
    assert score[3] < 0.1
    assert min(score[0], score[1], score[2], score[4]) > 0.4
    assert out["rel_topic_terms"][3] == 0
    assert out["rel_topic_terms"][0] >= 2


def test_script_language_and_country_against_the_profile() -> None:
    out = build_features(pl.LazyFrame(gardening_profile())).collect()
    assert out["rel_script_mismatch"].to_list() == [False, False, False, True, False]
    assert out["rel_language_mismatch"].to_list() == [False, False, False, True, False]
    assert out["rel_country_share"].to_list() == [0.6, 0.6, 0.2, 0.2, 0.6]


def test_relevance_copes_with_urls_only() -> None:
    frame = pl.LazyFrame(
        {
            "source_url": ["https://a.com/roses-care", "https://b.com/"],
            "target_url": [f"{TARGET}/roses", f"{TARGET}/roses"],
        }
    )
    out = build_features(frame).collect()
    score = out["rel_topic_score"].to_list()
    assert score[0] > 0.5  # "roses" is the site's own word
    assert score[1] is None  # no words at all: unknown, not irrelevant
    assert out["rel_language_mismatch"].to_list() == [None, None]
    assert out["rel_script_mismatch"].to_list() == [None, None]
