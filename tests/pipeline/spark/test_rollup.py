"""The fact the Spark rollup rests on: the rollup rows and the disavow file's URLs of disjoint
groups of whole referring domains, stacked, are those of all the links (no pyspark needed).

The links are a world export plus the cases the URL lines exist for: a platform no list knows
(links from six user subdomains of one domain, and from its apex), a site on a path-based
platform, a hacked page on an otherwise clean site, and a whitelisted subdomain that spares its
toxic parent. A split that cuts referring domains does not give the same disavow file.
"""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from features import schema
from features.build import ANCHOR_CLASS, prepare_base
from pipeline import outputs
from pipeline.spark.score import rollup_part, rollup_view, stack_rollups
from pipeline.stream import _view
from pipeline.world import generate_world

OWN = ["strideandpace.com"]
WHITELIST = ["blog.spared-parent.com"]
CRAFTED = [
    *(f"https://user{i}.unlisted-host.net/post/{i}" for i in range(6)),
    "https://unlisted-host.net/about",
    "https://sites.google.com/view/cheap-links/a",
    "https://sites.google.com/view/cheap-links/b",
    "https://sites.google.com/view/cheap-links/c",
    "https://www.clean-school.edu/hacked/viagra.htm",
    "https://www.clean-school.edu/about",
    "https://www.clean-school.edu/news",
    "https://spared-parent.com/spam",
    "https://spared-parent.com/more-spam",
]
LABELS = ["toxic"] * 9 + ["whitelist", "toxic", "whitelist", "whitelist", "toxic", "toxic"]


@pytest.fixture(scope="module")
def scored() -> pl.DataFrame:
    """Prepared links with a score, label and reasons (from the world's truth, not a model)."""
    world = generate_world(1500, 11)
    truth = ["toxic" if value else "whitelist" for value in world.get_column(schema.LABEL)]
    extra = world.head(len(CRAFTED)).with_columns(pl.Series(schema.SOURCE_URL, CRAFTED))
    base = prepare_base(pl.concat([world, extra]).lazy()).collect()
    label = pl.col(outputs.LABEL)
    return (
        base.with_columns(pl.Series(outputs.LABEL, [*truth, *LABELS]))
        .with_columns(
            # Some review links, and clean scores of one decimal whose float sums depend on order.
            pl.when((pl.int_range(pl.len()) % 7 == 0) & (label == "whitelist"))
            .then(pl.lit("review"))
            .otherwise(label)
            .alias(outputs.LABEL)
        )
        .with_columns(
            pl.when(label == "toxic").then(91.3).when(label == "review").then(52.5)
            .otherwise(pl.int_range(pl.len()) % 37 / 10 + 1.1).alias(outputs.TOXICITY_SCORE),
            pl.when(label == "whitelist").then(pl.lit("")).otherwise(pl.lit("spam TLD; sitewide"))
            .alias(outputs.REASONS),
            pl.lit("generic").alias(ANCHOR_CLASS),  # the view carries it, the rollup does not
        )
    )  # fmt: skip


def _disavow(rollup: pl.DataFrame, **urls: pl.DataFrame) -> list[str]:
    day = date(2026, 12, 1)
    text = outputs.build_disavow(
        rollup, own_domains=OWN, whitelist=WHITELIST, generated_at=day, tool_version="t", **urls
    )
    return text.splitlines()


def _single(scored: pl.DataFrame) -> tuple[pl.DataFrame, list[str]]:
    """As `linktox score` builds them from its per-link view."""
    view = _view(scored)
    rollup = outputs.domain_rollup(view, own_domains=OWN, whitelist=WHITELIST)
    return rollup, _disavow(rollup, links=view)


def _in_groups(scored: pl.DataFrame, group: pl.Expr) -> tuple[pl.DataFrame, list[str]]:
    """As `linktox spark score` builds them: one part per group, stacked."""
    columns = [schema.SOURCE_URL, outputs.REF_DOMAIN, outputs.TOXICITY_SCORE, outputs.LABEL,
               outputs.REASONS]  # fmt: skip
    view = rollup_view(scored.select(columns).lazy()).collect()
    # Each group's links in another order, as a shuffle leaves them.
    parts = [
        rollup_part(part.drop("g").sample(fraction=1.0, shuffle=True, seed=5), OWN, WHITELIST)
        for _, part in view.with_columns(group.alias("g")).group_by("g")
    ]
    rollup, urls = stack_rollups([p[0] for p in parts], [p[1] for p in parts])
    return rollup, _disavow(rollup, listed_urls=urls)


def test_rollups_of_groups_of_whole_referring_domains_stack_into_the_whole(scored) -> None:
    rollup, disavow = _single(scored)
    # The comparison covers domain and URL lines, and a spared domain.
    assert {"urls", "domain"} <= set(rollup.get_column("disavow"))
    assert "spared" in set(rollup.get_column("protected"))
    urls = [line for line in disavow if line.startswith("http")]
    # A toxic path-based site is listed whole (its clean page c too), a hacked page alone.
    for site in ("unlisted-host.net/about", "cheap-links/c", "hacked/viagra", "spared-parent.com"):
        assert any(site in url for url in urls), site
    assert not any("clean-school.edu/about" in url for url in urls)
    # Spark's shuffle key: the normalised referring domain.
    key = outputs.normalised_domain(outputs.REF_DOMAIN).hash(seed=3) % 4
    parted_rollup, parted_disavow = _in_groups(scored, key)
    assert parted_rollup.equals(rollup)
    assert parted_disavow[1:] == disavow[1:]  # all but the date line


def test_a_split_that_cuts_referring_domains_does_not(scored) -> None:
    rollup, disavow = _single(scored)
    cut_rollup, cut_disavow = _in_groups(scored, pl.int_range(pl.len()) % 4)
    assert not cut_rollup.equals(rollup)
    assert cut_disavow[1:] != disavow[1:]
