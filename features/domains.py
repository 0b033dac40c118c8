"""Referring-domain features: how a domain links to the profile, and what its name and TLD say.

Aggregates are computed per (profile, referring domain) from the frame in hand and joined back, so
every link of a domain carries its domain's numbers. Lexical signals (Moz-style: length, digits,
hyphens, vowel ratio, dictionary words, poison words, TLD) are computed once per unique name.
"""

from __future__ import annotations

from collections.abc import Callable

import polars as pl

from features.anchors import MONEY_CLASSES, domain_name
from features.columns import (
    ANCHOR_CLASS,
    ANCHOR_NORM,
    FOLLOWED,
    PROFILE,
    REF_DOMAIN,
    SOURCE_TLD,
    SRC_NAME,
)
from features.lookups import Lookup
from features.schema import (
    DOMAIN_AUTHORITY,
    DOMAIN_TRAFFIC,
    FIRST_SEEN,
    PAGE_AUTHORITY,
    SITEWIDE,
    SOURCE_URL,
    TARGET_URL,
)
from features.urls import UrlParts, is_free_host
from features.vocab import COMMON_WORDS, SPAM_NAME_PATTERNS, SPAM_TLDS, VERTICALS

DOM_LINKS = "dom_links"
DOM_PAGES = "dom_pages"
DOM_LINKS_PER_PAGE = "dom_links_per_page"
DOM_TARGET_PAGES = "dom_target_pages"
DOM_SUBDOMAINS = "dom_subdomains"
DOM_SITEWIDE_SHARE = "dom_sitewide_share"
DOM_DOFOLLOW_SHARE = "dom_dofollow_share"
DOM_MONEY_SHARE = "dom_money_anchor_share"
DOM_ANCHOR_ENTROPY = "dom_anchor_entropy"
DOM_DISTINCT_ANCHORS = "dom_distinct_anchors"
DOM_BURST_LINKS = "dom_burst_links"
DOM_BURST_SHARE = "dom_burst_share"
DOM_NAME_LENGTH = "dom_name_length"
DOM_NAME_DIGITS = "dom_name_digits"
DOM_NAME_HYPHENS = "dom_name_hyphens"
DOM_NAME_VOWEL_RATIO = "dom_name_vowel_ratio"
DOM_NAME_DICT_SHARE = "dom_name_dict_share"
DOM_NAME_SPAM: dict[str, str] = {vertical: f"dom_name_spam_{vertical}" for vertical in VERTICALS}
DOM_TLD_SPAM = "dom_tld_spam"
DOM_FREE_HOST = "dom_free_host"
SRC_PAGE_AUTHORITY = "src_page_authority"
SRC_DOMAIN_AUTHORITY = "src_domain_authority"
DOM_LOG_TRAFFIC = "dom_log_traffic"
DOM_TRAFFIC_GAP = "dom_traffic_gap"

DOMAIN_FEATURES: tuple[str, ...] = (
    DOM_LINKS,
    DOM_PAGES,
    DOM_LINKS_PER_PAGE,
    DOM_TARGET_PAGES,
    DOM_SUBDOMAINS,
    DOM_SITEWIDE_SHARE,
    DOM_DOFOLLOW_SHARE,
    DOM_MONEY_SHARE,
    DOM_ANCHOR_ENTROPY,
    DOM_DISTINCT_ANCHORS,
    DOM_BURST_LINKS,
    DOM_BURST_SHARE,
    DOM_NAME_LENGTH,
    DOM_NAME_DIGITS,
    DOM_NAME_HYPHENS,
    DOM_NAME_VOWEL_RATIO,
    DOM_NAME_DICT_SHARE,
    *DOM_NAME_SPAM.values(),
    DOM_TLD_SPAM,
    DOM_FREE_HOST,
    SRC_PAGE_AUTHORITY,
    SRC_DOMAIN_AUTHORITY,
    DOM_LOG_TRAFFIC,
    DOM_TRAFFIC_GAP,
)

# Expected log10(1 + monthly traffic) of a site with a given domain authority: DA / 15, i.e.
# DA 30 ~ 100 visits, DA 45 ~ 1,000, DA 60 ~ 10,000. A rough public rule of thumb, used only to
# express "authority without audience" (the PBN fingerprint) as a signed gap in decades.
DA_PER_TRAFFIC_DECADE = 15.0

# Longest words first, so the regex (leftmost-first) takes "therapist" before "the".
_DICT_RE = "|".join(sorted(COMMON_WORDS, key=lambda w: (-len(w), w)))

_KEYS = [PROFILE, REF_DOMAIN]
_DAY = "_lt_dday"
_COUNT = "_lt_dcount"
_TOTAL = "_lt_dtotal"  # a domain's links with an anchor
_FIRST = "_lt_dfirst"  # links with its first anchor
_LAST = "_lt_dlast"  # links with its last anchor
_ENTROPY = "_lt_dentropy"  # anchor entropy of a domain with three anchors or more
_SHIFTED = "_lt_dshifted"  # day moved into a range of its own per domain


def _lexical(names: pl.LazyFrame) -> pl.LazyFrame:
    """Lexical signals of unique domain names (column SRC_NAME, e.g. "cheap-seo4u")."""
    name = pl.col(SRC_NAME)
    letters = name.str.count_matches(r"\p{L}").cast(pl.Float64)
    latin = name.str.count_matches(r"[a-z]").cast(pl.Float64)
    dict_chars = name.str.extract_all(_DICT_RE).list.eval(pl.element().str.len_chars()).list.sum()
    return names.with_columns(
        name.str.len_chars().cast(pl.Int32).alias(DOM_NAME_LENGTH),
        name.str.count_matches(r"\d").cast(pl.Int32).alias(DOM_NAME_DIGITS),
        name.str.count_matches("-").cast(pl.Int32).alias(DOM_NAME_HYPHENS),
        pl.when(latin > 0)
        .then(name.str.count_matches(r"[aeiou]").cast(pl.Float64) / latin)
        .alias(DOM_NAME_VOWEL_RATIO),
        pl.when(letters > 0).then(dict_chars.cast(pl.Float64) / letters).alias(DOM_NAME_DICT_SHARE),
        *(
            name.str.contains(SPAM_NAME_PATTERNS[vertical]).alias(column)
            for vertical, column in DOM_NAME_SPAM.items()
        ),
    )


def _domain_burst(lf: pl.LazyFrame, window_days: int) -> pl.LazyFrame:
    """Most of a domain's links first seen within one ``window_days`` window (sitewide drops).

    One rolling sum runs over the whole sorted column rather than one per domain (``over``, most
    of the table's time with many small domains): each domain's days are shifted into a range
    of their own, further apart than the window, so no window spans two domains.
    """
    day = pl.col(_DAY)
    new_domain = pl.any_horizontal(pl.col(k).ne_missing(pl.col(k).shift()) for k in _KEYS)
    span = (day.max() - day.min()).cast(pl.Int64) + window_days + 1
    shifted = new_domain.cum_sum().cast(pl.Int64) * span + (day - day.min()).cast(pl.Int64)
    return (
        lf.select(*_KEYS, pl.col(FIRST_SEEN).cast(pl.Int32).alias(_DAY))
        .filter(day.is_not_null())
        .group_by(*_KEYS, _DAY)
        .agg(pl.len().cast(pl.Int64).alias(_COUNT))
        .sort(*_KEYS, _DAY, nulls_last=True)
        .with_columns(shifted.alias(_SHIFTED))
        .with_columns(pl.col(_COUNT).rolling_sum_by(_SHIFTED, f"{window_days}i").alias("_win"))
        .group_by(_KEYS)
        .agg(
            pl.col("_win").max().cast(pl.Int32).alias(DOM_BURST_LINKS),
            pl.col(_COUNT).sum().alias("_dated"),
        )
        .with_columns((pl.col(DOM_BURST_LINKS) / pl.col("_dated")).alias(DOM_BURST_SHARE))
        .drop("_dated")
    )


def prepare_domains(lf: pl.LazyFrame, src: UrlParts) -> pl.LazyFrame:
    """Add the scratch domain name (registrable domain minus suffix; part of the base frame)."""
    return lf.with_columns(domain_name(pl.col(src.domain), pl.col(src.suffix)).alias(SRC_NAME))


# The link table counts distinct pages per referring domain, which holds every distinct URL of
# the part being counted: it is counted in this many parts of the referring domains (by hash),
# one after the other when the stage collects each, so ten million links never hold all their
# URLs at once. Exact: a domain's links are all in one part.
LINK_TABLE_PARTS = 8


def _link_table_parts(base: pl.LazyFrame, src: UrlParts) -> list[pl.LazyFrame]:
    """:func:`_link_table` of each part of the referring domains (``LINK_TABLE_PARTS``)."""
    part = pl.col(REF_DOMAIN).hash() % LINK_TABLE_PARTS
    return [_link_table(base.filter(part == k), src) for k in range(LINK_TABLE_PARTS)]


def _link_table(base: pl.LazyFrame, src: UrlParts) -> pl.LazyFrame:
    """How each referring domain links to the profile: counts, distinct pages, shares."""
    return base.group_by(_KEYS).agg(
        pl.len().cast(pl.Int32).alias(DOM_LINKS),
        pl.col(SOURCE_URL).n_unique().cast(pl.Int32).alias(DOM_PAGES),
        pl.col(TARGET_URL).n_unique().cast(pl.Int32).alias(DOM_TARGET_PAGES),
        pl.col(src.host).n_unique().cast(pl.Int32).alias(DOM_SUBDOMAINS),
        pl.col(SITEWIDE).cast(pl.Float64).mean().alias(DOM_SITEWIDE_SHARE),
        pl.col(FOLLOWED).cast(pl.Float64).mean().alias(DOM_DOFOLLOW_SHARE),
    )


def _anchor_spread(base: pl.LazyFrame, anchors: pl.LazyFrame) -> pl.LazyFrame:
    """Per referring domain: anchor entropy (bits; 0 = one anchor), distinct anchors, money share.
    ``anchors`` is the per-(profile, anchor) class table; empty anchors count as anchors (an
    empty-anchor network has no diversity) and as non-money.

    The entropy's sum over a domain's anchors is evaluated group by group (slow), so it runs only
    for domains with three anchors or more: with one anchor it is 0.0, with two the sum of the two
    terms (in either order: the same float), both computed with the same expressions.
    """
    n = pl.col("_n")
    money = pl.col(ANCHOR_CLASS).is_in(list(MONEY_CLASSES)).fill_null(False).cast(pl.Float64)
    counts = (
        base.filter(pl.col(ANCHOR_NORM).is_not_null())
        .group_by(*_KEYS, ANCHOR_NORM)
        .agg(pl.len().cast(pl.Float64).alias("_n"))
        .join(
            anchors.select(PROFILE, ANCHOR_NORM, ANCHOR_CLASS),
            on=[PROFILE, ANCHOR_NORM],
            how="left",
            nulls_equal=True,
        )
        .cache()
    )
    spread = counts.group_by(_KEYS).agg(
        pl.len().cast(pl.Int32).alias(DOM_DISTINCT_ANCHORS),
        ((n * money).sum() / n.sum()).alias(DOM_MONEY_SHARE),
        n.sum().alias(_TOTAL),
        n.first().alias(_FIRST),
        n.last().alias(_LAST),
    )
    many = spread.filter(pl.col(DOM_DISTINCT_ANCHORS) >= 3).select(_KEYS).cache()
    p = n / n.sum()
    many_entropy = (
        counts.join(many, on=_KEYS, how="semi", nulls_equal=True)
        .group_by(_KEYS)
        .agg((p * (1.0 / p).log(2)).sum().alias(_ENTROPY))
    )
    first, last = pl.col(_FIRST) / pl.col(_TOTAL), pl.col(_LAST) / pl.col(_TOTAL)
    entropy = (
        pl.when(pl.col(DOM_DISTINCT_ANCHORS) == 1)
        .then(pl.lit(0.0))
        .when(pl.col(DOM_DISTINCT_ANCHORS) == 2)
        .then(first * (1.0 / first).log(2) + last * (1.0 / last).log(2))
        .otherwise(pl.col(_ENTROPY))
    )
    return spread.join(many_entropy, on=_KEYS, how="left", nulls_equal=True).select(
        *_KEYS,
        # Rounded: the summation order is not fixed, and scores must be reproducible.
        entropy.round(9).alias(DOM_ANCHOR_ENTROPY),
        DOM_DISTINCT_ANCHORS,
        DOM_MONEY_SHARE,
    )


def domain_tables(
    base: pl.LazyFrame,
    anchors: pl.LazyFrame,
    src: UrlParts,
    burst_window_days: int,
    stage: Callable[[pl.LazyFrame], pl.LazyFrame] = pl.LazyFrame.cache,
) -> dict[str, pl.LazyFrame]:
    """The profile-level tables of this family: lexical signals per name, and link and anchor
    aggregates and bursts per (profile, referring domain), from the whole prepared profile and
    the anchor class table. ``stage`` (as in :func:`features.build.profile_tables`) is applied
    to each part of the link table, which is built in parts of the referring domains."""
    names = base.select(SRC_NAME).unique().filter(pl.col(SRC_NAME).is_not_null())
    return {
        "lexical": _lexical(names),
        "links": pl.concat([stage(part) for part in _link_table_parts(base, src)]),
        "anchors": _anchor_spread(base, anchors),
        "burst": _domain_burst(base, burst_window_days),
    }


def domain_lookups(tables: dict[str, pl.LazyFrame]) -> list[Lookup]:
    """What :func:`domain_features` reads from :func:`domain_tables`: the lexical signals by
    name, the link, anchor and burst aggregates by (profile, referring domain)."""
    return [
        Lookup(tables["lexical"], (SRC_NAME,), nulls_equal=False),
        *(Lookup(tables[name], tuple(_KEYS)) for name in ("links", "anchors", "burst")),
    ]


def domain_features(lf: pl.LazyFrame, src: UrlParts) -> pl.LazyFrame:
    """Add the ``dom_*`` and ``src_*`` features to links that carry the columns of
    :func:`domain_lookups`."""
    traffic = pl.col(DOMAIN_TRAFFIC)
    lf = lf.with_columns(pl.when(traffic >= 0).then((traffic + 1.0).log10()).alias(DOM_LOG_TRAFFIC))
    return lf.with_columns(
        (pl.col(DOM_LINKS) / pl.col(DOM_PAGES)).alias(DOM_LINKS_PER_PAGE),
        pl.when(pl.col(SOURCE_TLD).is_not_null())
        .then(pl.col(SOURCE_TLD).is_in(list(SPAM_TLDS)))
        .alias(DOM_TLD_SPAM),
        pl.when(pl.col(src.host).is_not_null())
        .then(is_free_host(pl.col(src.suffix), pl.col(src.domain)).fill_null(False))
        .alias(DOM_FREE_HOST),
        pl.col(PAGE_AUTHORITY).alias(SRC_PAGE_AUTHORITY),
        pl.col(DOMAIN_AUTHORITY).alias(SRC_DOMAIN_AUTHORITY),
        (pl.col(DOM_LOG_TRAFFIC) - pl.col(DOMAIN_AUTHORITY) / DA_PER_TRAFFIC_DECADE).alias(
            DOM_TRAFFIC_GAP
        ),
    )
