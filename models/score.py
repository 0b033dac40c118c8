"""Scoring a featurized batch: calibrated score, label from the bundle's cut-offs, reasons."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import polars as pl

from models.bundle import Bundle
from models.columns import LABEL, REASONS, TOXICITY_SCORE
from models.cutoffs import WHITELIST, label_expr, to_score
from models.explain import HasReason, explain

SCORE_COLUMNS: tuple[str, ...] = (TOXICITY_SCORE, LABEL, REASONS)


def feature_matrix(frame: pl.DataFrame, feature_names: tuple[str, ...]) -> np.ndarray:
    """The model's input matrix (float64, nulls as NaN, which LightGBM treats as missing)."""
    return frame.select(pl.col(name).cast(pl.Float64) for name in feature_names).to_numpy()


def score_frame(
    features: pl.DataFrame,
    bundle: Bundle,
    registry: Mapping[str, HasReason],
    n_reasons: int = 3,
) -> pl.DataFrame:
    """Add ``toxicity_score`` (0–100), ``label`` and ``reasons`` to a featurized batch.

    Reasons are computed only for toxic and review links; whitelisted links get an empty string.
    """
    missing = [name for name in bundle.feature_names if name not in features.columns]
    if missing:
        raise ValueError(f"features missing for this model: {', '.join(missing[:5])}")
    scores = to_score(bundle.predict_proba(feature_matrix(features, bundle.feature_names)))
    scored = features.with_columns(
        pl.Series(TOXICITY_SCORE, scores, dtype=pl.Float64)
    ).with_columns(label_expr(pl.col(TOXICITY_SCORE), bundle.cutoffs).alias(LABEL))
    flagged = scored.get_column(LABEL) != WHITELIST
    reasons = pl.Series(REASONS, [""] * scored.height, dtype=pl.String)
    if flagged.any():
        rows = scored.filter(flagged)
        texts = explain(rows, bundle.contributions, bundle.feature_names, registry, n_reasons)
        positions = np.flatnonzero(flagged.to_numpy())
        reasons = reasons.scatter(positions, texts.fill_null(""))
    return scored.with_columns(reasons)
