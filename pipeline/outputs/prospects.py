"""The backlink gap: referring domains that link to your competitors and not to you.

The pure policy behind ``linktox gap``. Every profile (yours and up to :data:`MAX_COMPETITORS`
competitors) is scored by the same model as its own profile, rolled up per referring domain as
``linktox score`` rolls it up, and compared on the referring site (the registrable domain, or a
subdomain of a hosting platform, the platforms decided on every profile's links together).

**Prospects** are referring domains of at least ``min_competitors`` competitors that are absent
from your profile (and are none of the profiles' own sites). A prospect's toxicity is its worst
across the competitors' profiles: its highest link score and its worst domain label (toxic >
review > whitelist), with the reasons of the profile where it scored worst. Domains labelled
**toxic** (link farms, PBNs, hacked sites) are left out by default and counted, and so are
domains labelled **review**: the domain label is toxic only when half a domain's links are, and
a network that also carries clean-looking links lands in review. Measured on the synthetic
world with the model ``make run`` trains (the setup of ``tests/e2e/test_diff_gap.py``): of a
124-domain network (link farms, hacked sites, web 2.0 wheels) linking to two competitors, 123
domains were toxic and 1 review. The price: on the competitors' own 800-link profiles, 81 of 781
prospect domains were review, 47 of them blogs, resource pages and partners a human would keep
(the other 34 sponsored posts and scrapers). ``include_review`` (see them, marked, and judge)
and ``include_toxic`` keep them, with their reasons.

**Prospect score** (0-100, the sort order)::

    100 × ( 0.50 × competitors linked / competitors compared
          + 0.35 × domain authority / 100          (missing authority counts as 0)
          + 0.15 × (1 − worst toxicity score / 100) )

A domain that links to every competitor is a proven, repeatable placement; authority says what
the link is worth; the last term prefers clean domains among equals. Ties go to more competitors,
then higher authority, then the domain name.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl
from rich.table import Table
from rich.text import Text

from features.schema import ANCHOR, DOMAIN_AUTHORITY, SOURCE_TITLE
from pipeline.outputs.columns import (
    DOMAIN_LABEL,
    LABELS,
    LINKS,
    REF_DOMAIN,
    REVIEW,
    TOP_REASONS,
    TOXIC,
    WORST_SCORE,
)
from pipeline.outputs.rollup import domain_rollup, normalised_domain, shared_sites

MAX_COMPETITORS = 5
TOP_TEXTS = 3  # anchors and page titles shown per prospect

WEIGHT_COVERAGE = 0.50
WEIGHT_AUTHORITY = 0.35
WEIGHT_CLEAN = 0.15

# Columns of the prospect table.
PROSPECT_SCORE = "prospect_score"
COMPETITORS = "competitors"  # how many competitors the domain links to
LINKED_TO = "linked_to"  # which, "; "-joined
AUTHORITY = "authority"
ANCHORS = "best_anchors"
TITLES = "page_titles"
PROSPECT_COLUMNS: tuple[str, ...] = (
    REF_DOMAIN,
    PROSPECT_SCORE,
    COMPETITORS,
    LINKED_TO,
    AUTHORITY,
    LINKS,
    ANCHORS,
    TITLES,
    WORST_SCORE,
    DOMAIN_LABEL,
    TOP_REASONS,
)
PROFILE = "profile"  # first column of the overlap matrix
TEXT_SEPARATOR = " | "  # between anchors or titles (they may contain "; ")

_PROFILE = "_lt_profile"
_RANK = "_lt_rank"
_N = "_lt_n"
_TEXT = "_lt_text"


@dataclass(frozen=True)
class Profile:
    """One scored export: ``links`` has ref_domain, score, label, reasons, anchor, title, DA."""

    name: str
    links: pl.DataFrame


@dataclass(frozen=True)
class Gap:
    """The gap between your profile and your competitors'.

    Attributes:
        prospects: ``PROSPECT_COLUMNS``, best prospect first.
        toxic_left_out: Prospects left out because they are labelled toxic (0 with include_toxic).
        review_left_out: Prospects left out because they are labelled review (0 with
            include_review).
        overlap: Shared referring domains per pair of profiles (diagonal: each profile's total).
        candidates: Domains of competitors that are not yours, before any filter.
    """

    prospects: pl.DataFrame
    toxic_left_out: int
    review_left_out: int
    overlap: pl.DataFrame
    candidates: int


def _domain_texts(links: pl.DataFrame, column: str, alias: str) -> pl.DataFrame:
    """Per domain, its most frequent non-empty texts of ``column``, at most ``TOP_TEXTS``."""
    if column not in links.columns:
        return links.select(REF_DOMAIN).unique().with_columns(pl.lit("").alias(alias))
    return (
        links.select(REF_DOMAIN, pl.col(column).cast(pl.String).str.strip_chars().alias(_TEXT))
        .filter(pl.col(_TEXT).is_not_null() & (pl.col(_TEXT) != ""))
        .group_by(REF_DOMAIN, _TEXT)
        .agg(pl.len().alias(_N))
        .sort([REF_DOMAIN, _N, _TEXT], descending=[False, True, False])
        .group_by(REF_DOMAIN, maintain_order=True)
        .head(TOP_TEXTS)
        .group_by(REF_DOMAIN, maintain_order=True)
        .agg(pl.col(_TEXT).str.join(TEXT_SEPARATOR).alias(alias))
    )


def _sites(profiles: list[Profile]) -> list[Profile]:
    """The profiles keyed by the rollup's referring sites, platforms decided on all of them."""
    frames = shared_sites([p.links for p in profiles])
    return [Profile(p.name, links) for p, links in zip(profiles, frames, strict=True)]


def _normalised(profile: Profile) -> pl.DataFrame:
    links = profile.links.with_columns(normalised_domain(REF_DOMAIN).alias(REF_DOMAIN))
    return links.filter(pl.col(REF_DOMAIN).is_not_null() & (pl.col(REF_DOMAIN) != ""))


def _per_domain(profile: Profile) -> pl.DataFrame:
    """One row per referring domain of a profile: rollup, authority, anchors and titles."""
    links = _normalised(profile)
    rollup = domain_rollup(links).select(REF_DOMAIN, LINKS, WORST_SCORE, DOMAIN_LABEL, TOP_REASONS)
    authority = (
        links.group_by(REF_DOMAIN).agg(pl.col(DOMAIN_AUTHORITY).cast(pl.Float64).max())
        if DOMAIN_AUTHORITY in links.columns
        else links.select(REF_DOMAIN).unique().with_columns(pl.lit(None, pl.Float64))
    ).rename({DOMAIN_AUTHORITY: AUTHORITY})
    return (
        rollup.join(authority, on=REF_DOMAIN, how="left")
        .join(_domain_texts(links, ANCHOR, ANCHORS), on=REF_DOMAIN, how="left")
        .join(_domain_texts(links, SOURCE_TITLE, TITLES), on=REF_DOMAIN, how="left")
        .with_columns(pl.lit(profile.name).alias(_PROFILE))
    )


def prospect_score(competitors: pl.Expr, total: int, authority: pl.Expr, worst: pl.Expr) -> pl.Expr:
    """The documented prospect score (0-100, one decimal) as a polars expression."""
    coverage = competitors.cast(pl.Float64) / total
    auth = authority.cast(pl.Float64).clip(0, 100).fill_null(0.0) / 100
    clean = 1 - worst.cast(pl.Float64).clip(0, 100).fill_null(0.0) / 100
    score = WEIGHT_COVERAGE * coverage + WEIGHT_AUTHORITY * auth + WEIGHT_CLEAN * clean
    return (100 * score).round(1)


def backlink_gap(
    mine: Profile,
    competitors: list[Profile],
    *,
    min_competitors: int = 1,
    include_toxic: bool = False,
    include_review: bool = False,
    exclude: tuple[str, ...] = (),
) -> Gap:
    """Prospects: domains linking to ``min_competitors`` or more competitors and not to you.

    ``exclude``: domains never listed (the profiles' own sites). Raises ValueError for no or more
    than :data:`MAX_COMPETITORS` competitors, or a ``min_competitors`` outside 1..competitors.
    """
    if not 1 <= len(competitors) <= MAX_COMPETITORS:
        raise ValueError(f"compare with 1 to {MAX_COMPETITORS} competitors, not {len(competitors)}")
    if not 1 <= min_competitors <= len(competitors):
        raise ValueError(
            f"--min-competitors must be between 1 and {len(competitors)} (the competitors given), "
            f"not {min_competitors}"
        )
    mine, *competitors = _sites([mine, *competitors])
    theirs = pl.concat([_per_domain(p) for p in competitors])
    own = _normalised(mine).select(REF_DOMAIN).unique()
    excluded = pl.DataFrame(
        {REF_DOMAIN: [d.lower() for d in exclude]}, schema={REF_DOMAIN: pl.String}
    )
    theirs = theirs.join(own, on=REF_DOMAIN, how="anti").join(excluded, on=REF_DOMAIN, how="anti")
    # The profile where a domain scores worst speaks for its label and reasons.
    severity = pl.col(DOMAIN_LABEL).replace_strict({lab: i for i, lab in enumerate(LABELS)})
    ranked = theirs.with_columns(severity.alias(_RANK)).sort(
        [REF_DOMAIN, _RANK, WORST_SCORE], descending=[False, True, True], nulls_last=True
    )
    texts = _merged_texts(ranked)
    per_domain = (
        ranked.group_by(REF_DOMAIN, maintain_order=True)
        .agg(
            pl.col(_PROFILE).n_unique().alias(COMPETITORS),
            pl.col(_PROFILE).unique().sort().str.join("; ").alias(LINKED_TO),
            pl.col(AUTHORITY).max(),
            pl.col(LINKS).sum(),
            pl.col(WORST_SCORE).max(),
            pl.col(DOMAIN_LABEL).first(),
            pl.col(TOP_REASONS).first(),
        )
        .join(texts, on=REF_DOMAIN, how="left")
    )
    candidates = per_domain.height
    kept = per_domain.filter(pl.col(COMPETITORS) >= min_competitors)
    left_out = {}
    for label, keep in ((TOXIC, include_toxic), (REVIEW, include_review)):
        flagged = pl.col(DOMAIN_LABEL) == label
        left_out[label] = 0 if keep else kept.filter(flagged).height
        if not keep:
            kept = kept.filter(~flagged)
    prospects = kept.with_columns(
        prospect_score(
            pl.col(COMPETITORS), len(competitors), pl.col(AUTHORITY), pl.col(WORST_SCORE)
        ).alias(PROSPECT_SCORE),
        pl.col(ANCHORS).fill_null(""),
        pl.col(TITLES).fill_null(""),
    ).sort(
        [PROSPECT_SCORE, COMPETITORS, AUTHORITY, REF_DOMAIN],
        descending=[True, True, True, False],
        nulls_last=True,
    )
    return Gap(
        prospects=prospects.select(PROSPECT_COLUMNS),
        toxic_left_out=left_out[TOXIC],
        review_left_out=left_out[REVIEW],
        overlap=overlap_matrix([mine, *competitors]),
        candidates=candidates,
    )


def _merged_texts(ranked: pl.DataFrame) -> pl.DataFrame:
    """Anchors and titles across competitors: each profile's top texts, most frequent first."""
    out = ranked.select(REF_DOMAIN).unique()
    for column in (ANCHORS, TITLES):
        texts = (
            ranked.select(REF_DOMAIN, pl.col(column).str.split(TEXT_SEPARATOR).alias(_TEXT))
            .explode(_TEXT)
            .filter(pl.col(_TEXT).is_not_null() & (pl.col(_TEXT) != ""))
            .group_by(REF_DOMAIN, _TEXT)
            .agg(pl.len().alias(_N))
            .sort([REF_DOMAIN, _N, _TEXT], descending=[False, True, False])
            .group_by(REF_DOMAIN, maintain_order=True)
            .head(TOP_TEXTS)
            .group_by(REF_DOMAIN, maintain_order=True)
            .agg(pl.col(_TEXT).str.join(TEXT_SEPARATOR).alias(column))
        )
        out = out.join(texts, on=REF_DOMAIN, how="left")
    return out


def overlap_matrix(profiles: list[Profile]) -> pl.DataFrame:
    """Referring domains each pair of profiles shares; the diagonal is each profile's total.

    One row per profile (column ``profile``) and one column per profile, in the given order.
    """
    names = [p.name for p in profiles]
    profiles = _sites(profiles)
    pairs = pl.concat(
        [_normalised(p).select(REF_DOMAIN).unique().with_columns(pl.lit(p.name).alias(_PROFILE))
         for p in profiles]
    )  # fmt: skip
    shared = (
        pairs.join(pairs, on=REF_DOMAIN, suffix="_other")
        .group_by(_PROFILE, f"{_PROFILE}_other")
        .agg(pl.len().alias(_N))
    )
    counts = {(a, b): int(n) for a, b, n in shared.iter_rows()}
    return pl.DataFrame(
        {
            PROFILE: names,
            **{b: [counts.get((a, b), 0) for a in names] for b in names},
        }
    )


def gap_tables(gap: Gap, *, shown: int = 15) -> list[Table]:
    """The one-screen summary of ``linktox gap``: the best prospects and the overlap matrix."""
    top = Table(
        title=f"Best prospects ({gap.prospects.height:,} domains; left out: "
        f"{gap.toxic_left_out:,} toxic, {gap.review_left_out:,} review)",
        title_justify="left",
    )
    for name, justify in (
        ("Domain", "left"),
        ("Score", "right"),
        ("Competitors", "right"),
        ("Authority", "right"),
        ("Label", "left"),
        ("Best anchors", "left"),
    ):
        top.add_column(name, justify=justify)  # type: ignore[arg-type]  # fmt: skip
    for row in gap.prospects.head(shown).iter_rows(named=True):
        authority = row[AUTHORITY]
        # Text(), not str: anchors come from strangers, and rich would parse "[...]" as markup.
        top.add_row(
            Text(row[REF_DOMAIN]),
            f"{row[PROSPECT_SCORE]:.1f}",
            str(row[COMPETITORS]),
            "–" if authority is None else f"{authority:g}",
            row[DOMAIN_LABEL],
            Text(row[ANCHORS] or ""),
        )
    overlap = Table(title="Shared referring domains", title_justify="left")
    overlap.add_column("")
    names = [c for c in gap.overlap.columns if c != PROFILE]
    for name in names:
        overlap.add_column(name, justify="right")
    for name, *shared in gap.overlap.iter_rows():
        overlap.add_row(Text(name), *(f"{n:,}" for n in shared))
    return [top, overlap]
