"""Per-link features: rel attributes, link type, sitewide, position on the page, outbound density,
age and first-seen bursts, and what the source page is (directory, guest post, forum).

Dates are measured against the profile's own latest date (max of first_seen/last_seen within the
profile), never the wall clock, so scoring the same export twice gives the same numbers.
"""

from __future__ import annotations

import polars as pl

from features.columns import FOLLOWED, PROFILE
from features.lookups import Lookup
from features.schema import (
    EXTERNAL_LINKS,
    FIRST_SEEN,
    INTERNAL_LINKS,
    LAST_SEEN,
    LEFT_CONTEXT,
    LINK_TYPE,
    LINK_TYPES,
    NOFOLLOW,
    RIGHT_CONTEXT,
    SITEWIDE,
    SOURCE_TITLE,
    SPONSORED,
    UGC,
)
from features.text import any_pattern
from features.urls import UrlParts, path_depth
from features.vocab import (
    DIRECTORY_PATTERN,
    GUEST_POST_PATTERN,
    POSITION_HINTS,
    SPAM_TEXT_PATTERNS,
)

LINK_NOFOLLOW = "link_nofollow"
LINK_UGC = "link_ugc"
LINK_SPONSORED = "link_sponsored"
LINK_SITEWIDE = "link_sitewide"
LINK_TYPE_FLAGS: dict[str, str] = {kind: f"link_type_{kind}" for kind in LINK_TYPES}
LINK_POSITION: dict[str, str] = {place: f"link_{place}" for place in POSITION_HINTS}
LINK_AGE_DAYS = "link_age_days"
LINK_SEEN_DAYS = "link_seen_days"
LINK_UNSEEN_DAYS = "link_unseen_days"
LINK_BURST_LINKS = "link_burst_links"
LINK_BURST_RATIO = "link_burst_ratio"
PAGE_EXTERNAL_LINKS = "page_external_links"
PAGE_INTERNAL_LINKS = "page_internal_links"
PAGE_EXTERNAL_RATIO = "page_external_ratio"
PAGE_TITLE_LENGTH = "page_title_length"
PAGE_TITLE_SPAM = "page_title_spam"
PAGE_DIRECTORY = "page_directory"
PAGE_GUEST_POST = "page_guest_post"
PAGE_FORUM = "page_forum"
TGT_PATH_DEPTH = "tgt_path_depth"

LINK_FEATURES: tuple[str, ...] = (
    LINK_NOFOLLOW,
    LINK_UGC,
    LINK_SPONSORED,
    LINK_SITEWIDE,
    *LINK_TYPE_FLAGS.values(),
    *LINK_POSITION.values(),
    LINK_AGE_DAYS,
    LINK_SEEN_DAYS,
    LINK_UNSEEN_DAYS,
    LINK_BURST_LINKS,
    LINK_BURST_RATIO,
    PAGE_EXTERNAL_LINKS,
    PAGE_INTERNAL_LINKS,
    PAGE_EXTERNAL_RATIO,
    PAGE_TITLE_LENGTH,
    PAGE_TITLE_SPAM,
    PAGE_DIRECTORY,
    PAGE_GUEST_POST,
    PAGE_FORUM,
    TGT_PATH_DEPTH,
)

# Forum threads, member profiles and guestbooks: where community spam lives.
FORUM_PATTERN = (
    r"(?:^|[^a-z])(?:forums?|viewtopic|showthread|thread|topic|members?|profile|users?|"
    r"guestbook|board|discussion|replytocom|memberlist|member\.php)(?:[^a-z]|$)"
)
_ALL_SPAM_WORDS = "|".join(SPAM_TEXT_PATTERNS.values())

# Scratch columns.
_DATE = "_lt_date"
_DAY = "_lt_day"
_COUNT = "_lt_count"
_WINDOW = "_lt_window"
_KIND = "_lt_kind"
_CONTEXT = "_lt_context"
_PATH_TEXT = "_lt_path_text"
_PAGE_TEXT = "_lt_link_page_text"
_SEEN_MAX = "_lt_seen_max"


def _days(expr: pl.Expr) -> pl.Expr:
    """Date -> integer day number, so rolling windows can run on a plain integer index."""
    return expr.cast(pl.Int32)


def profile_burst(lf: pl.LazyFrame, window_days: int) -> pl.LazyFrame:
    """(profile, first_seen, links in the densest ``window_days`` window containing that day).

    S(e) counts the profile's links first seen in the window ending on day e; the densest window
    containing day d ends somewhere in [d, d + window - 1], and it can always be taken to end on a
    link's day, so the burst of d is the max of S over the link days in that range. Both passes
    run on unique (profile, day) rows.
    """
    daily = (
        lf.select(PROFILE, _days(pl.col(FIRST_SEEN)).alias(_DAY))
        .filter(pl.col(_DAY).is_not_null())
        .group_by(PROFILE, _DAY)
        .agg(pl.len().cast(pl.Int64).alias(_COUNT))
        .sort(PROFILE, _DAY, nulls_last=True)
    )
    window = f"{window_days}i"
    ending = daily.with_columns(
        pl.col(_COUNT).rolling_sum_by(_DAY, window).over(PROFILE).alias(_WINDOW)
    )
    # Look forward by running the same look-back window on negated days.
    forward = (
        ending.with_columns((-pl.col(_DAY)).alias("_neg"))
        .sort(PROFILE, "_neg", nulls_last=True)
        .with_columns(pl.col(_WINDOW).rolling_max_by("_neg", window).over(PROFILE).alias("_burst"))
    )
    return (
        forward.select(
            PROFILE,
            pl.col(_DAY),
            pl.col("_burst").cast(pl.Int32).alias(LINK_BURST_LINKS),
            # Links expected in such a window if the dated links were spread evenly over the span,
            # at least one: a lone link in a sparse profile is not a burst.
            (
                pl.col(_COUNT).sum().over(PROFILE).cast(pl.Float64)
                * window_days
                / pl.max_horizontal(
                    (pl.col(_DAY).max() - pl.col(_DAY).min()).over(PROFILE) + 1, pl.lit(window_days)
                ).cast(pl.Float64)
            ).alias("_expected"),
        )
        .with_columns(
            # Rounded, as the anchor share: the same profile alone or among others.
            (pl.col(LINK_BURST_LINKS) / pl.col("_expected").clip(lower_bound=1.0))
            .round(9)
            .alias(LINK_BURST_RATIO)
        )
        .drop("_expected")
    )


def prepare_links(lf: pl.LazyFrame) -> pl.LazyFrame:
    """Add the scratch FOLLOWED flag (row-wise; part of the base frame).

    Followed unless a rel flag says otherwise; unknown when nofollow itself is unknown.
    """
    return lf.with_columns(
        (
            ~pl.col(NOFOLLOW) & ~pl.col(UGC).fill_null(False) & ~pl.col(SPONSORED).fill_null(False)
        ).alias(FOLLOWED)
    )


def profile_seen(base: pl.LazyFrame) -> pl.LazyFrame:
    """(profile, its latest first/last-seen date): "now" for the profile, as the export saw it."""
    return base.group_by(PROFILE).agg(
        pl.max_horizontal(pl.col(FIRST_SEEN).max(), pl.col(LAST_SEEN).max()).alias(_SEEN_MAX)
    )


def link_tables(base: pl.LazyFrame, burst_window_days: int) -> dict[str, pl.LazyFrame]:
    """The profile-level tables of this family, computed from the whole prepared profile."""
    return {"seen": profile_seen(base), "burst": profile_burst(base, burst_window_days)}


def link_keys() -> list[pl.Expr]:
    """The key columns :func:`link_lookups` needs besides the profile (the first-seen day)."""
    return [_days(pl.col(FIRST_SEEN)).alias(_DAY)]


def link_lookups(tables: dict[str, pl.LazyFrame]) -> list[Lookup]:
    """What :func:`link_features` reads from ``tables`` (:func:`link_tables` of the whole
    prepared profile, see ``build``): the profile's latest date, the burst of the link's day."""
    return [Lookup(tables["seen"], (PROFILE,)), Lookup(tables["burst"], (PROFILE, _DAY))]


def link_features(lf: pl.LazyFrame, src: UrlParts, tgt: UrlParts) -> pl.LazyFrame:
    """Add the ``link_*``, ``page_*`` and ``tgt_*`` features to links that carry the keys of
    :func:`link_keys` and the columns of :func:`link_lookups`."""
    # Staged scratch columns so each string transform runs once per row.
    lf = lf.with_columns(
        pl.col(LINK_TYPE).str.to_lowercase().str.strip_chars().alias(_KIND),
        pl.concat_str(
            [pl.col(LEFT_CONTEXT), pl.col(RIGHT_CONTEXT)], separator=" \u2016 ", ignore_nulls=True
        )
        .str.to_lowercase()
        .alias(_CONTEXT),
        pl.concat_str([pl.col(src.path), pl.col(src.query)], separator="?", ignore_nulls=True)
        .str.to_lowercase()
        .alias(_PATH_TEXT),
    )
    lf = lf.with_columns(
        pl.concat_str(
            [pl.col(_PATH_TEXT), pl.col(SOURCE_TITLE).str.to_lowercase()],
            separator=" ",
            ignore_nulls=True,
        ).alias(_PAGE_TEXT)
    )
    kind, context, seen_max = pl.col(_KIND), pl.col(_CONTEXT), pl.col(_SEEN_MAX)
    has_context = pl.col(LEFT_CONTEXT).is_not_null() | pl.col(RIGHT_CONTEXT).is_not_null()
    external = pl.col(EXTERNAL_LINKS).cast(pl.Float64)
    total = external + pl.col(INTERNAL_LINKS).cast(pl.Float64)
    title = pl.col(SOURCE_TITLE)
    return lf.with_columns(
        pl.col(NOFOLLOW).alias(LINK_NOFOLLOW),
        pl.col(UGC).alias(LINK_UGC),
        pl.col(SPONSORED).alias(LINK_SPONSORED),
        pl.col(SITEWIDE).alias(LINK_SITEWIDE),
        *((kind == value).alias(name) for value, name in LINK_TYPE_FLAGS.items()),
        *(
            pl.when(has_context)
            .then(context.str.contains_any(list(POSITION_HINTS[place])))
            .alias(name)
            for place, name in LINK_POSITION.items()
        ),
        (seen_max - pl.col(FIRST_SEEN)).dt.total_days().cast(pl.Int32).alias(LINK_AGE_DAYS),
        (pl.col(LAST_SEEN) - pl.col(FIRST_SEEN))
        .dt.total_days()
        .cast(pl.Int32)
        .alias(LINK_SEEN_DAYS),
        (seen_max - pl.col(LAST_SEEN)).dt.total_days().cast(pl.Int32).alias(LINK_UNSEEN_DAYS),
        pl.col(EXTERNAL_LINKS).alias(PAGE_EXTERNAL_LINKS),
        pl.col(INTERNAL_LINKS).alias(PAGE_INTERNAL_LINKS),
        pl.when(total > 0).then(external / total).alias(PAGE_EXTERNAL_RATIO),
        title.str.strip_chars().str.len_chars().cast(pl.Int32).alias(PAGE_TITLE_LENGTH),
        any_pattern(title, _ALL_SPAM_WORDS).alias(PAGE_TITLE_SPAM),
        pl.col(_PAGE_TEXT).str.contains(DIRECTORY_PATTERN).alias(PAGE_DIRECTORY),
        pl.col(_PAGE_TEXT).str.contains(GUEST_POST_PATTERN).alias(PAGE_GUEST_POST),
        pl.col(_PATH_TEXT).str.contains(FORUM_PATTERN).alias(PAGE_FORUM),
        path_depth(pl.col(tgt.path)).alias(TGT_PATH_DEPTH),
    ).drop(_KIND, _CONTEXT, _PATH_TEXT, _PAGE_TEXT, _SEEN_MAX, _DAY)
