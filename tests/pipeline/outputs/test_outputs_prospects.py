"""gap's policy: who is a prospect, toxic domains left out and counted, the ranking, the overlap."""

from __future__ import annotations

import polars as pl
import pytest

from pipeline.outputs.prospects import (
    PROSPECT_COLUMNS,
    Profile,
    backlink_gap,
    overlap_matrix,
    prospect_score,
)


def _profile(name: str, rows: list[tuple]) -> Profile:
    """(ref_domain, score, label, reasons, anchor, title, authority) rows."""
    frame = pl.DataFrame(
        rows,
        schema=["ref_domain", "toxicity_score", "label", "reasons", "anchor", "source_title",
                "domain_authority"],
        orient="row",
    )  # fmt: skip
    return Profile(name, frame)


MINE = _profile(
    "me.com",
    [
        ("shared.org", 5.0, "whitelist", "", "my brand", "Review", 60.0),
        ("mine-only.net", 3.0, "whitelist", "", "x", "y", 20.0),
    ],
)
RIVAL_A = _profile(
    "a.com",
    [
        ("shared.org", 4.0, "whitelist", "", "a brand", "Review", 60.0),
        ("big-news.com", 2.0, "whitelist", "", "a brand", "Best shoes 2026", 90.0),
        ("big-news.com", 8.0, "whitelist", "", "running shoes", "Shoe guide", 90.0),
        ("niche-blog.io", 6.0, "whitelist", "", "trail shoes", "My trail shoes", 25.0),
        ("farm.xyz", 97.0, "toxic", "spam TLD .xyz", "buy shoes", "links", 40.0),
        ("dir.info", 55.0, "review", "web directory", "a", "Directory", 15.0),
    ],
)
RIVAL_B = _profile(
    "b.com",
    [
        ("big-news.com", 3.0, "whitelist", "", "b brand", "Best shoes 2026", 88.0),
        ("farm.xyz", 95.0, "toxic", "spam TLD .xyz", "cheap shoes", "links", 40.0),
        ("small.blog", 1.0, "whitelist", "", "b", "Hello", None),
        ("a.com", 1.0, "whitelist", "", "rival", "", 70.0),  # a competitor's own site
    ],
)


def test_prospects_link_to_competitors_and_not_to_me() -> None:
    gap = backlink_gap(MINE, [RIVAL_A, RIVAL_B], exclude=("me.com", "a.com", "b.com"))
    assert gap.prospects.columns == list(PROSPECT_COLUMNS)
    domains = gap.prospects.get_column("ref_domain").to_list()
    assert "shared.org" not in domains and "mine-only.net" not in domains
    assert "a.com" not in domains  # the profiles' own sites are never prospects
    assert set(domains) == {"big-news.com", "niche-blog.io", "small.blog"}


def test_toxic_and_review_domains_are_left_out_and_counted_unless_asked_for() -> None:
    gap = backlink_gap(MINE, [RIVAL_A, RIVAL_B])
    domains = gap.prospects.get_column("ref_domain").to_list()
    assert "farm.xyz" not in domains and "dir.info" not in domains
    assert (gap.toxic_left_out, gap.review_left_out) == (1, 1)
    kept = backlink_gap(MINE, [RIVAL_A, RIVAL_B], include_toxic=True)
    farm = kept.prospects.filter(pl.col("ref_domain") == "farm.xyz").row(0, named=True)
    assert farm["domain_label"] == "toxic" and farm["top_reasons"] == "spam TLD .xyz"
    assert farm["competitors"] == 2 and kept.toxic_left_out == 0
    assert "dir.info" not in kept.prospects.get_column("ref_domain").to_list()
    both = backlink_gap(MINE, [RIVAL_A, RIVAL_B], include_toxic=True, include_review=True)
    review = both.prospects.filter(pl.col("ref_domain") == "dir.info").row(0, named=True)
    assert review["domain_label"] == "review" and review["top_reasons"] == "web directory"
    assert (both.toxic_left_out, both.review_left_out) == (0, 0)


def test_min_competitors_filters_and_the_ranking_follows_the_documented_score() -> None:
    gap = backlink_gap(MINE, [RIVAL_A, RIVAL_B], min_competitors=2)
    assert gap.prospects.get_column("ref_domain").to_list() == ["big-news.com"]
    row = gap.prospects.row(0, named=True)
    assert row["linked_to"] == "a.com; b.com" and row["links"] == 3
    assert row["authority"] == 90.0 and row["worst_score"] == 8.0
    # 100 x (0.5 x 2/2 + 0.35 x 90/100 + 0.15 x (1 - 8/100))
    assert row["prospect_score"] == pytest.approx(100 * (0.5 + 0.35 * 0.9 + 0.15 * 0.92), abs=0.05)
    assert row["best_anchors"].split(" | ")[0] == "a brand"  # most frequent first
    assert "Best shoes 2026" in row["page_titles"]

    everyone = backlink_gap(MINE, [RIVAL_A, RIVAL_B]).prospects
    scores = everyone.get_column("prospect_score").to_list()
    assert scores == sorted(scores, reverse=True)
    assert everyone.get_column("ref_domain").to_list()[0] == "big-news.com"
    small = everyone.filter(pl.col("ref_domain") == "small.blog").row(0, named=True)
    assert small["authority"] is None  # missing authority counts as 0 in the score
    assert small["prospect_score"] == pytest.approx(100 * (0.25 + 0.15 * 0.99), abs=0.05)


def test_prospect_score_rewards_coverage_then_authority() -> None:
    frame = pl.DataFrame({"c": [1, 2, 2], "a": [90.0, 10.0, 50.0], "w": [0.0, 0.0, 0.0]})
    scores = frame.select(prospect_score(pl.col("c"), 2, pl.col("a"), pl.col("w"))).to_series()
    assert scores.to_list()[2] > scores.to_list()[1]
    assert scores.is_between(0, 100).all()


def test_overlap_matrix_counts_shared_domains() -> None:
    matrix = overlap_matrix([MINE, RIVAL_A, RIVAL_B])
    assert matrix.columns == ["profile", "me.com", "a.com", "b.com"]
    rows = {row[0]: row[1:] for row in matrix.iter_rows()}
    assert rows["me.com"] == (2, 1, 0)  # shared.org with a.com
    assert rows["a.com"] == (1, 5, 2)  # big-news.com and farm.xyz with b.com
    assert rows["b.com"] == (0, 2, 4)


def test_bad_arguments_are_refused() -> None:
    with pytest.raises(ValueError, match="1 to 5 competitors"):
        backlink_gap(MINE, [RIVAL_A] * 6)
    with pytest.raises(ValueError, match="between 1 and 2"):
        backlink_gap(MINE, [RIVAL_A, RIVAL_B], min_competitors=3)


def _hosted(name: str, users: list[str]) -> Profile:
    """Links from user sites on freehostz.net, a hosting platform no list knows."""
    profile = _profile(
        name,
        [("freehostz.net", 5.0, "whitelist", "", "hi", "Home", 30.0) for _ in users],
    )
    hosts = pl.Series("source_host", [f"{u}.freehostz.net" for u in users])
    return Profile(name, profile.links.with_columns(hosts))


def test_prospects_are_the_rollups_sites_with_platforms_decided_on_every_profile() -> None:
    # I have one user site of freehostz.net; a competitor has five, which makes it a platform:
    # its user sites are prospects, except the one that links to me already.
    mine = _hosted("me.com", ["anna"])
    rival = _hosted("a.com", ["anna", "bob", "carl", "dora", "emil"])
    gap = backlink_gap(mine, [rival])
    assert sorted(gap.prospects.get_column("ref_domain")) == [
        "bob.freehostz.net", "carl.freehostz.net", "dora.freehostz.net", "emil.freehostz.net",
    ]  # fmt: skip
    assert overlap_matrix([mine, rival]).row(0) == ("me.com", 1, 1)
