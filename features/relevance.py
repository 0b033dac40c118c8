"""Topical and linguistic relevance of the source page to the target site, learnt from the profile.

The target's vocabulary is built from the profile itself, in two steps:

1. *Seed words*: the topic words of the site's own target URL paths (``/analytics-dashboard``) and
   its brand. These are the site's words by construction.
2. *Topic words*: a referring domain whose page titles or URLs use a seed word is "on topic". Each
   word then gets the share of the referring domains using it that are on topic (add-one
   smoothed): ``weight = on_topic_domains / (domains + 1)``; seed words weigh 1. Domains are
   counted once, so one sitewide link cannot make its words "topical".

A link's topic score is the mean weight of the words of its page (title and URL path) and anchor:
a small blog writing about the site's subject scores high, a foreign casino page near 0.

Script/language mismatch and geography compare each link with the profile's dominant script,
language and country (counting each referring domain once).
"""

from __future__ import annotations

import polars as pl

from features.anchors import domain_name
from features.columns import ANCHOR_NORM, BRAND, PROFILE, REF_DOMAIN, ROW, TEXT_SCRIPT
from features.schema import SOURCE_COUNTRY, SOURCE_LANGUAGE, SOURCE_TITLE
from features.text import add_script, dominant_table, topic_tokens
from features.urls import UrlParts

REL_TOPIC_SCORE = "rel_topic_score"
REL_TOPIC_TERMS = "rel_topic_terms"
REL_SCRIPT_MISMATCH = "rel_script_mismatch"
REL_LANGUAGE_MISMATCH = "rel_language_mismatch"
REL_COUNTRY_SHARE = "rel_country_share"

RELEVANCE_FEATURES: tuple[str, ...] = (
    REL_TOPIC_SCORE,
    REL_TOPIC_TERMS,
    REL_SCRIPT_MISMATCH,
    REL_LANGUAGE_MISMATCH,
    REL_COUNTRY_SHARE,
)

TOPIC_TERM_WEIGHT = 0.5  # a word counts as on-topic from this weight up

# Scratch columns.
_TOK = "_lt_tok"
_SEED = "_lt_seed"
_ON = "_lt_on_topic"
_W = "_lt_weight"
LANG = "_lt_lang"  # two/three-letter language code (base frame)
COUNTRY = "_lt_country"  # upper-case country code (base frame)
PAGE_TOKENS = "_lt_page_tokens"  # unique topic words of the source title and URL path
_DOM_SCRIPT = "_lt_dom_script"
_DOM_LANG = "_lt_dom_lang"
_TITLE_SCRIPT = "_lt_title_script"
_ANCHOR_SCRIPT = "_lt_anchor_script_row"


def _page_text(src: UrlParts) -> pl.Expr:
    """Title and URL path of the source page, the text its topic is read from."""
    return pl.concat_str([pl.col(SOURCE_TITLE), pl.col(src.path)], separator=" ", ignore_nulls=True)


def _seeds(lf: pl.LazyFrame, tgt: UrlParts) -> pl.LazyFrame:
    """(profile, token) seed words: target URL path words, the brand and its hyphenated parts."""
    paths = lf.select(PROFILE, topic_tokens(pl.col(tgt.path)).alias(_TOK)).unique().explode(_TOK)
    name = domain_name(pl.col(tgt.domain), pl.col(tgt.suffix))
    brand = (
        lf.select(PROFILE, pl.concat_list(pl.col(BRAND), topic_tokens(name)).alias(_TOK))
        .unique()
        .explode(_TOK)
    )
    return (
        pl.concat([paths, brand])
        .filter(pl.col(_TOK).is_not_null())
        .unique()
        .with_columns(pl.lit(True).alias(_SEED))
    )


def topic_weights(base: pl.LazyFrame, tgt: UrlParts) -> pl.LazyFrame:
    """(profile, token, weight): how much each word belongs to the profile's topic (0..1)."""
    seeds = _seeds(base, tgt)
    domain_tokens = (
        base.select(PROFILE, REF_DOMAIN, pl.col(PAGE_TOKENS).alias(_TOK))
        .explode(_TOK)
        .filter(pl.col(_TOK).is_not_null())
        .unique()
        .join(seeds, on=[PROFILE, _TOK], how="left", nulls_equal=True)
        # A domain is on topic when any of its pages uses a seed word.
        .with_columns(pl.col(_SEED).fill_null(False).any().over(PROFILE, REF_DOMAIN).alias(_ON))
    )
    counted = domain_tokens.group_by(PROFILE, _TOK).agg(
        pl.len().cast(pl.Float64).alias("_df"),
        pl.col(_ON).sum().cast(pl.Float64).alias("_on_df"),
    )
    return (
        counted.join(seeds, on=[PROFILE, _TOK], how="full", coalesce=True, nulls_equal=True)
        .with_columns(
            pl.when(pl.col(_SEED).fill_null(False))
            .then(1.0)
            .otherwise(pl.col("_on_df") / (pl.col("_df") + 1.0))
            .alias(_W)
        )
        .select(PROFILE, _TOK, _W)
    )


def _score_aggs(prefix: str) -> list[pl.Expr]:
    """Sum of word weights, word count and on-topic word count of exploded tokens."""
    return [
        pl.col(_W).fill_null(0.0).filter(pl.col(_TOK).is_not_null()).sum().alias(f"{prefix}_s"),
        pl.col(_TOK).count().alias(f"{prefix}_n"),
        (pl.col(_W) >= TOPIC_TERM_WEIGHT).sum().alias(f"{prefix}_t"),
    ]


def _page_scores(base: pl.LazyFrame, weights: pl.LazyFrame) -> pl.LazyFrame:
    """Per link (row): topic-weight sums of its page words."""
    return (
        base.select(ROW, PROFILE, pl.col(PAGE_TOKENS).alias(_TOK))
        .explode(_TOK)
        .join(weights, on=[PROFILE, _TOK], how="left", nulls_equal=True)
        .group_by(ROW)
        .agg(*_score_aggs("_p"))
    )


def _anchor_scores(base: pl.LazyFrame, weights: pl.LazyFrame) -> pl.LazyFrame:
    """Per unique (profile, anchor): topic-weight sums of its words."""
    return (
        base.select(PROFILE, ANCHOR_NORM)
        .filter(pl.col(ANCHOR_NORM).str.len_bytes() > 0)
        .unique()
        .with_columns(topic_tokens(pl.col(ANCHOR_NORM)).alias(_TOK))
        .explode(_TOK)
        .join(weights, on=[PROFILE, _TOK], how="left", nulls_equal=True)
        .group_by(PROFILE, ANCHOR_NORM)
        .agg(*_score_aggs("_a"))
    )


def prepare_relevance(lf: pl.LazyFrame, src: UrlParts) -> pl.LazyFrame:
    """Add the scratch page words, text script, language and country (row-wise; base frame)."""
    lf = lf.with_columns(
        topic_tokens(_page_text(src)).alias(PAGE_TOKENS),
        pl.col(SOURCE_LANGUAGE).str.to_lowercase().str.extract(r"^\s*([a-z]{2,3})").alias(LANG),
        pl.col(SOURCE_COUNTRY).str.strip_chars().str.to_uppercase().alias(COUNTRY),
    )
    lf = add_script(lf, pl.col(SOURCE_TITLE), _TITLE_SCRIPT)
    lf = add_script(lf, pl.col(ANCHOR_NORM), _ANCHOR_SCRIPT)
    return lf.with_columns(pl.coalesce(_TITLE_SCRIPT, _ANCHOR_SCRIPT).alias(TEXT_SCRIPT)).drop(
        _TITLE_SCRIPT, _ANCHOR_SCRIPT
    )


def _country_table(base: pl.LazyFrame) -> pl.LazyFrame:
    """(profile, country, share of the profile's referring domains with a known country)."""
    known = base.filter(pl.col(COUNTRY).is_not_null())
    totals = known.group_by(PROFILE).agg(pl.col(REF_DOMAIN).n_unique().alias("_all"))
    return (
        known.group_by(PROFILE, COUNTRY)
        .agg(pl.col(REF_DOMAIN).n_unique().alias("_same"))
        .join(totals, on=PROFILE, how="left", nulls_equal=True)
        .select(
            PROFILE,
            COUNTRY,
            (pl.col("_same").cast(pl.Float64) / pl.col("_all").cast(pl.Float64)).alias(
                REL_COUNTRY_SHARE
            ),
        )
    )


def relevance_features(lf: pl.LazyFrame, base: pl.LazyFrame, tgt: UrlParts) -> pl.LazyFrame:
    """Add the ``rel_*`` features; every lookup table is computed from the prepared ``base``."""
    weights = topic_weights(base, tgt)
    lf = lf.join(_page_scores(base, weights), on=ROW, how="left", maintain_order="left")
    lf = lf.join(
        _anchor_scores(base, weights),
        on=[PROFILE, ANCHOR_NORM],
        how="left",
        nulls_equal=True,
        maintain_order="left",
    )
    for value, out in ((TEXT_SCRIPT, _DOM_SCRIPT), (LANG, _DOM_LANG)):
        table = dominant_table(base, PROFILE, value, REF_DOMAIN, out)
        lf = lf.join(table, on=PROFILE, how="left", nulls_equal=True, maintain_order="left")
    lf = lf.join(
        _country_table(base),
        on=[PROFILE, COUNTRY],
        how="left",
        nulls_equal=True,
        maintain_order="left",
    )

    words = pl.col("_p_n").fill_null(0) + pl.col("_a_n").fill_null(0)
    weight = pl.col("_p_s").fill_null(0.0) + pl.col("_a_s").fill_null(0.0)
    return lf.with_columns(
        # Rounded: the summation order is not fixed, and scores must be reproducible.
        pl.when(words > 0).then(weight / words.cast(pl.Float64)).round(9).alias(REL_TOPIC_SCORE),
        pl.when(words > 0)
        .then(pl.col("_p_t").fill_null(0) + pl.col("_a_t").fill_null(0))
        .cast(pl.Int32)
        .alias(REL_TOPIC_TERMS),
        (pl.col(TEXT_SCRIPT) != pl.col(_DOM_SCRIPT)).alias(REL_SCRIPT_MISMATCH),
        (pl.col(LANG) != pl.col(_DOM_LANG)).alias(REL_LANGUAGE_MISMATCH),
    ).drop("_p_s", "_p_n", "_p_t", "_a_s", "_a_n", "_a_t", _DOM_SCRIPT, _DOM_LANG)
