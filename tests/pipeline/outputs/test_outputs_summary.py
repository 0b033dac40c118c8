"""One-screen summary: profile level boundaries, the numbers, the rendered tables."""

from __future__ import annotations

import polars as pl
import pytest
from rich.console import Console

from pipeline.outputs import domain_rollup, profile_level, render_summary, summary_stats


@pytest.mark.parametrize(
    ("share", "level"),
    [
        (0.0, "low"),
        (0.0299, "low"),
        (0.03, "medium"),  # 3% is medium
        (3 / 100, "medium"),
        (0.10, "medium"),  # 10% is still medium
        (10 / 100, "medium"),
        (0.1001, "high"),
        (11 / 100, "high"),
        (1.0, "high"),
    ],
)
def test_profile_level_boundaries(share: float, level: str) -> None:
    assert profile_level(share) == level


@pytest.mark.parametrize("share", [-0.01, 1.5, 12.0])
def test_profile_level_wants_a_share_not_a_percentage(share: float) -> None:
    with pytest.raises(ValueError, match="between 0 and 1"):
        profile_level(share)


def test_summary_stats(scored: pl.DataFrame) -> None:
    stats = summary_stats(scored, domain_rollup(scored))
    assert stats["links"] == 7
    assert stats["domains"] == 3
    assert stats["links_by_label"] == {"whitelist": 3, "review": 1, "toxic": 3}
    # mixed.org has one toxic link in three: review, not toxic
    assert stats["domains_by_label"] == {"whitelist": 1, "review": 1, "toxic": 1}
    assert stats["toxic_share"] == pytest.approx(3 / 7)
    assert stats["level"] == "high"
    # split on "; ", toxic links only: the review link's "sitewide link" is not counted
    assert stats["top_reasons"] == [("exact-match money anchor", 2), ("spam TLD .xyz", 2)]


def test_empty_profile_is_low() -> None:
    empty = pl.DataFrame(
        {"ref_domain": [], "toxicity_score": [], "label": [], "reasons": []},
        schema={
            "ref_domain": pl.String,
            "toxicity_score": pl.Float64,
            "label": pl.String,
            "reasons": pl.String,
        },
    )
    stats = summary_stats(empty, domain_rollup(empty))
    assert (stats["links"], stats["toxic_share"], stats["level"]) == (0, 0.0, "low")


def test_render_summary_prints_numbers_and_literal_reasons(scored: pl.DataFrame) -> None:
    scored = scored.with_columns(
        pl.when(pl.col("label") == "toxic")
        .then(pl.lit("[bold]not markup[/bold]"))
        .otherwise(pl.col("reasons"))
        .alias("reasons")
    )
    out = Console(record=True, width=100, color_system=None)
    render_summary(scored, domain_rollup(scored), out)
    text = out.export_text()
    assert "42.9%" in text  # 3 of 7 links toxic
    assert "High" in text
    assert "[bold]not markup[/bold]" in text


def test_top_reasons_count_every_toxic_link_even_when_strings_repeat() -> None:
    from pipeline.outputs.summary import top_reasons

    reasons = ["a; b", "b", "a; a; c", "3 other domains share this IP; b", "", None, "b"] * 50
    labels = (["toxic"] * 6 + ["review"]) * 50
    frame = pl.DataFrame({"label": labels, "reasons": reasons}).with_columns(
        pl.col("label").cast(pl.Categorical)
    )
    # Counted by hand: per toxic link, every reason it names (a reason named twice counts twice).
    assert top_reasons(frame) == [  # ties in alphabetical order
        ("a", 150),
        ("b", 150),
        ("N other domains share this IP", 50),
        ("c", 50),
    ]
