"""Reasons in plain words, from LightGBM's own per-link contributions (TreeSHAP).

TreeSHAP costs about 1.5 ms a link, so reasons are computed only where they are shown (toxic and
review links) and only once per distinct feature row: links from one domain often share every
feature, and the result is joined back to each link.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Protocol

import numpy as np
import polars as pl

from models.columns import REASON_SEPARATOR, REASONS

_ROW_KEY = "__reason_key"


class HasReason(Protocol):
    """What the explainer needs from a feature registry entry."""

    @property
    def title(self) -> str: ...

    @property
    def reason(self) -> Callable[[pl.Expr], pl.Expr]: ...


def reason_pattern(reason: pl.Expr) -> pl.Expr:
    """A reason with its numbers masked, so that summaries count "7 domains share…" and "12
    domains share…" as one reason ("N domains share…")."""
    return reason.str.replace_all(r"\d[\d,.]*", "N")


def top_contributions(contrib: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Indices and values of the ``k`` features pushing hardest towards toxic, per row.

    Args:
        contrib: ``pred_contrib`` output, one column per feature plus the bias column last.
        k: how many reasons to keep.
    """
    per_feature = contrib[:, :-1]
    idx = np.argsort(-per_feature, axis=1, kind="stable")[:, :k]
    return idx, np.take_along_axis(per_feature, idx, axis=1)


def reason_columns(
    feature_names: Sequence[str], registry: Mapping[str, HasReason]
) -> tuple[list[pl.Expr], set[str]]:
    """One reason-text expression per feature, and every column those expressions read."""
    exprs: list[pl.Expr] = []
    roots: set[str] = set(feature_names)
    for i, name in enumerate(feature_names):
        entry = registry.get(name)
        expr = entry.reason(pl.col(name)) if entry else pl.lit(name.replace("_", " "))
        exprs.append(expr.cast(pl.String).alias(f"__reason_{i}"))
        roots.update(expr.meta.root_names())
    return exprs, roots


def reasons_for(
    rows: pl.DataFrame,
    contrib: np.ndarray,
    feature_names: Sequence[str],
    registry: Mapping[str, HasReason],
    k: int,
    depth: int | None = None,
) -> pl.Series:
    """Plain-words reasons for each row: the top ``k`` positive contributions, ``"; "``-joined.

    A registry entry may return null for a value that is no reason (a money-anchor flag that is
    off); the next strongest contribution then takes its place. A flagged link never comes
    without a reason: if no positive contribution has words, the strongest one with words is
    named, searching every feature; if no feature has words (say, authority alone, which is never
    a reason by itself), the strongest feature is named as one of several weak signals.

    Args:
        depth: how many of the strongest contributions to look through (default ``k + 3``).
    """
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
            again = reasons_for(subset, contrib[where], feature_names, registry, k, full)
        else:
            top = np.asarray(feature_names, dtype=object)[contrib[where, :-1].argmax(axis=1)]
            titles = [
                registry[name].title if name in registry else name.replace("_", " ") for name in top
            ]
            again = pl.Series([f"several weak signals together (strongest: {t})" for t in titles])
        out = out.scatter(where, again)
    return out.alias(REASONS)


def explain(
    frame: pl.DataFrame,
    contributions: Callable[[np.ndarray], np.ndarray],
    feature_names: Sequence[str],
    registry: Mapping[str, HasReason],
    k: int,
) -> pl.Series:
    """Reasons for every row of ``frame``, computed once per distinct feature row.

    Args:
        frame: rows to explain, holding the feature columns and whatever the reasons read.
        contributions: maps a float matrix of features to ``pred_contrib`` output.
        feature_names: the model's features, in model order.
        registry: feature name -> entry with a ``reason`` expression.
        k: reasons per row.
    """
    if frame.height == 0:
        return pl.Series(REASONS, [], dtype=pl.String)
    _, roots = reason_columns(feature_names, registry)
    keys = sorted(roots)
    keyed = frame.select(pl.struct(keys).hash(seed=0).alias(_ROW_KEY), *keys)
    unique = keyed.unique(subset=_ROW_KEY, keep="first", maintain_order=True)
    X = unique.select(pl.col(name).cast(pl.Float64) for name in feature_names).to_numpy()
    texts = reasons_for(unique, contributions(X), feature_names, registry, k)
    lookup = pl.DataFrame({_ROW_KEY: unique.get_column(_ROW_KEY), REASONS: texts})
    return keyed.select(_ROW_KEY).join(lookup, on=_ROW_KEY, how="left", maintain_order="left")[
        REASONS
    ]
