"""The review-queue policy: uncertain first, spread over domains and reasons, deterministic."""

from __future__ import annotations

import polars as pl
import pytest

from models.queue import select_review_queue


def _scored(n_domains: int = 20, per_domain: int = 6) -> pl.DataFrame:
    """A scored frame with many domains, several links each, and scores all over the scale."""
    rows = []
    for d in range(n_domains):
        for i in range(per_domain):
            rows.append(
                {
                    "source_url": f"http://d{d}.test/p{i}",
                    "toxicity_score": float((d * 7 + i * 13) % 101),
                    "ref_domain": f"d{d}.test",
                    "reasons": f"reason {d % 4}; other",
                }
            )
    return pl.DataFrame(rows)


def test_size_respected_and_columns_kept() -> None:
    scored = _scored()
    queue = select_review_queue(scored, 10, seed=1)
    assert queue.height == 10
    assert queue.columns == scored.columns


def test_size_larger_than_candidates_returns_all_eligible() -> None:
    scored = pl.DataFrame(
        {
            "toxicity_score": [50.0, None, 10.0],
            "ref_domain": ["a", "b", "c"],
            "reasons": ["x", "y", ""],
        }
    )
    queue = select_review_queue(scored, 100, seed=1)
    # The unscored row cannot be ranked by uncertainty, so it is left out.
    assert sorted(queue["ref_domain"].to_list()) == ["a", "c"]


def test_at_most_per_domain_links_per_domain() -> None:
    queue = select_review_queue(_scored(), 200, seed=1, per_domain=2)
    assert queue.group_by("ref_domain").len()["len"].max() == 2
    # All 20 domains are represented: the cap spreads the queue instead of emptying it.
    assert queue["ref_domain"].n_unique() == 20


def test_domain_keeps_its_most_uncertain_links() -> None:
    scored = pl.DataFrame(
        {
            "toxicity_score": [90.0, 52.0, 49.0, 10.0],
            "ref_domain": ["a"] * 4,
            "reasons": ["x"] * 4,
        }
    )
    queue = select_review_queue(scored, 10, seed=3, per_domain=2)
    assert sorted(queue["toxicity_score"].to_list()) == [49.0, 52.0]


def test_scores_near_50_come_before_far_ones() -> None:
    scored = pl.DataFrame(
        {
            "toxicity_score": [5.0, 95.0, 51.0, 30.0, 49.5, 75.0],
            "ref_domain": [f"d{i}" for i in range(6)],
            "reasons": ["same"] * 6,
        }
    )
    queue = select_review_queue(scored, 3, seed=0)
    assert queue["toxicity_score"].to_list() == [49.5, 51.0, 30.0]


def test_round_robin_over_first_reason() -> None:
    # Reason "a" has many links right at 50; reason "b" links are far from it.
    scored = pl.DataFrame(
        {
            "toxicity_score": [50.0] * 6 + [80.0, 85.0],
            "ref_domain": [f"a{i}" for i in range(6)] + ["b0", "b1"],
            "reasons": ["a; z"] * 6 + ["b"] * 2,
        }
    )
    queue = select_review_queue(scored, 4, seed=0)
    first = queue["reasons"].str.split("; ").list.first().to_list()
    assert sorted(first) == ["a", "a", "b", "b"]
    # Each round takes one link per reason, the more uncertain first.
    assert first[:2] == ["a", "b"]


def test_reasons_that_differ_only_in_numbers_are_one_reason() -> None:
    # Five "N outbound links" links right at 50, each with its own count, and two links with
    # another reason further away: the counts must not make five distinct reasons.
    scored = pl.DataFrame(
        {
            "toxicity_score": [50.0, 50.5, 49.5, 51.0, 49.0, 70.0, 75.0],
            "ref_domain": [f"d{i}" for i in range(7)],
            "reasons": [f"{n:,} outbound links on the page; x" for n in (1037, 1066, 7, 850, 12)]
            + ["spam TLD .xyz"] * 2,
        }
    )
    queue = select_review_queue(scored, 4, seed=0)
    first = queue["reasons"].str.split("; ").list.first().to_list()
    assert sum(reason == "spam TLD .xyz" for reason in first) == 2
    assert first[1] == "spam TLD .xyz"  # round 0 holds one link of each reason


def test_deterministic_for_a_seed_and_seed_breaks_ties() -> None:
    scored = pl.DataFrame(
        {
            "source_url": [f"http://d{i}.test/" for i in range(50)],
            "toxicity_score": [50.0] * 50,
            "ref_domain": [f"d{i}.test" for i in range(50)],
            "reasons": ["x"] * 50,
        }
    )
    first = select_review_queue(scored, 10, seed=7)
    again = select_review_queue(scored, 10, seed=7)
    assert first.equals(again)
    other = select_review_queue(scored, 10, seed=8)
    assert first["source_url"].to_list() != other["source_url"].to_list()
    # Content hash, not row position: shuffling the input does not change the choice.
    shuffled = select_review_queue(scored.reverse(), 10, seed=7)
    assert shuffled["source_url"].to_list() == first["source_url"].to_list()


def test_missing_reasons_column_is_allowed() -> None:
    scored = pl.DataFrame({"toxicity_score": [10.0, 50.0], "ref_domain": ["a", "b"]})
    assert select_review_queue(scored, 1, seed=0)["ref_domain"].to_list() == ["b"]


def test_bad_arguments() -> None:
    scored = pl.DataFrame({"toxicity_score": [10.0], "ref_domain": ["a"]})
    with pytest.raises(ValueError, match="ref_domain"):
        select_review_queue(scored.drop("ref_domain"), 1, seed=0)
    with pytest.raises(ValueError, match="per_domain"):
        select_review_queue(scored, 1, seed=0, per_domain=0)
    with pytest.raises(ValueError, match="size"):
        select_review_queue(scored, -1, seed=0)
