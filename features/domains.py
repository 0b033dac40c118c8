"""Referring-domain features: how a domain links to the profile, and what its name and TLD say.

Aggregates are computed per (profile, referring domain) from the frame in hand and joined back, so
every link of a domain carries its domain's numbers. Lexical signals (Moz-style: length, digits,
hyphens, vowel ratio, dictionary words, poison words, TLD) are computed once per unique name.
"""

from __future__ import annotations

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
    """Most of a domain's links first seen within one ``window_days`` window (sitewide drops)."""
    return (
        lf.select(*_KEYS, pl.col(FIRST_SEEN).cast(pl.Int32).alias(_DAY))
        .filter(pl.col(_DAY).is_not_null())
        .group_by(*_KEYS, _DAY)
        .agg(pl.len().cast(pl.Int64).alias(_COUNT))
        .sort(*_KEYS, _DAY, nulls_last=True)
        .with_columns(
            pl.col(_COUNT).rolling_sum_by(_DAY, f"{window_days}i").over(_KEYS).alias("_win")
        )
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
    """
    n = pl.col("_n")
    p = n / n.sum()
    money = pl.col(ANCHOR_CLASS).is_in(list(MONEY_CLASSES)).fill_null(False).cast(pl.Float64)
    return (
        base.filter(pl.col(ANCHOR_NORM).is_not_null())
        .group_by(*_KEYS, ANCHOR_NORM)
        .agg(pl.len().cast(pl.Float64).alias("_n"))
        .join(
            anchors.select(PROFILE, ANCHOR_NORM, ANCHOR_CLASS),
            on=[PROFILE, ANCHOR_NORM],
            how="left",
            nulls_equal=True,
        )
        .group_by(_KEYS)
        .agg(
            # Rounded: the summation order is not fixed, and scores must be reproducible.
            (p * (1.0 / p).log(2)).sum().round(9).alias(DOM_ANCHOR_ENTROPY),
            pl.len().cast(pl.Int32).alias(DOM_DISTINCT_ANCHORS),
            ((n * money).sum() / n.sum()).alias(DOM_MONEY_SHARE),
        )
    )


def domain_tables(
    base: pl.LazyFrame, anchors: pl.LazyFrame, src: UrlParts, burst_window_days: int
) -> dict[str, pl.LazyFrame]:
    """The profile-level tables of this family: lexical signals per name, and link and anchor
    aggregates and bursts per (profile, referring domain), from the whole prepared profile and
    the anchor class table."""
    names = base.select(SRC_NAME).unique().filter(pl.col(SRC_NAME).is_not_null())
    return {
        "lexical": _lexical(names),
        "links": _link_table(base, src),
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
