"""Measuring the knowledge on the held-out domains (``heldout.parquet``: never in any table, never
in training).

Two scores are measured, both through the same pure feature code a scoring run uses
(:func:`features.knowledge.knowledge_features`):

- ``name``: the name model's score alone;
- ``combined``: the lookups first (on a spam list -> 1, in a legitimate category or popular -> 0),
  the name score otherwise. Held-out domains are in no table *by construction*, so the lookups
  never fire on them and ``combined`` equals ``name``: the number says what the knowledge adds
  for domains it has never seen, which is the honest case for real exports.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import polars as pl
from sklearn.metrics import roc_auc_score

from features.knowledge import (
    DOMAIN,
    KN_LEGIT_LIST,
    KN_NAME_SPAM,
    KN_POPULARITY_RANK,
    KN_SPAM_LIST,
    NAME_SPAM_REASON,
    UNRANKED,
    Knowledge,
    knowledge_features,
)
from features.urls import host_domains

SIDE = "side"
GROUP = "group"
SPAM = "spam"

_NAME = "_name"
_SUFFIX = "_suffix"
_COMBINED = "_combined"


def _auc(labels: np.ndarray, scores: np.ndarray) -> float | None:
    if len(labels) == 0 or len(np.unique(labels)) < 2:
        return None
    return round(float(roc_auc_score(labels, scores)), 4)


def score_heldout(knowledge: Knowledge, heldout: pl.DataFrame) -> pl.DataFrame:
    """The held-out rows with the knowledge features and the combined score."""
    found = host_domains(heldout[DOMAIN])
    frame = heldout.with_columns(
        found.struct.field("suffix").alias(_SUFFIX),
    ).with_columns(
        pl.col(DOMAIN)
        .str.slice(0, pl.col(DOMAIN).str.len_chars() - pl.col(_SUFFIX).str.len_chars() - 1)
        .alias(_NAME)
    )
    scored = knowledge_features(frame.lazy(), knowledge, DOMAIN, _NAME, _SUFFIX).collect()
    combined = (
        pl.when(pl.col(KN_SPAM_LIST))
        .then(1.0)
        .when(pl.col(KN_LEGIT_LIST) | (pl.col(KN_POPULARITY_RANK) < UNRANKED))
        .then(0.0)
        .otherwise(pl.col(KN_NAME_SPAM))
    )
    return scored.with_columns(combined.alias(_COMBINED))


def evaluate_heldout(knowledge: Knowledge, heldout: pl.DataFrame) -> dict[str, Any]:
    """ROC-AUCs on the held-out set: overall, per spam group (vs every legit row) and per legit
    group (vs every spam row), plus how often the lookups fired and the reason threshold hit."""
    scored = score_heldout(knowledge, heldout)
    y = (scored[SIDE] == SPAM).to_numpy()
    name = scored[KN_NAME_SPAM].fill_null(0.5).to_numpy()
    combined = scored[_COMBINED].fill_null(0.5).to_numpy()
    per_group: dict[str, Any] = {}
    for side, group in scored.select(SIDE, GROUP).unique().sort(SIDE, GROUP).rows():
        mine = (scored[GROUP] == group).to_numpy() & (scored[SIDE] == side).to_numpy()
        other = ~y if side == SPAM else y
        keep = mine | other
        per_group[f"{side}/{group}"] = {
            "rows": int(mine.sum()),
            "auc_name": _auc(y[keep], name[keep]),
        }
    lookups = scored.select(
        (pl.col(KN_SPAM_LIST) | pl.col(KN_LEGIT_LIST) | (pl.col(KN_POPULARITY_RANK) < UNRANKED))
        .sum()
        .alias("hits")
    ).item()
    high = name >= NAME_SPAM_REASON
    return {
        "rows": scored.height,
        "spam": int(y.sum()),
        "legit": int((~y).sum()),
        "auc_name": _auc(y, name),
        "auc_combined": _auc(y, combined),
        "lookup_hits": int(lookups),
        "name_reason_threshold": NAME_SPAM_REASON,
        "spam_at_or_above_threshold": round(float(high[y].mean()), 4) if y.any() else None,
        "legit_at_or_above_threshold": round(float(high[~y].mean()), 4) if (~y).any() else None,
        "per_group": per_group,
    }
