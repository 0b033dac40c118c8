"""The pure polars name scorer: token scheme, order, nulls, no model."""

from __future__ import annotations

import itertools
import math

import polars as pl
import pytest

from features.names import (
    DIGITS,
    HYPHENS,
    INTERCEPT,
    LENGTH,
    NGRAM,
    SUFFIX,
    TLD,
    VOWELS,
    WEIGHTS_SCHEMA,
    name_logits,
    name_scores,
)


def weights(rows: list[tuple[str, str, float]]) -> pl.LazyFrame:
    return pl.LazyFrame(rows, schema=WEIGHTS_SCHEMA, orient="row")


TABLE = weights(
    [
        (INTERCEPT, "", -1.0),
        (NGRAM, "^a", 1.0),
        (NGRAM, "b$", 2.0),
        (NGRAM, "ab", 0.125),
        (NGRAM, "zzz", 100.0),
        (SUFFIX, "co.uk", 0.5),
        (TLD, "uk", 0.25),
        (LENGTH, "2", 0.0625),
        (DIGITS, "1", 8.0),
        (HYPHENS, "1", 16.0),
        (VOWELS, "5", 32.0),
        (VOWELS, "none", 64.0),
    ]
)


def logits(names: list[str | None], suffixes: list[str | None] | None = None) -> list:
    frame = pl.LazyFrame({"n": names, "s": suffixes or [None] * len(names)})
    out = name_logits(frame, "n", TABLE, "z", suffix_col="s").collect()
    return out["z"].to_list()


def test_tokens_are_summed_once_each() -> None:
    # "ab": ^a + b$ + ab + length 2 + vowels 5 (1 of 2 letters); suffix co.uk and tld uk.
    assert logits(["ab"], ["co.uk"]) == [pytest.approx(-1 + 1 + 2 + 0.125 + 0.0625 + 32 + 0.75)]
    # A repeated n-gram counts once (binary model): "abab" has "ab" twice.
    assert logits(["abab"], ["com"]) == [pytest.approx(-1 + 1 + 2 + 0.125 + 32)]


def test_the_sum_does_not_depend_on_the_order_of_the_tokens() -> None:
    # A float sum of 0.1, 0.2 and 0.3 is 0.6 or 0.6000000000000001 depending on the order; the
    # three n-grams of "ab" get them in every order, and the logit must be one value.
    found = set()
    for order in itertools.permutations([0.1, 0.2, 0.3]):
        ngrams = [(NGRAM, token, w) for token, w in zip(["^a", "ab", "b$"], order, strict=True)]
        table = weights([(INTERCEPT, "", 0.0), *ngrams])
        out = name_logits(pl.LazyFrame({"n": ["ab"]}), "n", table, "z").collect()
        found.add(out["z"].item())
    assert len(found) == 1 and found.pop() == pytest.approx(0.6, abs=1e-11)


def test_lexical_tokens() -> None:
    assert logits(["x1-"]) == [pytest.approx(-1 + 8 + 16)]  # no vowel: 0 tenths, no token
    assert logits(["123"]) == [pytest.approx(-1 + 64)]  # no letters: the "none" vowel token
    assert logits(["zzz"]) == [pytest.approx(-1 + 100)]


def test_order_height_duplicates_and_nulls() -> None:
    frame = pl.LazyFrame(
        {
            "row": [0, 1, 2, 3, 4],
            "n": ["ab", None, "zzz", "ab", "ab"],
            "s": ["co.uk", "com", None, "co.uk", "com"],
        }
    )
    out = name_scores(frame, "n", TABLE, "p", suffix_col="s").collect()
    assert out["row"].to_list() == [0, 1, 2, 3, 4]
    assert out.columns == ["row", "n", "s", "p"]
    p = out["p"].to_list()
    assert p[1] is None
    assert p[0] == p[3] != p[4]
    assert p[2] == pytest.approx(1 / (1 + math.exp(-99)))


def test_without_suffix_column_the_suffix_tokens_are_absent() -> None:
    frame = pl.LazyFrame({"n": ["ab"]})
    out = name_logits(frame, "n", TABLE, "z").collect()
    assert out["z"].to_list() == [pytest.approx(-1 + 1 + 2 + 0.125 + 0.0625 + 32)]


def test_no_model_gives_null_scores() -> None:
    empty = pl.LazyFrame(schema=WEIGHTS_SCHEMA)
    out = name_scores(pl.LazyFrame({"n": ["ab", None]}), "n", empty, "p").collect()
    assert out["p"].to_list() == [None, None]
    assert out["p"].dtype == pl.Float64


def test_a_name_without_known_tokens_scores_the_intercept() -> None:
    out = name_scores(pl.LazyFrame({"n": ["qqq"]}), "n", TABLE, "p").collect()
    assert out["p"].to_list() == [pytest.approx(1 / (1 + math.exp(1.0)))]


def test_a_names_score_does_not_depend_on_the_other_rows() -> None:
    """Weights are added in a fixed order: a name scores the same bits alone, in another row
    order or in any batch (the join and group-by hand the weights over in an order that varies
    with thread timing; float sums in another order differ in their last bit)."""
    import numpy as np

    rng = np.random.default_rng(4)
    letters = np.array(list("abcdefghij"))
    grams = {"".join(rng.choice(letters, n)) for n in (2, 3, 3, 4) for _ in range(400)}
    # Weights of very different sizes, so that the order of a float sum would show in its
    # result (up to 10^4: the exact sum counts units of 2^-40 in 64 bits, and a trained model's
    # weights are a few units at most).
    table = weights(
        [(INTERCEPT, "", 0.1)]
        + [(NGRAM, g, float(rng.normal() * 10.0 ** rng.integers(-8, 5))) for g in sorted(grams)]
    )
    names = ["".join(rng.choice(letters, rng.integers(4, 16))) for _ in range(3000)]
    frame = pl.DataFrame({"n": names})

    def score(part: pl.DataFrame) -> dict[str, float]:
        out = name_logits(part.lazy(), "n", table, "z").collect()
        return dict(zip(out["n"], out["z"], strict=True))

    whole = score(frame)
    assert len(set(whole.values())) > 1000
    for _ in range(3):
        assert score(frame.sample(fraction=1.0, shuffle=True, seed=_)) == whole
    batches: dict[str, float] = {}
    for start in range(0, frame.height, 97):
        batches.update(score(frame.slice(start, 97)))
    assert batches == whole
