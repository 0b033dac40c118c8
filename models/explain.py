"""Reasons in plain words, from LightGBM's own per-link contributions (TreeSHAP).

TreeSHAP costs about 1.5 ms a link, so reasons are computed only where they are shown (toxic and
review links) and only once per distinct feature row: links from one domain often share every
feature, and the result is joined back to each link. A :class:`ReasonCache` carries the results
from one batch of an export to the next, so a row seen in an earlier batch is not explained
again (a link's reasons depend on its own row alone, never on the batch it came in).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Protocol

import numpy as np
import polars as pl

from models.columns import REASON_SEPARATOR, REASONS

_ROW_KEY = "__reason_key"
_ROW_KEY_2 = "__reason_key_2"  # a second, independent hash: 128 bits tell rows apart
_KEYS = [_ROW_KEY, _ROW_KEY_2]
_PUSH = "__push"


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

    A feature's words are computed only for the rows that rank it among their strongest
    ``depth``: one small vectorised pass per feature over (row, rank) pairs, not every feature's
    words for every row.

    Args:
        depth: how many of the strongest contributions to look through (default ``k + 3``).
    """
    full = len(feature_names)
    depth = min(full, depth or k + 3)
    idx, vals = top_contributions(contrib, depth)
    out = _pick(rows, idx, vals > 0, feature_names, registry, k)
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


def _pick(
    rows: pl.DataFrame,
    idx: np.ndarray,
    positive: np.ndarray,
    feature_names: Sequence[str],
    registry: Mapping[str, HasReason],
    k: int,
) -> pl.Series:
    """For each row, the words of its first ``k`` positive ranked features that have words,
    joined; else the words of its first ranked feature that has any; else null.

    Args:
        idx: per row, feature indices from strongest to weakest push (``top_contributions``).
        positive: per row and rank, whether that push is towards toxic.
    """
    n, depth = idx.shape
    if n == 0:
        return pl.Series(REASONS, [], dtype=pl.String)
    feature = idx.reshape(-1)
    row = np.repeat(np.arange(n, dtype=np.int64), depth)
    order = np.argsort(feature, kind="stable")
    starts = np.flatnonzero(np.r_[True, feature[order][1:] != feature[order][:-1]])
    parts = []
    for begin, stop in zip(starts, [*starts[1:], len(order)], strict=True):
        pairs = order[begin:stop]
        name = feature_names[int(feature[pairs[0]])]
        entry = registry.get(name)
        expr = entry.reason(pl.col(name)) if entry else pl.lit(name.replace("_", " "))
        roots = expr.meta.root_names()
        base = (
            rows.select(pl.col(roots).gather(row[pairs]))
            if roots
            else pl.DataFrame({"__pad": np.zeros(len(pairs), dtype=np.int8)})
        )
        # with_columns, not select: a constant reason (pl.lit) must broadcast to every pair.
        words = base.with_columns(expr.cast(pl.String).alias("__words")).get_column("__words")
        parts.append(pl.DataFrame({"__pair": pairs, "__words": words}))
    ranked = (
        pl.concat(parts)
        .sort("__pair")
        .with_columns(pl.Series("__row", row), pl.Series("__positive", positive.reshape(-1)))
        .filter(pl.col("__words").is_not_null())
    )
    chosen = ranked.group_by("__row", maintain_order=True).agg(
        pl.col("__words").filter(pl.col("__positive")).head(k).alias("__reasons"),
        pl.col("__words").first().alias("__strongest"),
    )
    joined = chosen.select(
        "__row",
        pl.when(pl.col("__reasons").list.len() > 0)
        .then(pl.col("__reasons").list.join(REASON_SEPARATOR))
        .otherwise(pl.col("__strongest"))
        .alias(REASONS),
    )
    every = pl.DataFrame({"__row": np.arange(n, dtype=np.int64)})
    return every.join(joined, on="__row", how="left", maintain_order="left").get_column(REASONS)


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
    return explain_with_push(frame, contributions, feature_names, registry, k, ())[0]


def push_of(contrib: np.ndarray, columns: Sequence[int]) -> np.ndarray:
    """Per row, how far ``columns``' contributions push towards toxic (positive parts only, in
    log-odds): what the score would lose if those features had nothing to say."""
    if not columns:
        return np.zeros(contrib.shape[0])
    return np.clip(contrib[:, list(columns)], 0.0, None).sum(axis=1)


class RowCache:
    """Outputs of the feature rows already computed, by row key, across the batches of one
    export, for one model and one set of settings (``check``).

    Args:
        max_rows: Rows kept at most; once full, later rows are computed again in each batch but
            no longer kept, so memory stays bounded on any export.
    """

    # What check() says when a cache meets another model or other settings.
    refusal = "this cache holds outputs of another model or settings"

    def __init__(self, max_rows: int) -> None:
        self.max_rows = max_rows
        self._parts: list[pl.DataFrame] = []
        self._rows = 0
        self._known: pl.DataFrame | None = None
        self._signature: tuple[object, ...] | None = None

    def check(self, signature: tuple[object, ...]) -> None:
        """Refuse a cache filled for another model or other settings."""
        if self._signature is None:
            self._signature = signature
        elif self._signature != signature:
            raise ValueError(self.refusal)

    def known(self) -> pl.DataFrame | None:
        """Every row kept: the two key columns and the outputs."""
        if self._known is None and self._parts:
            self._known = pl.concat(self._parts, rechunk=True)
            self._parts = [self._known]
        return self._known

    def add(self, rows: pl.DataFrame) -> None:
        room = self.max_rows - self._rows
        if room > 0 and rows.height:
            self._parts.append(rows.head(room))
            self._rows += min(room, rows.height)
            self._known = None


class ReasonCache(RowCache):
    """Reasons and pushes of the feature rows already explained (one model, registry, ``k``
    and push columns per cache); about 150 bytes a kept row."""

    refusal = "this ReasonCache holds reasons of another model or settings"

    def __init__(self, max_rows: int = 500_000) -> None:
        super().__init__(max_rows)


def explain_with_push(
    frame: pl.DataFrame,
    contributions: Callable[[np.ndarray], np.ndarray],
    feature_names: Sequence[str],
    registry: Mapping[str, HasReason],
    k: int,
    push_columns: Sequence[int],
    cache: ReasonCache | None = None,
) -> tuple[pl.Series, np.ndarray]:
    """:func:`explain`, plus each row's :func:`push_of` ``push_columns`` from the same
    contributions (so a scoring policy on them costs no second TreeSHAP pass).

    With a ``cache``, rows explained in an earlier call are taken from it, and the rows
    explained here are added to it: the same values, since a row's reasons and push depend on
    that row alone.
    """
    if frame.height == 0:
        return pl.Series(REASONS, [], dtype=pl.String), np.zeros(0)
    _, roots = reason_columns(feature_names, registry)
    keys = sorted(roots)
    row = pl.struct(keys)
    keyed = frame.select(row.hash(seed=0).alias(_ROW_KEY), row.hash(seed=1).alias(_ROW_KEY_2))
    unique = keyed.with_row_index("__at").unique(subset=_KEYS, keep="first", maintain_order=True)
    known = None
    if cache is not None:
        cache.check((tuple(feature_names), id(registry), k, tuple(push_columns)))
        known = cache.known()
        if known is not None:
            unique = unique.join(known.select(_KEYS), on=_KEYS, how="anti", maintain_order="left")
    parts = [] if known is None else [known]
    if unique.height:
        rows = frame.select(keys)[unique.get_column("__at")]
        X = rows.select(pl.col(name).cast(pl.Float64) for name in feature_names).to_numpy()
        contrib = contributions(X)
        texts = reasons_for(rows, contrib, feature_names, registry, k)
        fresh = unique.select(_KEYS).with_columns(
            texts.alias(REASONS), pl.Series(_PUSH, push_of(contrib, push_columns))
        )
        if cache is not None:
            cache.add(fresh)
        parts.append(fresh)
    lookup = pl.concat(parts) if len(parts) > 1 else parts[0]
    joined = keyed.join(lookup, on=_KEYS, how="left", maintain_order="left")
    return joined[REASONS], joined[_PUSH].to_numpy()
