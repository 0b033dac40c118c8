"""Text helpers shared by the anchor, page and relevance features: all polars expressions."""

from __future__ import annotations

import polars as pl

from features.vocab import STOP_WORDS

# Writing scripts told apart by Unicode classes. Any non-Latin letter wins over Latin letters,
# because non-Latin pages routinely carry Latin brand names; among non-Latin scripts, the first
# letter found decides.
SCRIPTS: tuple[tuple[str, str], ...] = (
    ("cyrillic", r"\p{Cyrillic}"),
    ("greek", r"\p{Greek}"),
    ("arabic", r"\p{Arabic}"),
    ("hebrew", r"\p{Hebrew}"),
    ("cjk", r"[\p{Han}\p{Hiragana}\p{Katakana}\p{Hangul}]"),
    ("thai", r"\p{Thai}"),
    ("devanagari", r"\p{Devanagari}"),
    ("latin", r"\p{Latin}"),
)
NON_LATIN: tuple[str, ...] = tuple(name for name, _ in SCRIPTS if name != "latin")
_NON_LATIN_CLASS = (
    r"[\p{Cyrillic}\p{Greek}\p{Arabic}\p{Hebrew}\p{Han}\p{Hiragana}\p{Katakana}\p{Hangul}"
    r"\p{Thai}\p{Devanagari}]"
)

# A "word" is a run of letters or digits; a topic token is a run of 3+ letters (digits and short
# words carry little topic).
WORD_RE = r"[\p{L}\p{N}]+"
TOPIC_TOKEN_RE = r"\p{L}{3,}"


def normalise(text: pl.Expr) -> pl.Expr:
    """Lower-case, trim and collapse whitespace: the form anchors are compared in."""
    return text.str.to_lowercase().str.replace_all(r"\s+", " ").str.strip_chars()


def compact(text: pl.Expr) -> pl.Expr:
    """Letters and digits only ("Acme Analytics!" -> "acmeanalytics"), for brand matching."""
    return text.str.to_lowercase().str.replace_all(r"[^\p{L}\p{N}]+", "")


def words(text: pl.Expr) -> pl.Expr:
    """List of lower-case words (letters/digits runs)."""
    return text.str.to_lowercase().str.extract_all(WORD_RE)


def topic_tokens(text: pl.Expr) -> pl.Expr:
    """Unique lower-case topic tokens of a text, stop words and URL furniture removed."""
    return (
        text.str.to_lowercase()
        .str.extract_all(TOPIC_TOKEN_RE)
        .list.eval(pl.element().filter(~pl.element().is_in(list(STOP_WORDS))))
        .list.unique()
    )


def add_script(lf: pl.LazyFrame, text: pl.Expr, out: str) -> pl.LazyFrame:
    """Add ``out``: the writing script of ``text`` (see :data:`SCRIPTS`), null without letters.

    Two passes over the text: the first non-Latin letter, then whether there is any Latin
    letter; the per-script tests then run on that single character only.
    """
    first = f"{out}_first"
    lf = lf.with_columns(text.str.extract(f"({_NON_LATIN_CLASS})").alias(first))
    expr: pl.Expr = pl.when(text.str.contains(r"\p{Latin}")).then(pl.lit("latin"))
    for name, pattern in reversed(SCRIPTS[:-1]):
        expr = pl.when(pl.col(first).str.contains(pattern)).then(pl.lit(name)).otherwise(expr)
    return lf.with_columns(expr.alias(out)).drop(first)


def any_pattern(text: pl.Expr, alternation: str) -> pl.Expr:
    """True when a whole-word match of ``alternation`` occurs in ``text`` (case-insensitive)."""
    return text.str.contains(
        f"(?i)(?:^|[^\\p{{L}}\\p{{N}}])(?:{alternation})(?:$|[^\\p{{L}}\\p{{N}}])"
    )


def dominant_table(lf: pl.LazyFrame, key: str, value: str, unit: str, out: str) -> pl.LazyFrame:
    """Frame of (``key``, ``out``): the ``value`` most ``unit``s of each ``key`` have.

    Each ``unit`` (e.g. referring domain) votes once per value, so a sitewide link does not outvote
    a hundred single links. Ties break on the smaller value, so the result is deterministic.
    """
    return (
        lf.select(key, value, unit)
        .filter(pl.col(value).is_not_null())
        .unique()
        .group_by(key, value)
        .agg(pl.len().alias("_votes"))
        .sort([key, "_votes", value], descending=[False, True, False])
        .group_by(key, maintain_order=True)
        .agg(pl.col(value).first().alias(out))
    )
