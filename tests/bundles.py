"""A tiny model bundle trained in seconds on a small world, for command tests (no registry)."""

from __future__ import annotations

import shutil
from pathlib import Path

import polars as pl

from features.build import FEATURE_COLUMNS, FeatureParams, build_features
from features.knowledge import Knowledge
from features.schema import LABEL
from models.bundle import KNOWLEDGE_DIR, KNOWLEDGE_FILES
from models.cutoffs import CutoffGoals
from models.score import feature_matrix
from models.train import fit_bundle
from pipeline.world import generate_world


def train_tiny_bundle(
    path: Path, *, links: int = 4000, seed: int = 3, knowledge: Path | None = None
) -> Path:
    """Train a 40-tree bundle on ``links`` world links and save it at ``path``.

    With ``knowledge`` (a folder of knowledge tables, such as ``data/knowledge``) some referring
    domains get real names (:func:`world_links`), the features use the tables, and the bundle
    carries them, as the train stage's bundles do.
    """
    tables = None
    if knowledge is not None:
        from pipeline.knowledge.load import load_knowledge

        tables = load_knowledge(knowledge)
    params = FeatureParams(knowledge=tables) if tables is not None else FeatureParams()
    feats = build_features(world_links(links, seed, tables).lazy(), params).collect()
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
    if knowledge is not None:
        (path / KNOWLEDGE_DIR).mkdir()
        for name in KNOWLEDGE_FILES.values():
            shutil.copyfile(knowledge / name, path / KNOWLEDGE_DIR / name)
    return path


def world_links(links: int, seed: int, knowledge: Knowledge | None = None) -> pl.DataFrame:
    """A world of ``links`` links; with ``knowledge``, a share of its referring domains renamed
    to names those tables know, so that the knowledge features fire."""
    world = generate_world(links, seed)
    if knowledge is None:
        return world
    from pipeline.world.knowledge import name_pools, with_real_names

    return with_real_names(world, name_pools(knowledge), seed)
