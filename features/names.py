"""The domain-name model, scored in pure polars from its table of weights.

The model (trained by :mod:`models.names` on names from public lists) is linear over *tokens* of a
registrable domain's name (the domain without its public suffix, ``cheap-seo4u``) and its suffix:

- ``ngram``: every character n-gram of ``^name$`` whose length appears in the weights table
  (counted once per name: the model is binary);
- ``suffix`` (``co.uk``) and ``tld`` (``uk``);
- ``length`` (characters, capped at 30), ``digits`` (capped at 6), ``hyphens`` (capped at 4) and
  ``vowels`` (tenths of the letters that are vowels, ``none`` without letters).

Its decision value is the intercept plus the sum of the weights of the tokens present, and the
score is the sigmoid of that. The weights table has one row per token (``kind``, ``token``,
``weight``) plus one ``intercept`` row, so scoring needs nothing but the table: no pickle, and the
n-gram lengths are read from the table itself. The tokens are generated here for training too
(:func:`lexical_tokens`), so the two cannot drift apart; a test checks that this scorer equals
scikit-learn's ``decision_function``.
"""

from __future__ import annotations

import polars as pl

from features.lookups import Lookup, join_lookups

# Columns of the weights table.
KIND = "kind"
TOKEN = "token"
WEIGHT = "weight"

# Token kinds.
NGRAM = "ngram"
SUFFIX = "suffix"
TLD = "tld"
LENGTH = "length"
DIGITS = "digits"
HYPHENS = "hyphens"
VOWELS = "vowels"
INTERCEPT = "intercept"
LEXICAL_KINDS: tuple[str, ...] = (SUFFIX, TLD, LENGTH, DIGITS, HYPHENS, VOWELS)

# Padding marks the name's start and end: "^ch" and "u$" are not "ch" and "u". Neither character
# can occur in a domain name.
PAD_START = "^"
PAD_END = "$"
MAX_LENGTH = 30
MAX_DIGITS = 6
MAX_HYPHENS = 4
VOWEL_LETTERS = "aeiou"

WEIGHTS_SCHEMA: dict[str, pl.DataType] = {
    KIND: pl.String(),
    TOKEN: pl.String(),
    WEIGHT: pl.Float64(),
}

# Scratch names.
_N = "_lt_nm_n"
_I = "_lt_nm_i"
_PADDED = "_lt_nm_padded"
_SUM = "_lt_nm_sum"
_BIAS = "_lt_nm_bias"
_UNITS = "_lt_nm_units"
_WEIGHT_UNIT = 2.0**-40  # token weights are summed as whole multiples of this (about 1e-12)
_NAME = "_lt_nm_name"
_SUFFIX = "_lt_nm_suffix"
_NGRAM_UNITS = "_lt_nm_ngram_units"
_NAME_ID = "_lt_nm_name_id"
_TOKEN_ID = "_lt_nm_token_id"
_LEXICAL_UNITS = "_lt_nm_lexical_units"


def padded(name: pl.Expr) -> pl.Expr:
    """``^name$``: the string whose character n-grams are the model's n-gram tokens."""
    return pl.concat_str([pl.lit(PAD_START), name, pl.lit(PAD_END)])


def lexical_tokens(name: pl.Expr, suffix: pl.Expr) -> dict[str, pl.Expr]:
    """The non-n-gram tokens of a name, one String expression per kind (null = no token)."""
    letters = name.str.count_matches(r"[a-z]")
    vowels = name.str.count_matches(f"[{VOWEL_LETTERS}]")
    vowel_tenths = (vowels * 10 // letters.clip(lower_bound=1)).cast(pl.String)
    return {
        SUFFIX: suffix,
        TLD: suffix.str.extract(r"([^.]+)$"),
        LENGTH: name.str.len_chars().clip(upper_bound=MAX_LENGTH).cast(pl.String),
        DIGITS: name.str.count_matches(r"[0-9]").clip(upper_bound=MAX_DIGITS).cast(pl.String),
        HYPHENS: name.str.count_matches("-", literal=True)
        .clip(upper_bound=MAX_HYPHENS)
        .cast(pl.String),
        VOWELS: pl.when(letters > 0).then(vowel_tenths).otherwise(pl.lit("none")),
    }


def ngram_tokens(
    names: pl.LazyFrame, name_col: str, lengths: pl.LazyFrame, keys: list[str]
) -> pl.LazyFrame:
    """(``keys``, kind, token) rows: the distinct n-grams of ``^name$`` for each length in
    ``lengths`` (a frame with one Int64 column ``_lt_nm_n``)."""
    return (
        names.select(*keys, padded(pl.col(name_col)).alias(_PADDED))
        .join(lengths, how="cross")
        .with_columns(pl.int_ranges(0, pl.col(_PADDED).str.len_chars() - pl.col(_N) + 1).alias(_I))
        .explode(_I)
        .filter(pl.col(_I).is_not_null())
        .select(
            *keys,
            pl.lit(NGRAM).alias(KIND),
            pl.col(_PADDED).str.slice(pl.col(_I), pl.col(_N)).alias(TOKEN),
        )
        .unique()
    )


NAME_KEYS: tuple[str, ...] = (_NAME, _SUFFIX)  # the key columns of :func:`logit_table`


def name_keys(name: pl.Expr, suffix: pl.Expr | None = None) -> list[pl.Expr]:
    """The key columns (:data:`NAME_KEYS`) that :func:`logit_table` is looked up by."""
    suffix = suffix if suffix is not None else pl.lit(None, dtype=pl.String)
    return [name.cast(pl.String).alias(_NAME), suffix.cast(pl.String).alias(_SUFFIX)]


def logit_table(keyed: pl.LazyFrame, weights: pl.LazyFrame, out: str) -> pl.LazyFrame:
    """(:data:`NAME_KEYS`, ``out``): the decision value of every distinct (name, suffix) of
    ``keyed``, a frame with the columns of :func:`name_keys`; null names are left out.

    The n-grams depend on the name alone, so they are generated and weighed once per distinct
    name and joined by token only (most of the table's time); the lexical tokens per (name,
    suffix). The two integer sums add up exactly to the sum over all tokens.
    """
    keys = list(NAME_KEYS)
    names = keyed.select(keys).unique().filter(pl.col(_NAME).is_not_null())
    weights = weights.select(KIND, TOKEN, pl.col(WEIGHT).cast(pl.Float64)).with_columns(
        (pl.col(WEIGHT) / _WEIGHT_UNIT).round().cast(pl.Int64).alias(_UNITS)
    )
    ngram_weights = (
        weights.filter(pl.col(KIND) == NGRAM).select(TOKEN, _UNITS).with_row_index(_TOKEN_ID)
    )
    lengths = ngram_weights.select(pl.col(TOKEN).str.len_chars().cast(pl.Int64).alias(_N)).unique()
    # Names and weight rows are numbered, so that an n-gram found twice in a name is counted
    # once by a unique over two integers (over the strings it was most of the work).
    name_ids = names.select(_NAME).unique().sort(_NAME).with_row_index(_NAME_ID).cache()
    ngram_sums = (
        name_ids.select(_NAME_ID, padded(pl.col(_NAME)).alias(_PADDED))
        .join(lengths, how="cross")
        .with_columns(pl.int_ranges(0, pl.col(_PADDED).str.len_chars() - pl.col(_N) + 1).alias(_I))
        .explode(_I)
        .filter(pl.col(_I).is_not_null())
        .select(_NAME_ID, pl.col(_PADDED).str.slice(pl.col(_I), pl.col(_N)).alias(TOKEN))
        .join(ngram_weights, on=TOKEN, how="inner")
        .unique([_NAME_ID, _TOKEN_ID])
        .group_by(_NAME_ID)
        .agg(pl.col(_UNITS).sum().alias(_NGRAM_UNITS))
        .join(name_ids, on=_NAME_ID, how="inner")
        .select(_NAME, _NGRAM_UNITS)
    )
    lexical_weights = weights.filter(pl.col(KIND).is_in([NGRAM, INTERCEPT]).not_())
    lexical_sums = (
        pl.concat(
            [
                names.select(*keys, pl.lit(kind).alias(KIND), expr.alias(TOKEN))
                for kind, expr in lexical_tokens(pl.col(_NAME), pl.col(_SUFFIX)).items()
            ]
        )
        .filter(pl.col(TOKEN).is_not_null())
        .join(lexical_weights, on=[KIND, TOKEN], how="inner")
        .group_by(keys)
        .agg(pl.col(_UNITS).sum().alias(_LEXICAL_UNITS))
    )
    # Summed exactly, as whole units of _WEIGHT_UNIT: a float sum depends on the order the joins
    # left the tokens in, and a name's score would then differ between batches, plans and
    # engines (linktox spark score's tasks against linktox score).
    units = pl.col(_NGRAM_UNITS).fill_null(0) + pl.col(_LEXICAL_UNITS).fill_null(0)
    # No intercept row means no model: the cross join then leaves no name with a value.
    bias = weights.filter(pl.col(KIND) == INTERCEPT).select(pl.col(WEIGHT).alias(_BIAS))
    return (
        names.join(bias, how="cross")
        .join(ngram_sums, on=_NAME, how="left")
        .join(lexical_sums, on=keys, how="left", nulls_equal=True)
        .select(*keys, (pl.col(_BIAS) + units * _WEIGHT_UNIT).alias(out))
    )


def name_logits(
    lf: pl.LazyFrame,
    name_col: str,
    weights: pl.LazyFrame,
    out: str,
    *,
    suffix_col: str | None = None,
) -> pl.LazyFrame:
    """Add ``out``: the name model's decision value (logit), as scikit-learn's
    ``decision_function`` gives it. See :func:`name_scores` for the rules."""
    suffix = pl.col(suffix_col) if suffix_col is not None else None
    keyed = lf.with_columns(*name_keys(pl.col(name_col), suffix))
    table = logit_table(keyed, weights, out)
    return join_lookups(keyed, [Lookup(table, NAME_KEYS)]).drop(NAME_KEYS)


def sigmoid(logit: pl.Expr) -> pl.Expr:
    """The logistic function, as scikit-learn's ``predict_proba`` applies it."""
    return 1.0 / (1.0 + (-logit).exp())


def name_scores(
    lf: pl.LazyFrame,
    name_col: str,
    weights: pl.LazyFrame,
    out: str,
    *,
    suffix_col: str | None = None,
) -> pl.LazyFrame:
    """Add ``out``: the name model's score in [0, 1] (sigmoid of its decision value).

    Tokens are generated for the *unique* (name, suffix) pairs only and joined back, so the cost
    grows with the number of distinct referring domains, not of links. Row order and height are
    kept. A null name gives a null score, and so does every row when ``weights`` is empty (no
    model). Without ``suffix_col`` the suffix and TLD tokens are absent, as for an unseen suffix.
    """
    return name_logits(lf, name_col, weights, out, suffix_col=suffix_col).with_columns(
        sigmoid(pl.col(out)).alias(out)
    )
