"""A trained bundle for behaviour tests (Made-With-ML style): a model fitted the way the train
stage fits it, on a seeded synthetic world small enough for CI, with params.yaml's settings."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import polars as pl
import pytest

from features import schema
from features.build import FEATURE_COLUMNS, REF_DOMAIN, FeatureParams, build_features
from features.catalog import FEATURES
from features.knowledge import Knowledge
from models.bundle import Bundle
from models.cutoffs import CutoffGoals
from models.score import feature_matrix, score_frame
from models.split import TRAIN, VALID, split_links
from models.train import fit_bundle
from pipeline import paths
from pipeline.config import load_params
from pipeline.knowledge.load import load_heldout, load_knowledge
from pipeline.world import TOXIC_TACTICS, generate_world
from pipeline.world.exported import as_exported
from pipeline.world.knowledge import name_pools, with_real_names

WORLD_LINKS = 40_000
SEED = 11
SITE = "clean-saas"  # acmeanalytics.com, "Acme Analytics", product analytics
TARGET = "https://www.acmeanalytics.com/"


@pytest.fixture(scope="session")
def knowledge() -> Knowledge:
    return load_knowledge(paths.at_root(paths.KNOWLEDGE))


@pytest.fixture(scope="session")
def feature_params(knowledge: Knowledge) -> FeatureParams:
    days = load_params().featurize.burst_window_days
    return FeatureParams(burst_window_days=days, knowledge=knowledge)


@pytest.fixture(scope="session")
def bundle(feature_params: FeatureParams) -> Bundle:
    cfg = load_params()
    heldout = load_heldout(paths.at_root(paths.KNOWLEDGE))["domain"].to_list()
    pools = name_pools(feature_params.knowledge, heldout, SEED)
    world = as_exported(with_real_names(generate_world(WORLD_LINKS, SEED), pools, SEED), SEED)
    feats = build_features(world.lazy(), feature_params).collect()
    split = split_links(
        feats.get_column(REF_DOMAIN).to_numpy(),
        feats.get_column(schema.LABEL).to_numpy(),
        test_size=0.15,
        valid_size=0.2,
        seed=SEED,
    )
    train, valid = feats.filter(split == TRAIN), feats.filter(split == VALID)
    tcfg = cfg.train
    model, _ = fit_bundle(
        feature_matrix(train, FEATURE_COLUMNS),
        train.get_column(schema.LABEL).to_numpy(),
        feature_matrix(valid, FEATURE_COLUMNS),
        valid.get_column(schema.LABEL).to_numpy(),
        feature_names=FEATURE_COLUMNS,
        params=tcfg.lgbm_params(SEED, FEATURE_COLUMNS),
        early_stopping_rounds=tcfg.early_stopping_rounds,
        calibration_method=tcfg.calibration.method,
        goals=CutoffGoals(**tcfg.cutoffs.model_dump(exclude={"truth"})),
        truth_valid=valid.get_column(schema.TACTIC).is_in(list(TOXIC_TACTICS)).to_numpy(),
    )
    return model


@pytest.fixture(scope="session")
def profile() -> pl.DataFrame:
    """The rest of the audited profile: a sample of the site's links, as a user's export."""
    world = generate_world(1_500, SEED + 50, sites=[SITE])
    return world.select(list(schema.CANONICAL))


@pytest.fixture(scope="session")
def score_links(bundle: Bundle, profile: pl.DataFrame, feature_params: FeatureParams):
    """Score scenario links inside the site's profile; returns the scenario rows, scored."""

    def score(links: Sequence[dict[str, Any]], *, base: pl.DataFrame | None = None):
        extra = schema.conform(pl.LazyFrame(list(links), infer_schema_length=None)).collect()
        extra = extra.select(list(schema.CANONICAL))
        frame = pl.concat([profile if base is None else base, extra], how="vertical_relaxed")
        feats = build_features(frame.lazy(), feature_params).collect()
        scored = score_frame(feats, bundle, FEATURES, n_reasons=3)
        return scored.tail(extra.height)

    return score


def link(source_url: str, **attrs: Any) -> dict[str, Any]:
    """A scenario link to the audited site with plausible defaults for every other column."""
    row: dict[str, Any] = {
        "source_url": source_url,
        "target_url": TARGET,
        "anchor": "Acme Analytics",
        "nofollow": False,
        "ugc": False,
        "sponsored": False,
        "link_type": "text",
        "sitewide": False,
        "external_links": 12,
        "internal_links": 40,
    }
    row.update(attrs)
    return row


def labels(scored: pl.DataFrame) -> list[str]:
    return scored.get_column("label").to_list()


def scores(scored: pl.DataFrame) -> np.ndarray:
    return scored.get_column("toxicity_score").to_numpy()
