"""Topical and linguistic relevance of the source page to the target site, learnt from the profile.

The site's vocabulary is bootstrapped from the profile itself (one target domain's links): in a
real backlink profile, legitimate links are the majority, and they talk about the site's subject.

1. *Seed words*: the topic words of the site's own target URL paths (``/analytics-dashboard``) and
   its brand/domain name. These are the site's words by construction (weight 1).
2. *Core words*: the words that many distinct *trusted* referring domains use in their page
   titles, URL paths and anchors (document frequency over domains, so a sitewide link or a
   1,000-page domain counts once). ``weight = min(1, trusted_domains / max(3, 5% of trusted
   domains))``. A domain is not trusted when its pages are in another script or language than most
   referring domains', or when its name or words carry spam vocabulary (``vocab.SPAM_*``) -- so a
   negative-SEO burst of hundreds of casino/pharma/adult domains cannot become "the site's topic".
3. *Associated words*: a trusted domain whose own pages (not its anchors, which name the target
   by construction) use a fully core word is "on topic"; any other word gets the share of the
   domains using it that are on topic (add-one smoothed), so a relevant blog's own words (its
   name, its niche terms) count too, while a word that only spam domains use stays near 0.

Stop words and generic words ("best", "review", "news", ``vocab.GENERIC_WORDS``) are ignored.
Spam-vertical words (unless the site's own vertical: a loan broker's "loans") and link-list words
("links", "partners", "directory") weigh 0. A link's topic score is the mean weight of the words of
its page (title and URL path) and anchor: a small blog on the site's subject scores high on every
site (even one whose links all point at its home page), a foreign casino page near 0.

Script/language mismatch and geography compare each link with the profile's dominant script,
language and country (counting each referring domain once).
"""

from __future__ import annotations

from collections.abc import Callable

import polars as pl

from features.anchors import BRAND_CLASS, URL_CLASS, domain_name
from features.columns import (
    ANCHOR_CLASS,
    ANCHOR_NORM,
    BRAND,
    PROFILE,
    REF_DOMAIN,
    ROW,
    SRC_NAME,
    TEXT_SCRIPT,
)
from features.links import PAGE_TITLE_SPAM
from features.lookups import Lookup
from features.schema import SOURCE_COUNTRY, SOURCE_LANGUAGE, SOURCE_TITLE
from features.text import TOPIC_TOKEN_RE, add_script, dominant_table
from features.urls import UrlParts
from features.vocab import (
    DIRECTORY_PATTERN,
    GENERIC_WORDS,
    SPAM_NAME_PATTERNS,
    SPAM_TEXT_PATTERNS,
    STOP_WORDS,
    VERTICALS,
)

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
CORE_DOMAIN_SHARE = 0.05  # a word used by this share of trusted domains is fully "core"
CORE_MIN_DOMAINS = 3.0  # ... and by at least this many (small profiles)

# Spam vocabulary per vertical: whole words in text, substrings in squashed names.
_VERTICAL_WORD_RE = {v: f"^(?:{SPAM_TEXT_PATTERNS[v]})$" for v in VERTICALS}
_VERTICAL_NAME_RE = {v: SPAM_NAME_PATTERNS[v] for v in VERTICALS}
_OWN = {v: f"_lt_own_{v}" for v in VERTICALS}  # the site's own vertical (from its seed words)

# Scratch columns.
_TOK = "_lt_tok"
_SEED = "_lt_seed"
_SPAM = "_lt_spam_word"
_ZERO = "_lt_zero_word"
_PAGE = "_lt_on_page"
_TRUST = "_lt_trusted"
_WORDY = "_lt_wordy"
_N_TRUSTED = "_lt_n_trusted"
_CORE = "_lt_core"
_W = "_lt_weight"
_DID = "_lt_domain_id"  # number of a (profile, referring domain) pair within domain_words
_TID = "_lt_word_id"  # number of a (profile, word) pair within domain_words
LANG = "_lt_lang"  # two/three-letter language code (base frame)
COUNTRY = "_lt_country"  # upper-case country code (base frame)
PAGE_TOKENS = "_lt_page_tokens"  # unique topic words of the source title and URL path
_DOM_SCRIPT = "_lt_dom_script"
_DOM_LANG = "_lt_dom_lang"
_TITLE_SCRIPT = "_lt_title_script"
_ANCHOR_SCRIPT = "_lt_anchor_script_row"


_IGNORED_WORDS = sorted(STOP_WORDS | GENERIC_WORDS)


def relevance_tokens(text: pl.Expr) -> pl.Expr:
    """Unique topic words of a text (as ``text.topic_tokens``), generic words removed too."""
    return (
        text.str.to_lowercase()
        .str.extract_all(TOPIC_TOKEN_RE)
        .list.eval(pl.element().filter(~pl.element().is_in(_IGNORED_WORDS)))
        .list.unique()
    )


def _page_text(src: UrlParts) -> pl.Expr:
    """Title and URL path of the source page, the text its topic is read from."""
    return pl.concat_str([pl.col(SOURCE_TITLE), pl.col(src.path)], separator=" ", ignore_nulls=True)


def _seeds(lf: pl.LazyFrame, tgt: UrlParts) -> pl.LazyFrame:
    """(profile, token) seed words: target URL path words, the brand and its hyphenated parts."""
    paths = (
        lf.select(PROFILE, tgt.path)
        .unique()
        .select(PROFILE, relevance_tokens(pl.col(tgt.path)).alias(_TOK))
        .explode(_TOK)
    )
    brand = (
        lf.select(PROFILE, BRAND, tgt.domain, tgt.suffix)
        .unique()
        .select(
            PROFILE,
            pl.concat_list(
                pl.col(BRAND),
                relevance_tokens(domain_name(pl.col(tgt.domain), pl.col(tgt.suffix))),
            ).alias(_TOK),
        )
        .explode(_TOK)
    )
    return (
        pl.concat([paths, brand])
        .filter(pl.col(_TOK).is_not_null())
        .unique()
        .with_columns(pl.lit(True).alias(_SEED))
    )


def _anchor_tokens(base: pl.LazyFrame) -> pl.LazyFrame:
    """(profile, anchor, token): the topic words of each unique non-empty anchor."""
    return (
        base.select(PROFILE, ANCHOR_NORM)
        .filter(pl.col(ANCHOR_NORM).str.len_bytes() > 0)
        .unique()
        .with_columns(relevance_tokens(pl.col(ANCHOR_NORM)).alias(_TOK))
        .explode(_TOK)
    )


def _own_verticals(seeds: pl.LazyFrame) -> pl.LazyFrame:
    """(profile, one flag per vertical): spam verticals that are the site's own business.

    A loan broker's seeds ("loanlantern", "/personal-loans") name the loans vertical: loan words
    are its topic there, not spam.
    """
    tok = pl.col(_TOK)
    return seeds.group_by(PROFILE).agg(
        (tok.str.contains(_VERTICAL_WORD_RE[v]) | tok.str.contains(_VERTICAL_NAME_RE[v]))
        .any()
        .alias(_OWN[v])
        for v in VERTICALS
    )


def _foreign_spam(text: pl.Expr, patterns: dict[str, str]) -> pl.Expr:
    """True when ``text`` matches the spam pattern of a vertical that is not the site's own."""
    return pl.any_horizontal(
        text.str.contains(patterns[v]) & ~pl.col(_OWN[v]).fill_null(False) for v in VERTICALS
    ).fill_null(False)


def _trusted_domains(
    base: pl.LazyFrame, dom_script: pl.LazyFrame, dom_lang: pl.LazyFrame, own: pl.LazyFrame
) -> pl.LazyFrame:
    """(profile, referring domain, trusted, has words) from its links and its name.

    A domain does not teach the site's topic when any of its pages is written in another script or
    language than most referring domains', or when its name carries (another vertical's) spam
    vocabulary. Its words are checked too, in :func:`domain_words`. ``_WORDY``: the domain has a
    page word or an anchor with a word (it counts in the share of domains using a word).
    """
    wordy = (pl.col(PAGE_TOKENS).list.len() > 0) | pl.col(ANCHOR_NORM).str.contains(r"\p{L}{3}")
    return (
        base.select(
            PROFILE, REF_DOMAIN, TEXT_SCRIPT, LANG, SRC_NAME, wordy.fill_null(False).alias(_WORDY)
        )
        .unique()
        .join(dom_script, on=PROFILE, how="left", nulls_equal=True)
        .join(dom_lang, on=PROFILE, how="left", nulls_equal=True)
        .join(own, on=PROFILE, how="left", nulls_equal=True)
        .group_by(PROFILE, REF_DOMAIN)
        .agg(
            ~(
                (pl.col(TEXT_SCRIPT) != pl.col(_DOM_SCRIPT)).fill_null(False)
                | (pl.col(LANG) != pl.col(_DOM_LANG)).fill_null(False)
                | _foreign_spam(pl.col(SRC_NAME), _VERTICAL_NAME_RE)
            )
            .all()
            .alias(_TRUST),
            pl.col(_WORDY).any(),
        )
    )


def domain_words(
    base: pl.LazyFrame,
    seeds: pl.LazyFrame,
    own: pl.LazyFrame,
    anchor_tokens: pl.LazyFrame,
    trusted: pl.LazyFrame,
    stage: Callable[[pl.LazyFrame], pl.LazyFrame] = pl.LazyFrame.cache,
) -> tuple[pl.LazyFrame, pl.LazyFrame, pl.LazyFrame]:
    """One row per (profile, referring domain, word) the domain uses in its pages or anchors,
    and the profiles' numbers of trusted referring domains with words (``_N_TRUSTED``).

    The (profile, referring domain) pairs are numbered (``_DID``) before the words are exploded,
    and the (profile, word) pairs (``_TID``, the vocabulary) once they are known, so that the
    joins and group-bys over millions of words run on integers rather than on pairs of strings;
    both are numbered in sorted order, so a table computed in another query (``stage``) gets the
    same numbers. The words come out with the numbers alone; ``vocabulary`` (the third frame)
    has the profile and word of each number.

    Flags: ``_ZERO`` (spam of another vertical, or link-list vocabulary, and not one of the site's
    seed words: never topical), ``_PAGE`` (used in a page title/URL, not only in an anchor) and
    ``_TRUST`` (the domain may teach the topic: trusted script, language and name, and no spam
    words anywhere in its pages or anchors).

    ``stage`` marks the frames used more than once (the domains' numbers, the distinct pages'
    and anchors' words, the words used, the domains' trust), as in :func:`relevance_tables`:
    collected one at a time, a large profile never holds the work of two, and none is exploded
    or scanned again for each use.
    """
    # Numbered in sorted order, so that the numbers do not depend on how a plan runs.
    ids = stage(
        base.select(PROFILE, REF_DOMAIN)
        .unique()
        .sort(PROFILE, REF_DOMAIN, nulls_last=True)
        .with_row_index(_DID)
    )
    # A domain's pages repeat their words on every link they carry (sitewide links, one listing
    # on many pages): each distinct (domain, page words) is exploded once, as each distinct
    # anchor is. The words used come out the same, since only their presence is kept below.
    # Exploded rows carry the domain's number alone (it names the profile too): the profile's
    # name is joined back onto the distinct words, not carried by every exploded one.
    page = stage(
        base.select(PROFILE, REF_DOMAIN, PAGE_TOKENS)
        .unique()
        .join(ids, on=[PROFILE, REF_DOMAIN], how="left", nulls_equal=True)
        .select(_DID, pl.col(PAGE_TOKENS).alias(_TOK))
        .explode(_TOK)
    )
    anchor = stage(
        base.select(PROFILE, REF_DOMAIN, ANCHOR_NORM)
        .unique()
        .join(ids, on=[PROFILE, REF_DOMAIN], how="left", nulls_equal=True)
        .join(anchor_tokens, on=[PROFILE, ANCHOR_NORM], how="inner", nulls_equal=True)
        .select(_DID, _TOK)
    )
    used = stage(
        pl.concat(
            [
                page.with_columns(pl.lit(True).alias(_PAGE)),
                anchor.with_columns(pl.lit(False).alias(_PAGE)),
            ]
        )
        .filter(pl.col(_TOK).is_not_null())
        .group_by(_DID, _TOK)
        .agg(pl.col(_PAGE).any())
        .join(ids.select(_DID, PROFILE), on=_DID, how="left")
        .select(PROFILE, _DID, _TOK, _PAGE)
    )
    # Word flags, computed once per distinct (profile, word).
    seed = pl.col(_SEED).fill_null(False)
    vocabulary = (
        used.select(PROFILE, _TOK)
        .unique()
        .sort(PROFILE, _TOK, nulls_last=True)
        .with_row_index(_TID)
        .join(seeds, on=[PROFILE, _TOK], how="left", nulls_equal=True)
        .join(own, on=PROFILE, how="left", nulls_equal=True)
        .select(
            PROFILE,
            _TOK,
            _TID,
            seed.alias(_SEED),
            (_foreign_spam(pl.col(_TOK), _VERTICAL_WORD_RE) & ~seed).alias(_SPAM),
            (pl.col(_TOK).str.contains(DIRECTORY_PATTERN) & ~seed).alias(_ZERO),
        )
        .cache()
    )
    # The words with their flags, once: the spam domains are read from it rather than from a
    # second join of every word with the spam vocabulary.
    flagged = (
        used.join(vocabulary, on=[PROFILE, _TOK], how="left", nulls_equal=True)
        .drop(PROFILE, _TOK)
        .cache()
    )
    spam_domains = (
        flagged.filter(pl.col(_SPAM))
        .select(_DID)
        .unique()
        .with_columns(pl.lit(False).alias("_no_spam"))
    )
    trust = stage(
        trusted.join(ids, on=[PROFILE, REF_DOMAIN], how="left", nulls_equal=True)
        .join(spam_domains, on=_DID, how="left")
        .select(
            PROFILE,
            _DID,
            _WORDY,
            (pl.col(_TRUST).fill_null(True) & pl.col("_no_spam").fill_null(True)).alias(_TRUST),
        )
    )
    trusted_count = (
        trust.filter(pl.col(_TRUST) & pl.col(_WORDY))
        .group_by(PROFILE)
        .agg(pl.len().cast(pl.Float64).alias(_N_TRUSTED))
    )
    words = flagged.join(trust.select(_DID, _TRUST), on=_DID, how="left")
    return (
        words.select(
            _DID,
            _TID,
            _PAGE,
            (pl.col(_SPAM) | pl.col(_ZERO)).alias(_ZERO),
            pl.col(_TRUST).fill_null(True),
        ),
        trusted_count,
        vocabulary.select(_TID, PROFILE, _TOK),
    )


def topic_weights(
    words: pl.LazyFrame,
    trusted_count: pl.LazyFrame,
    seeds: pl.LazyFrame,
    vocabulary: pl.LazyFrame,
) -> pl.LazyFrame:
    """(profile, token, weight): how much each word belongs to the profile's topic (0..1).

    ``words``, ``trusted_count`` and ``vocabulary`` are :func:`domain_words`'s frames."""
    trusted_words = words.filter(pl.col(_TRUST))
    full_support = pl.max_horizontal(
        pl.lit(CORE_MIN_DOMAINS), pl.col(_N_TRUSTED).fill_null(0.0) * CORE_DOMAIN_SHARE
    )
    # Round 1, the core vocabulary: the words many trusted domains use.
    core = (
        words.group_by(_TID)
        .agg(
            pl.col(_ZERO).first(),
            pl.len().cast(pl.Float64).alias("_df"),
            pl.col(_TRUST).sum().cast(pl.Float64).alias("_df_trusted"),
        )
        .join(vocabulary, on=_TID, how="left")
        .join(trusted_count, on=PROFILE, how="left", nulls_equal=True)
        .join(seeds, on=[PROFILE, _TOK], how="full", coalesce=True, nulls_equal=True)
        .with_columns(
            pl.when(pl.col(_SEED).fill_null(False))
            .then(1.0)
            .when(pl.col(_ZERO))
            .then(0.0)
            .otherwise((pl.col("_df_trusted") / full_support).clip(upper_bound=1.0))
            .alias(_CORE)
        )
        .cache()
    )
    # Round 2: a trusted domain whose own pages (not its anchors, which name the target by
    # construction) use a fully core word is on topic; a rarer word is then topical by the share
    # of the domains using it that are on topic (add-one smoothed).
    on_topic_domains = (
        trusted_words.filter(pl.col(_PAGE))
        .join(
            core.filter(pl.col(_CORE) >= 1.0).select(_TID),
            on=_TID,
            how="inner",
        )
        .select(_DID)
        .unique()
    )
    on_topic = (
        words.join(on_topic_domains, on=_DID, how="inner")
        .group_by(_TID)
        .agg(pl.len().cast(pl.Float64).alias("_on_df"))
    )
    return (
        # Seed words no domain uses have no number (null): they find no count, as before.
        core.join(on_topic, on=_TID, how="left")
        .with_columns(
            pl.when(pl.col(_SEED).fill_null(False) | pl.col(_ZERO).fill_null(False))
            .then(pl.col(_CORE))
            .otherwise(
                pl.max_horizontal(_CORE, pl.col("_on_df").fill_null(0.0) / (pl.col("_df") + 1.0))
            )
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


def _anchor_scores(anchor_tokens: pl.LazyFrame, weights: pl.LazyFrame) -> pl.LazyFrame:
    """Per unique (profile, anchor): topic-weight sums of its words."""
    return (
        anchor_tokens.join(weights, on=[PROFILE, _TOK], how="left", nulls_equal=True)
        .group_by(PROFILE, ANCHOR_NORM)
        .agg(*_score_aggs("_a"))
    )


def prepare_relevance(lf: pl.LazyFrame, src: UrlParts) -> pl.LazyFrame:
    """Add the scratch page words, text script, language and country (row-wise; base frame)."""
    lf = lf.with_columns(
        relevance_tokens(_page_text(src)).alias(PAGE_TOKENS),
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


def relevance_tables(
    base: pl.LazyFrame,
    tgt: UrlParts,
    stage: Callable[[pl.LazyFrame], pl.LazyFrame] = pl.LazyFrame.cache,
) -> dict[str, pl.LazyFrame]:
    """The profile-level tables of this family, from the whole prepared profile: the topic
    weight of every word, the scores of every anchor, the dominant script and language, and the
    share of domains per country.

    ``stage`` marks the intermediate tables used more than once: cached within one query by
    default, or collected on the spot when a large profile is computed table by table.
    """
    dom_script = stage(dominant_table(base, PROFILE, TEXT_SCRIPT, REF_DOMAIN, _DOM_SCRIPT))
    dom_lang = stage(dominant_table(base, PROFILE, LANG, REF_DOMAIN, _DOM_LANG))
    anchor_tokens = stage(_anchor_tokens(base))
    seeds = stage(_seeds(base, tgt))
    own = _own_verticals(seeds)
    trusted = stage(_trusted_domains(base, dom_script, dom_lang, own))
    words, trusted_count, vocabulary = domain_words(base, seeds, own, anchor_tokens, trusted, stage)
    weights = stage(topic_weights(stage(words), trusted_count, seeds, stage(vocabulary)))
    return {
        "weights": weights,
        "anchor_scores": stage(_anchor_scores(anchor_tokens, weights)),
        "dom_script": dom_script,
        "dom_lang": dom_lang,
        "country": stage(_country_table(base)),
    }


def relevance_lookups(base: pl.LazyFrame, tables: dict[str, pl.LazyFrame]) -> list[Lookup]:
    """What :func:`relevance_features` reads from :func:`relevance_tables`: the page words of
    each link of ``base`` (prepared links) scored by row, the anchor scores, the dominant script
    and language, the country share."""
    return [
        Lookup(_page_scores(base, tables["weights"]), (ROW,), nulls_equal=False),
        Lookup(tables["anchor_scores"], (PROFILE, ANCHOR_NORM)),
        Lookup(tables["dom_script"], (PROFILE,)),
        Lookup(tables["dom_lang"], (PROFILE,)),
        Lookup(tables["country"], (PROFILE, COUNTRY)),
    ]


def relevance_features(lf: pl.LazyFrame) -> pl.LazyFrame:
    """Add the ``rel_*`` features to links that carry the columns of :func:`relevance_lookups`."""

    # Brand-aware: a page in another script or language than the profile's links, with the brand
    # or the site's URL as anchor and no spam words in its title, is an editorial mention; its
    # own words cannot be judged by a vocabulary learnt mostly from the profile's main language,
    # so only its anchor counts. A foreign casino page linking with the URL stays off-topic.
    foreign = (pl.col(TEXT_SCRIPT) != pl.col(_DOM_SCRIPT)) | (pl.col(LANG) != pl.col(_DOM_LANG))
    named = pl.col(ANCHOR_CLASS).is_in([BRAND_CLASS, URL_CLASS])
    clean = ~pl.col(PAGE_TITLE_SPAM).fill_null(False)
    anchor_only = (foreign & named & clean).fill_null(False) & (pl.col("_a_n") > 0)
    page = pl.when(anchor_only).then(0).otherwise(1)
    words = page * pl.col("_p_n").fill_null(0) + pl.col("_a_n").fill_null(0)
    weight = page * pl.col("_p_s").fill_null(0.0) + pl.col("_a_s").fill_null(0.0)
    terms = page * pl.col("_p_t").fill_null(0) + pl.col("_a_t").fill_null(0)
    return lf.with_columns(
        # Rounded: the summation order is not fixed, and scores must be reproducible.
        pl.when(words > 0).then(weight / words.cast(pl.Float64)).round(9).alias(REL_TOPIC_SCORE),
        pl.when(words > 0).then(terms).cast(pl.Int32).alias(REL_TOPIC_TERMS),
        (pl.col(TEXT_SCRIPT) != pl.col(_DOM_SCRIPT)).alias(REL_SCRIPT_MISMATCH),
        (pl.col(LANG) != pl.col(_DOM_LANG)).alias(REL_LANGUAGE_MISMATCH),
    ).drop("_p_s", "_p_n", "_p_t", "_a_s", "_a_n", "_a_t", _DOM_SCRIPT, _DOM_LANG)
