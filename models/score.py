"""Scoring a featurized batch: calibrated score, label from the bundle's cut-offs, reasons.

Two policies sit on top of the model. **A search engine's own page is whitelisted**: a link from
a result page, image search or the ``/url?q=`` redirector of Google, Bing and the others of
:data:`features.platforms.SEARCH_ENGINES` was recorded by a crawler, not placed by anyone, and no
disavow can reach it; its score is capped just under the review band.

Second, **topic relevance is never the only reason** for a review
or toxic label. Real profiles are full of legitimate pages that never name the site's topic (a
newspaper's puzzle blog, a planet aggregator, a university tag page), so a page flagged only
because it looks off-topic is whitelisted. The test is counterfactual and exact: the link's
TreeSHAP contributions of :data:`NEVER_ALONE` (their pushes towards toxic only) are taken out of
its log-odds; if the calibrated score that is left would be whitelisted, the link is
whitelisted. Its score is then shown in the top two points of the whitelist band, in the model's
order (never under the score that is left): giving it the score that is left would show it as
cleaner than links the model scored lower, which cost URL-only exports, where every page looks
off-topic, 0.03 of ROC-AUC. A link that other signals already flag keeps its score, and relevance
may still be one of its reasons. A page in another language or script than the profile's is
left to the model: an off-topic *foreign* page is two signals ("irrelevant foreign sources"),
not relevance alone; so is an off-topic page named after another site (``url_names_site``: the
machine-made SEO-statistics and "similar sites" report pages real disavow files are full of).

The model is run once per distinct feature row of a batch (links from one referring domain often
share every feature) and, with a :class:`ScoreCache`, once per distinct row of a whole export: a
link's raw output depends on its own row alone, so the numbers are LightGBM's, bit for bit.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import polars as pl

from features.columns import REF_DOMAIN
from features.platforms import SEARCH_ENGINES
from features.relevance import (
    REL_LANGUAGE_MISMATCH,
    REL_SCRIPT_MISMATCH,
    REL_TOPIC_SCORE,
    REL_TOPIC_TERMS,
)
from features.urls import URL_NAMES_SITE
from models.bundle import Bundle, BundleError
from models.columns import LABEL, REASONS, TOXICITY_SCORE
from models.cutoffs import WHITELIST, label_array, to_score
from models.explain import HasReason, ReasonCache, RowCache, explain_with_push, push_of

SCORE_COLUMNS: tuple[str, ...] = (TOXICITY_SCORE, LABEL, REASONS)

# Features that may add to a flag but never make one alone (see the module docstring).
NEVER_ALONE: tuple[str, ...] = (REL_TOPIC_SCORE, REL_TOPIC_TERMS)
# Where one of these is true the policy does not apply: with it, off-topic is a second signal
# (see the module docstring).
SECOND_SIGNALS: tuple[str, ...] = (REL_LANGUAGE_MISMATCH, REL_SCRIPT_MISMATCH, URL_NAMES_SITE)

_EPS = 1e-12
# How far under the review cut-off a search engine's page is placed (score points).
_UNDER_REVIEW = 0.1
# Width (score points) of the top of the whitelist band where links spared by the never-alone
# policy are shown, ordered by the model's score.
_SPARED_BAND = 2.0

_ROW_KEY = "__score_key"
_ROW_KEY_2 = "__score_key_2"  # a second, independent hash: 128 bits tell rows apart
_KEYS = [_ROW_KEY, _ROW_KEY_2]
_RAW = "__raw"
_AT = "__at"


class ScoreCache(RowCache):
    """The model's raw outputs of the feature rows already scored (one model per cache); 24
    bytes a kept row."""

    refusal = "this ScoreCache holds scores of another model"

    def __init__(self, max_rows: int = 2_000_000) -> None:
        super().__init__(max_rows)


def distinct_raw(
    features: pl.DataFrame, X: np.ndarray, bundle: Bundle, cache: ScoreCache | None = None
) -> np.ndarray:
    """``bundle.predict_raw(X)``, with LightGBM run once per distinct feature row (and, with a
    ``cache``, only on rows no earlier batch had): the same numbers, since a row's output depends
    on that row alone.

    Args:
        features: The batch, holding the model's feature columns (``X`` is their matrix).
        X: :func:`feature_matrix` of ``features``.
    """
    if features.height == 0:
        return bundle.predict_raw(X)
    # Rows equal in their feature columns have equal matrix rows (the cast is row-wise).
    row = pl.struct(bundle.feature_names)
    keyed = features.select(row.hash(seed=0).alias(_ROW_KEY), row.hash(seed=1).alias(_ROW_KEY_2))
    unique = keyed.with_row_index(_AT).unique(subset=_KEYS, keep="first", maintain_order=True)
    known = None
    if cache is not None:
        cache.check((bundle.feature_names, bundle.model_text))
        known = cache.known()
        if known is not None:
            unique = unique.join(known.select(_KEYS), on=_KEYS, how="anti", maintain_order="left")
    if known is None and unique.height == features.height:
        raw = bundle.predict_raw(X)  # every row distinct: no gather, no join
        if cache is not None:
            cache.add(keyed.with_columns(pl.Series(_RAW, raw, dtype=pl.Float64)))
        return raw
    parts = [] if known is None else [known]
    if unique.height:
        raw = bundle.predict_raw(X[unique.get_column(_AT).to_numpy()])
        fresh = unique.select(_KEYS).with_columns(pl.Series(_RAW, raw, dtype=pl.Float64))
        if cache is not None:
            cache.add(fresh)
        parts.append(fresh)
    lookup = pl.concat(parts) if len(parts) > 1 else parts[0]
    joined = keyed.join(lookup, on=_KEYS, how="left", maintain_order="left")
    return joined.get_column(_RAW).to_numpy()


def search_engine_pages(features: pl.DataFrame) -> np.ndarray:
    """Rows whose referring site is a search engine's own domain (see the module docstring)."""
    if REF_DOMAIN not in features.columns:
        return np.zeros(features.height, dtype=bool)
    first = pl.col(REF_DOMAIN).str.to_lowercase().str.extract(r"^([^./]+)\.[^/]+$", 1)
    hit = features.select(first.is_in(list(SEARCH_ENGINES)).fill_null(False)).to_series()
    return hit.to_numpy()


def feature_matrix(frame: pl.DataFrame, feature_names: tuple[str, ...]) -> np.ndarray:
    """The model's input matrix (float64, nulls as NaN, which LightGBM treats as missing)."""
    return frame.select(pl.col(name).cast(pl.Float64) for name in feature_names).to_numpy()


def never_alone_columns(feature_names: Sequence[str]) -> list[int]:
    """Positions of :data:`NEVER_ALONE` among the model's features (absent ones skipped)."""
    return [i for i, name in enumerate(feature_names) if name in NEVER_ALONE]


def eligible(X: np.ndarray, feature_names: Sequence[str]) -> np.ndarray:
    """Rows the policy may spare: none of :data:`SECOND_SIGNALS` is true (a missing value is
    not)."""
    columns = [i for i, name in enumerate(feature_names) if name in SECOND_SIGNALS]
    return ~(X[:, columns] == 1.0).any(axis=1) if columns else np.ones(len(X), dtype=bool)


def spared_proba(raw: np.ndarray, push: np.ndarray, bundle: Bundle) -> np.ndarray:
    """The calibrated probabilities left once ``push`` (log-odds) is taken out of each raw one."""
    p = np.clip(raw, _EPS, 1.0 - _EPS)
    margin = np.log(p) - np.log1p(-p) - push
    return bundle.calibrator.predict(1.0 / (1.0 + np.exp(-margin)))


def _spare(
    proba: np.ndarray,
    raw: np.ndarray,
    flagged: np.ndarray,
    push: np.ndarray,
    ok: np.ndarray,
    bundle: Bundle,
    shown: bool = True,
) -> np.ndarray:
    """Apply the policy in place on ``proba`` (``ok``: :func:`eligible`, per flagged row); return
    the positions (within ``flagged``) spared. ``shown``: see :func:`policy_proba`."""
    left = spared_proba(raw[flagged], push, bundle)
    spare = (label_array(to_score(left), bundle.cutoffs) == WHITELIST) & ok
    if not shown:
        proba[flagged[spare]] = left[spare]
        return np.flatnonzero(spare)
    # Shown in the top points of the whitelist band, in the model's order, never under the score
    # relevance left: a spared link does not look cleaner than links the model scored lower.
    at = flagged[spare]
    review = bundle.cutoffs.review / 100.0
    top = max(review - _UNDER_REVIEW / 100.0, 0.0)
    rank = np.clip((proba[at] - review) / max(1.0 - review, _EPS), 0.0, 1.0)
    placed = np.maximum(left[spare], top - _SPARED_BAND / 100.0 * (1.0 - rank))
    proba[at] = np.minimum(proba[at], placed)
    return np.flatnonzero(spare)


def policy_proba(X: np.ndarray, bundle: Bundle, *, shown: bool = True) -> np.ndarray:
    """Calibrated probabilities of a feature matrix after the never-alone policy, without
    reasons (evaluation judges what users see).

    ``shown=False`` gives a spared link its score without relevance instead of its place at
    the top of the whitelist band: the same labels, but scores that do not move with the
    cut-offs, which is what choosing the cut-offs needs (:func:`models.train.cutoffs_as_users_see`).
    """
    raw = bundle.predict_raw(X)
    proba = bundle.calibrator.predict(raw)
    flagged = np.flatnonzero(label_array(to_score(proba), bundle.cutoffs) != WHITELIST)
    columns = never_alone_columns(bundle.feature_names)
    if len(flagged) and columns:
        Xf = X[flagged]
        push = push_of(bundle.contributions(Xf), columns)
        _spare(proba, raw, flagged, push, eligible(Xf, bundle.feature_names), bundle, shown)
    return proba


def score_frame(
    features: pl.DataFrame,
    bundle: Bundle,
    registry: Mapping[str, HasReason],
    n_reasons: int = 3,
    cache: ReasonCache | None = None,
    score_cache: ScoreCache | None = None,
) -> pl.DataFrame:
    """Add ``toxicity_score`` (0–100), ``label`` and ``reasons`` to a featurized batch.

    Reasons are computed only for toxic and review links; whitelisted links get an empty string.
    ``cache`` carries the reasons of rows already explained from one batch of an export to the
    next (:class:`models.explain.ReasonCache`; the same values, fewer TreeSHAP passes), and
    ``score_cache`` the model's outputs (:class:`ScoreCache`; the same values, fewer predictions).
    """
    missing = [name for name in bundle.feature_names if name not in features.columns]
    if missing:
        # A bundle trained by another version of linktox: say so on one line (no traceback).
        raise BundleError(
            f"the model needs features this linktox does not compute: {', '.join(missing[:5])} "
            "(it was trained by another version; retrain with `make run` or pick another model)"
        )
    X = feature_matrix(features, bundle.feature_names)
    raw = distinct_raw(features, X, bundle, score_cache)
    proba = bundle.calibrator.predict(raw)
    flagged = np.flatnonzero(label_array(to_score(proba), bundle.cutoffs) != WHITELIST)
    texts = np.full(features.height, "", dtype=object)
    if len(flagged):
        cols = never_alone_columns(bundle.feature_names)
        names = bundle.feature_names
        rows = features[flagged]
        why, push = explain_with_push(
            rows, bundle.contributions, names, registry, n_reasons, cols, cache=cache
        )
        texts[flagged] = why.fill_null("").to_numpy()
        if cols:
            ok = eligible(X[flagged], names)
            texts[flagged[_spare(proba, raw, flagged, push, ok, bundle)]] = ""
    scores = to_score(proba)
    engines = search_engine_pages(features)
    if engines.any():
        ceiling = max(bundle.cutoffs.review - _UNDER_REVIEW, 0.0)
        scores = np.where(engines, np.minimum(scores, ceiling), scores)
        texts[engines] = ""
    return features.with_columns(
        pl.Series(TOXICITY_SCORE, scores, dtype=pl.Float64),
        pl.Series(LABEL, label_array(scores, bundle.cutoffs).tolist(), dtype=pl.String),
        pl.Series(REASONS, texts.tolist(), dtype=pl.String),
    )
