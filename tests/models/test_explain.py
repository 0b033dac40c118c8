from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import polars as pl
import pytest

from models.columns import REASON_SEPARATOR, REASONS
from models.explain import (
    HasReason,
    ReasonCache,
    explain,
    explain_with_push,
    reason_columns,
    reasons_for,
    top_contributions,
)
from models.train import ToxicityClassifier
from tests.models.conftest import FEATURES


@dataclass(frozen=True)
class Entry:
    title: str
    reason: Callable[[pl.Expr], pl.Expr]


REGISTRY = {
    "f_subnet": Entry("shared subnet", lambda v: pl.format("{} domains share this /24 subnet", v)),
    "f_money": Entry(
        "money anchor", lambda v: pl.when(v > 0).then(pl.lit("money anchor")).otherwise(None)
    ),
    "f_noise": Entry("noise", lambda v: pl.lit("noise")),
    "f_authority": Entry("authority", lambda v: pl.format("authority {}", v.round(0))),
}


def _frame_with_duplicates(data) -> tuple[pl.DataFrame, np.ndarray]:
    X, _, _ = data
    X = np.round(X[:400], 1)
    X = np.vstack([X, X[:150]])  # many links share one feature row, as links of one domain do
    return pl.DataFrame(X, schema=list(FEATURES), orient="row"), X


def test_top_contributions_pick_the_largest_positive_pushes():
    contrib = np.array([[0.1, 2.0, -1.0, 0.5, -3.0]])  # last column is the bias
    idx, vals = top_contributions(contrib, 2)
    assert idx.tolist() == [[1, 3]]
    assert vals.tolist() == [[2.0, 0.5]]


def test_reasons_on_unique_rows_equal_the_full_computation(data, lgbm_params):
    X_all, y, _ = data
    clf = ToxicityClassifier(lgbm_params, FEATURES).fit(X_all, y)

    def contributions(X):
        return clf.booster_.predict(X, pred_contrib=True)

    frame, X = _frame_with_duplicates(data)
    fast = explain(frame, contributions, FEATURES, REGISTRY, k=3)
    full = reasons_for(frame, contributions(X), FEATURES, REGISTRY, k=3)
    assert fast.to_list() == full.to_list()
    assert fast.len() == frame.height


def test_toxic_rows_are_explained_by_their_toxic_signals(data, lgbm_params):
    X_all, y, _ = data
    clf = ToxicityClassifier(lgbm_params, FEATURES).fit(X_all, y)
    frame = pl.DataFrame(
        {"f_subnet": [12.0], "f_money": [1.0], "f_noise": [0.0], "f_authority": [50.0]}
    )
    text = explain(
        frame, lambda X: clf.booster_.predict(X, pred_contrib=True), FEATURES, REGISTRY, k=2
    ).item()
    assert "12.0 domains share this /24 subnet" in text
    assert "money anchor" in text


def test_every_explained_row_gets_at_least_one_reason(data, lgbm_params):
    X_all, y, _ = data
    clf = ToxicityClassifier(lgbm_params, FEATURES).fit(X_all, y)
    frame, _ = _frame_with_duplicates(data)
    texts = explain(
        frame, lambda X: clf.booster_.predict(X, pred_contrib=True), FEATURES, REGISTRY, k=3
    )
    assert texts.null_count() == 0
    assert (texts.str.len_chars() > 0).all()


def test_a_flag_whose_top_features_have_no_words_still_gets_a_reason():
    silent = {name: Entry(name, lambda v: pl.lit(None, dtype=pl.String)) for name in FEATURES}
    silent["f_noise"] = Entry("noise", lambda v: pl.lit("noise words"))
    frame = pl.DataFrame({name: [1.0, 2.0] for name in FEATURES})
    # f_noise is the weakest push in both rows: it is found beyond the top k + 3 only by the
    # full search; the second registry has no words at all and falls back to titles.
    contrib = np.array([[3.0, 2.0, -5.0, 1.0, 0.0], [0.5, 0.4, -1.0, 0.3, 0.0]])
    texts = reasons_for(frame, contrib, FEATURES, silent, k=1, depth=2)
    assert texts.to_list() == ["noise words", "noise words"]
    mute = {name: Entry(name, lambda v: pl.lit(None, dtype=pl.String)) for name in FEATURES}
    texts = reasons_for(frame, contrib, FEATURES, mute, k=1)
    assert texts.to_list() == ["several weak signals together (strongest: f_subnet)"] * 2


def _reference_reasons(
    rows: pl.DataFrame,
    contrib: np.ndarray,
    feature_names: Sequence[str],
    registry: Mapping[str, HasReason],
    k: int,
    depth: int | None = None,
) -> pl.Series:
    """The reason picker as it was before it computed words per ranked pair (one
    when/then chain per rank over every feature): the reference the new one must equal."""
    full = len(feature_names)
    depth = min(full, depth or k + 3)
    idx, vals = top_contributions(contrib, depth)
    exprs, _ = reason_columns(feature_names, registry)
    # with_columns, not select: a constant reason (pl.lit) must broadcast to every row.
    names = [f"__reason_{i}" for i in range(len(feature_names))]
    picked = (
        rows.with_columns(exprs)
        .select(names)
        .with_columns(
            [pl.Series(f"__idx_{j}", idx[:, j]) for j in range(depth)]
            + [pl.Series(f"__pos_{j}", vals[:, j] > 0) for j in range(depth)]
        )
    )
    texts = []
    for j in range(depth):
        choose = pl.lit(None, dtype=pl.String)
        for i in range(len(feature_names)):
            choose = (
                pl.when(pl.col(f"__idx_{j}") == i).then(pl.col(f"__reason_{i}")).otherwise(choose)
            )
        texts.append(choose.alias(f"__text_{j}"))
    picked = picked.with_columns(texts)
    text_cols = [pl.col(f"__text_{j}") for j in range(depth)]
    positive = pl.concat_list(
        [pl.when(pl.col(f"__pos_{j}")).then(t) for j, t in enumerate(text_cols)]
    ).list.drop_nulls()
    fallback = pl.concat_list(text_cols).list.drop_nulls()
    joined = picked.select(
        pl.when(positive.list.len() > 0)
        .then(positive.list.head(k))
        .otherwise(fallback.list.head(1))
        .list.join(REASON_SEPARATOR)
        .alias(REASONS)
    )
    out = joined.get_column(REASONS)
    empty = out.is_null() | (out == "")
    if empty.any():
        where = np.flatnonzero(empty.to_numpy())
        if depth < full:
            subset = rows.select(pl.all().gather(where))
            again = _reference_reasons(subset, contrib[where], feature_names, registry, k, full)
        else:
            top = np.asarray(feature_names, dtype=object)[contrib[where, :-1].argmax(axis=1)]
            titles = [
                registry[name].title if name in registry else name.replace("_", " ") for name in top
            ]
            again = pl.Series([f"several weak signals together (strongest: {t})" for t in titles])
        out = out.scatter(where, again)
    return out.alias(REASONS)


def test_reasons_equal_the_reference_picker_on_ties_nulls_and_fallbacks():
    rng = np.random.default_rng(4)
    registry = {
        **REGISTRY,
        # words for some values only, an empty string, and a feature without an entry
        "f_noise": Entry("noise", lambda v: pl.when(v > 0.5).then(pl.lit("noise")).otherwise(None)),
        "f_authority": Entry(
            "authority", lambda v: pl.when(v > 1).then(pl.lit("")).otherwise(None)
        ),
    }
    names = (*FEATURES, "f_unlisted")
    frame = pl.DataFrame({name: np.round(rng.normal(size=300), 1) for name in names}).with_columns(
        pl.col("f_money").abs().round(0), pl.col("f_subnet").abs() * 10
    )
    contrib = np.round(rng.normal(size=(300, len(names) + 1)), 1)  # rounded: many ties
    contrib[:40, :-1] = -np.abs(contrib[:40, :-1])  # nothing pushes towards toxic
    for k, depth in ((3, None), (1, 2), (2, 5), (3, 1)):
        new = reasons_for(frame, contrib, names, registry, k, depth)
        ref = _reference_reasons(frame, contrib, names, registry, k, depth)
        assert new.to_list() == ref.to_list()
    mute = {name: Entry(name, lambda v: pl.lit(None, dtype=pl.String)) for name in names}
    assert (
        reasons_for(frame, contrib, names, mute, 3).to_list()
        == _reference_reasons(frame, contrib, names, mute, 3).to_list()
    )


def test_a_cache_across_batches_gives_the_same_reasons_and_pushes(data, lgbm_params):
    """Batches that share rows: with a cache, a row explained in an earlier batch is taken from
    it (LightGBM sees only the new rows) and every value is the one computed without it."""
    X_all, y, _ = data
    clf = ToxicityClassifier(lgbm_params, FEATURES).fit(X_all, y)
    explained: list[int] = []

    def contributions(X):
        explained.append(len(X))
        return clf.booster_.predict(X, pred_contrib=True)

    frame, _ = _frame_with_duplicates(data)
    push = [0, 2]
    whole = explain_with_push(frame, contributions, FEATURES, REGISTRY, 3, push)
    distinct = explained.pop()
    cache = ReasonCache()
    batches = [frame.slice(0, 300), frame.slice(250, 300), frame.slice(0, 80)]
    for batch, start in zip(batches, (0, 250, 0), strict=True):
        texts, pushes = explain_with_push(
            batch, contributions, FEATURES, REGISTRY, 3, push, cache=cache
        )
        assert texts.to_list() == whole[0].slice(start, batch.height).to_list()
        assert np.array_equal(pushes, whole[1][start : start + batch.height])
    # Each distinct row went through LightGBM once; the last batch was all in the cache.
    assert len(explained) == 2 and sum(explained) == distinct
    # A full cache keeps what it has and still explains every row.
    small = ReasonCache(max_rows=10)
    for batch in batches:
        texts, _ = explain_with_push(batch, contributions, FEATURES, REGISTRY, 3, push, cache=small)
        assert texts.len() == batch.height
    assert small.known() is not None and small.known().height == 10


def test_a_cache_refuses_other_settings(data, lgbm_params):
    X_all, y, _ = data
    clf = ToxicityClassifier(lgbm_params, FEATURES).fit(X_all, y)
    frame, _ = _frame_with_duplicates(data)

    def contributions(X):
        return clf.booster_.predict(X, pred_contrib=True)

    cache = ReasonCache()
    explain_with_push(frame, contributions, FEATURES, REGISTRY, 3, (), cache=cache)
    with pytest.raises(ValueError, match="another model or settings"):
        explain_with_push(frame, contributions, FEATURES, REGISTRY, 2, (), cache=cache)
