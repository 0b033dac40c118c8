"""Anchor-text features: the anchor class an SEO would assign, spam vocabulary and frequency.

Classes (``anchor_class``), first rule that fires wins:

1. ``null`` — the export carries no anchors for this profile at all (e.g. Search Console).
2. ``image`` / ``empty`` — no text: an image link without alt text, or an empty text link.
3. ``url`` — a naked URL or domain ("www.acme.com", "https://acme.com/x").
4. ``compound`` / ``brand`` — contains the target's brand (from its domain label, also matched
   with spaces/punctuation inserted: "Acme Analytics" for acmeanalytics.com); compound when
   commercial or spam words ride along ("acme analytics best price").
5. ``generic`` — says nothing ("click here", "website", "read more").
6. ``money_exact`` / ``money_partial`` — the export does not say which keywords the target ranks
   for, so money is inferred: the anchor carries commercial-intent words ("buy", "cheap", "best",
   "near me" ...) or spam-vertical words, or it consists only of the target's own keywords (words
   of the profile's target URL paths). *Exact* when the anchor is a bare keyword phrase (at most
   five words, no sentence words such as "the", "I", "this"); *partial* when such words sit in a
   longer, sentence-like anchor. An anchor of more than twelve words (a headline, a blurb) is a
   sentence, never money or compound, whatever words ride along.
7. ``generic`` (prefix: "click here to ..."), ``symbol`` (no letters or digits), else ``other``.
"""

from __future__ import annotations

import polars as pl

from features.columns import (
    ANCHOR_CLASS,
    ANCHOR_MONEY,
    ANCHOR_NORM,
    BRAND,
    PROFILE,
    REF_DOMAIN,
)
from features.lookups import Lookup, join_lookups
from features.schema import ANCHOR, LINK_TYPE
from features.text import (
    NON_LATIN,
    add_script,
    any_pattern,
    compact,
    normalise,
    topic_tokens,
    words,
)
from features.urls import UrlParts
from features.vocab import (
    COMMERCIAL_WORDS,
    GENERIC_ANCHORS,
    SENTENCE_WORDS,
    SPAM_TEXT_PATTERNS,
    STOP_WORDS,
    VERTICALS,
)

# Anchor classes (values of ANCHOR_CLASS).
BRAND_CLASS = "brand"
COMPOUND = "compound"
MONEY_EXACT = "money_exact"
MONEY_PARTIAL = "money_partial"
GENERIC = "generic"
URL_CLASS = "url"
EMPTY = "empty"
IMAGE = "image"
SYMBOL = "symbol"
OTHER = "other"
ANCHOR_CLASSES: tuple[str, ...] = (
    BRAND_CLASS,
    COMPOUND,
    MONEY_EXACT,
    MONEY_PARTIAL,
    GENERIC,
    URL_CLASS,
    EMPTY,
    IMAGE,
    SYMBOL,
    OTHER,
)
MONEY_CLASSES: tuple[str, ...] = (MONEY_EXACT, MONEY_PARTIAL, COMPOUND)

# Feature columns.
ANC_BRAND = "anc_brand"
ANC_COMPOUND = "anc_compound"
ANC_MONEY_EXACT = "anc_money_exact"
ANC_MONEY_PARTIAL = "anc_money_partial"
ANC_GENERIC = "anc_generic"
ANC_URL = "anc_url"
ANC_EMPTY = "anc_empty"
ANC_IMAGE = "anc_image"
ANC_SYMBOL = "anc_symbol"
ANC_SPAM: dict[str, str] = {vertical: f"anc_spam_{vertical}" for vertical in VERTICALS}
ANC_LENGTH = "anc_length"
ANC_WORDS = "anc_words"
ANC_NON_LATIN = "anc_non_latin"
ANC_SYMBOL_SHARE = "anc_symbol_share"
ANC_TARGET_KEYWORD = "anc_target_keyword"
ANC_PROFILE_LINK_SHARE = "anc_profile_link_share"
ANC_PROFILE_DOMAINS = "anc_profile_domains"

# One-hot view of the class: feature column -> class value.
CLASS_FLAGS: dict[str, str] = {
    ANC_BRAND: BRAND_CLASS,
    ANC_COMPOUND: COMPOUND,
    ANC_MONEY_EXACT: MONEY_EXACT,
    ANC_MONEY_PARTIAL: MONEY_PARTIAL,
    ANC_GENERIC: GENERIC,
    ANC_URL: URL_CLASS,
    ANC_EMPTY: EMPTY,
    ANC_IMAGE: IMAGE,
    ANC_SYMBOL: SYMBOL,
}

ANCHOR_FEATURES: tuple[str, ...] = (
    *CLASS_FLAGS,
    *ANC_SPAM.values(),
    ANC_LENGTH,
    ANC_WORDS,
    ANC_NON_LATIN,
    ANC_SYMBOL_SHARE,
    ANC_TARGET_KEYWORD,
    ANC_PROFILE_LINK_SHARE,
    ANC_PROFILE_DOMAINS,
)

MAX_EXACT_WORDS = 5  # a keyword phrase, not a sentence
MAX_MONEY_WORDS = 12  # longer anchors are sentences: never money or compound
SHORT_BRAND = 4  # brands shorter than this must match a whole word ("hp" is in "shop")

_URL_ANCHOR_RE = (
    r"^(?:https?://|www\.)\S+$|^[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.\p{L}{2,}(?:/\S*)?$"
)
_GENERIC_PREFIX_RE = (
    r"^(?:click here|click|read more|learn more|visit|more info|see more|find out more|go to|"
    r"check out|continue reading)(?:$|[^\p{L}])"
)
_PUNCT = " \"'“”‘’«»()[]<>.,:;!?-–—|*•…"

# Scratch columns.
_WORD = "_lt_aw"
_IS_KW = "_lt_is_kw"
_N_WORDS = "_lt_n_words"
_N_COMMERCIAL = "_lt_n_commercial"
_N_SENTENCE = "_lt_n_sentence"
_N_CONTENT = "_lt_n_content"
_N_KW = "_lt_n_kw"
_SQUASHED = "_lt_squashed"
_STRIPPED = "_lt_stripped"
_BRAND_HIT = "_lt_brand_hit"
_URL = "_lt_url"
_GENERIC = "_lt_generic"
_GENERIC_PREFIX = "_lt_generic_prefix"
_SYMBOL = "_lt_symbol"
_SCRIPT = "_lt_anchor_script"
_COMMERCIAL = "_lt_commercial"
_KEYWORD_ONLY = "_lt_keyword_only"
_PHRASE = "_lt_phrase"
_LINKS = "_lt_anchor_links"
_DOMAINS = "_lt_anchor_domains"
_KNOWN = "_lt_anchor_known"


def domain_name(domain: pl.Expr, suffix: pl.Expr) -> pl.Expr:
    """Registrable domain without its public suffix ("acme-analytics.co.uk" -> "acme-analytics")."""
    return domain.str.slice(0, domain.str.len_chars() - suffix.str.len_chars() - 1)


def target_keywords(base: pl.LazyFrame, tgt: UrlParts) -> pl.LazyFrame:
    """(profile, keyword) pairs: topic words of the profile's own target URL paths.

    The landing pages a site builds links to are named after its keywords (/cheap-flights-paris);
    an anchor made only of those words is an exact-match keyword anchor.
    """
    return (
        base.select(PROFILE, pl.col(tgt.path))
        .unique()
        .select(PROFILE, topic_tokens(pl.col(tgt.path)).alias(_WORD))
        .explode(_WORD)
        .filter(pl.col(_WORD).is_not_null())
        .unique()
        .with_columns(pl.lit(True).alias(_IS_KW))
    )


def prepare_anchors(lf: pl.LazyFrame, tgt: UrlParts) -> pl.LazyFrame:
    """Add the scratch brand and normalised anchor (row-wise; part of the base frame).

    The anchor is "" when this link's anchor is empty; :func:`apply_anchor_known` later makes it
    "unknown" (null) when the whole profile has no anchor, which one batch of rows cannot tell.
    """
    return lf.with_columns(
        compact(domain_name(pl.col(tgt.domain), pl.col(tgt.suffix))).alias(BRAND),
        normalise(pl.col(ANCHOR)).fill_null("").alias(ANCHOR_NORM),
    )


def anchor_known(base: pl.LazyFrame) -> pl.LazyFrame:
    """(profile, whether any of its links has an anchor): a Search Console export has none."""
    return base.group_by(PROFILE).agg(pl.col(ANCHOR).is_not_null().any().alias(_KNOWN))


def apply_anchor_known(lf: pl.LazyFrame, known: pl.LazyFrame) -> pl.LazyFrame:
    """Null the normalised anchor in profiles without anchors (``known``: :func:`anchor_known`)."""
    # Looked up on the profile column alone (join_lookups): a join would copy every column.
    return (
        join_lookups(lf, [Lookup(known, (PROFILE,))])
        .with_columns(pl.when(pl.col(_KNOWN)).then(pl.col(ANCHOR_NORM)).alias(ANCHOR_NORM))
        .drop(_KNOWN)
    )


def anchor_table(base: pl.LazyFrame, tgt: UrlParts) -> pl.LazyFrame:
    """One row per (profile, non-empty anchor): its class, flags and how often the profile uses it.

    All text work happens here, once per unique anchor of a profile, never per link.
    """
    word = pl.col(_WORD)
    content = ~word.is_in(list(STOP_WORDS)) & word.str.contains(r"\p{L}")
    is_kw = pl.col(_IS_KW).fill_null(False)
    table = (
        base.filter(pl.col(ANCHOR_NORM).str.len_bytes() > 0)
        .group_by(PROFILE, ANCHOR_NORM)
        .agg(
            pl.col(BRAND).first(),
            pl.len().alias(_LINKS),
            pl.col(REF_DOMAIN).n_unique().alias(_DOMAINS),
        )
        .with_columns(words(pl.col(ANCHOR_NORM)).alias(_WORD))
        .explode(_WORD, empty_as_null=True)  # keep word-less (symbol) anchors
        .join(target_keywords(base, tgt), on=[PROFILE, _WORD], how="left", nulls_equal=True)
        .group_by(PROFILE, ANCHOR_NORM)
        .agg(
            pl.col(BRAND, _LINKS, _DOMAINS).first(),
            word.count().cast(pl.Int32).alias(_N_WORDS),
            word.is_in(list(COMMERCIAL_WORDS)).sum().alias(_N_COMMERCIAL),
            word.is_in(list(SENTENCE_WORDS)).sum().alias(_N_SENTENCE),
            content.sum().alias(_N_CONTENT),
            (content & is_kw).sum().alias(_N_KW),
        )
    )
    anchor = pl.col(ANCHOR_NORM)
    brand = pl.col(BRAND)
    # Staged: every regex below runs once per unique anchor.
    table = table.with_columns(
        compact(anchor).alias(_SQUASHED), anchor.str.strip_chars(_PUNCT).alias(_STRIPPED)
    )
    squashed = pl.col(_SQUASHED)
    brand_hit = (
        pl.when(brand.str.len_chars() >= SHORT_BRAND)
        .then(squashed.str.contains(brand, literal=True))
        .otherwise(words(anchor).list.contains(brand) | (squashed == brand))
        .fill_null(False)
    )
    table = table.with_columns(
        *(any_pattern(anchor, SPAM_TEXT_PATTERNS[v]).alias(ANC_SPAM[v]) for v in VERTICALS),
        brand_hit.alias(_BRAND_HIT),
        anchor.str.contains(_URL_ANCHOR_RE).alias(_URL),
        pl.col(_STRIPPED).is_in(list(GENERIC_ANCHORS)).alias(_GENERIC),
        anchor.str.contains(_GENERIC_PREFIX_RE).alias(_GENERIC_PREFIX),
        (squashed.str.len_bytes() == 0).alias(_SYMBOL),
        (
            anchor.str.count_matches(r"[^\p{L}\p{N}\s]").cast(pl.Float64)
            / anchor.str.len_chars().cast(pl.Float64)
        ).alias(ANC_SYMBOL_SHARE),
    )
    table = add_script(table, anchor, _SCRIPT)
    table = table.with_columns(
        ((pl.col(_N_COMMERCIAL) > 0) | pl.any_horizontal(*ANC_SPAM.values())).alias(_COMMERCIAL),
        ((pl.col(_N_CONTENT) > 0) & (pl.col(_N_KW) == pl.col(_N_CONTENT))).alias(_KEYWORD_ONLY),
        ((pl.col(_N_WORDS) <= MAX_EXACT_WORDS) & (pl.col(_N_SENTENCE) == 0)).alias(_PHRASE),
    )
    # A sentence of more than MAX_MONEY_WORDS words (a headline, a blurb) is never a keyword
    # anchor, whatever words ride along ("... vote for them in the River Travel Magazine Best Of
    # contest" is a brand mention, not a money anchor).
    short = pl.col(_N_WORDS).fill_null(0) <= MAX_MONEY_WORDS
    commercial = pl.col(_COMMERCIAL) & short
    keyword_only = pl.col(_KEYWORD_ONLY) & short
    klass = (
        pl.when(pl.col(_URL))
        .then(pl.lit(URL_CLASS))
        .when(pl.col(_BRAND_HIT) & commercial)
        .then(pl.lit(COMPOUND))
        .when(pl.col(_BRAND_HIT))
        .then(pl.lit(BRAND_CLASS))
        .when(pl.col(_GENERIC))
        .then(pl.lit(GENERIC))
        .when((commercial | keyword_only) & pl.col(_PHRASE))
        .then(pl.lit(MONEY_EXACT))
        .when(commercial)
        .then(pl.lit(MONEY_PARTIAL))
        .when(pl.col(_GENERIC_PREFIX))
        .then(pl.lit(GENERIC))
        .when(pl.col(_SYMBOL))
        .then(pl.lit(SYMBOL))
        .otherwise(pl.lit(OTHER))
    )
    links_with_text = pl.col(_LINKS).sum().over(PROFILE)
    return table.select(
        PROFILE,
        ANCHOR_NORM,
        klass.alias(ANCHOR_CLASS),
        *ANC_SPAM.values(),
        pl.col(_N_WORDS),
        (keyword_only & ~pl.col(_BRAND_HIT)).alias(ANC_TARGET_KEYWORD),
        pl.col(_SCRIPT).is_in(list(NON_LATIN)).fill_null(False).alias(ANC_NON_LATIN),
        pl.col(ANC_SYMBOL_SHARE),
        # Rounded: polars divides by a profile total differently when the frame holds one
        # profile, and a profile's features must not depend on the other profiles in the frame.
        (pl.col(_LINKS).cast(pl.Float64) / links_with_text.cast(pl.Float64))
        .round(9)
        .alias(ANC_PROFILE_LINK_SHARE),
        (pl.col(_DOMAINS) - 1).cast(pl.Int32).alias(ANC_PROFILE_DOMAINS),
    )


def anchor_lookups(table: pl.LazyFrame) -> list[Lookup]:
    """What :func:`anchor_features` reads: ``table`` (:func:`anchor_table` of the base frame, see
    ``build``) by profile and normalised anchor."""
    return [Lookup(table, (PROFILE, ANCHOR_NORM))]


def anchor_features(lf: pl.LazyFrame) -> pl.LazyFrame:
    """Add ``anchor_class``, the scratch money flag and the ``anc_*`` features to links that
    carry the columns of :func:`anchor_lookups`."""
    anchor = pl.col(ANCHOR_NORM)
    empty = anchor == ""
    is_image = pl.col(LINK_TYPE).str.to_lowercase() == "image"
    klass = (
        pl.when(empty & is_image.fill_null(False))
        .then(pl.lit(IMAGE))
        .when(empty)
        .then(pl.lit(EMPTY))
        .otherwise(pl.col(ANCHOR_CLASS))
    )
    lf = lf.with_columns(klass.alias(ANCHOR_CLASS))
    klass_col = pl.col(ANCHOR_CLASS)
    known = anchor.is_not_null()
    return lf.with_columns(
        *(
            pl.when(known).then(klass_col == value).alias(name)
            for name, value in CLASS_FLAGS.items()
        ),
        *(
            pl.when(known).then(pl.col(name).fill_null(False)).alias(name)
            for name in (*ANC_SPAM.values(), ANC_TARGET_KEYWORD, ANC_NON_LATIN)
        ),
        klass_col.is_in(list(MONEY_CLASSES)).alias(ANCHOR_MONEY),
        anchor.str.len_chars().cast(pl.Int32).alias(ANC_LENGTH),
        pl.when(known).then(pl.col(_N_WORDS).fill_null(0)).alias(ANC_WORDS),
    ).drop(_N_WORDS)
