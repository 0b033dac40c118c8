"""A tiny model bundle trained in seconds on a small world, for command tests (no registry)."""

from __future__ import annotations

from pathlib import Path

from features.build import FEATURE_COLUMNS, build_features
from features.schema import LABEL
from models.cutoffs import CutoffGoals
from models.score import feature_matrix
from models.train import fit_bundle
from pipeline.world import generate_world


def train_tiny_bundle(path: Path, *, links: int = 4000, seed: int = 3) -> Path:
    """Train a 40-tree bundle on ``links`` world links and save it at ``path``."""
    feats = build_features(generate_world(links, seed).lazy()).collect()
    half = feats.height // 2
    train, valid = feats.head(half), feats.tail(feats.height - half)
    bundle, _ = fit_bundle(
        feature_matrix(train, FEATURE_COLUMNS),
        train.get_column(LABEL).to_numpy(),
        feature_matrix(valid, FEATURE_COLUMNS),
        valid.get_column(LABEL).to_numpy(),
        feature_names=FEATURE_COLUMNS,
        params={"objective": "binary", "num_iterations": 40, "num_leaves": 7, "verbosity": -1,
                "seed": 1, "deterministic": True, "force_row_wise": True, "num_threads": 1},
        early_stopping_rounds=10,
        calibration_method="isotonic",
        goals=CutoffGoals(toxic_precision=0.9, max_toxic_whitelisted=0.1,
                          use_default_bands=False, default_review=45.0, default_toxic=60.0,
                          max_review_share=1.0),
    )  # fmt: skip
    bundle.save(path)
    return path
