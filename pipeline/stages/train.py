"""DVC stage ``train``: split without leakage, fit LightGBM, calibrate, choose cut-offs, and log
the bundle to MLflow as a new registered version (aliased ``challenger``; promotion is explicit).
"""

from __future__ import annotations

import logging
import shutil
from pathlib import Path
from typing import Annotated

import numpy as np
import polars as pl
import typer

from features import schema
from features.build import FEATURE_COLUMNS
from models import registry, tracking
from models.bundle import KNOWLEDGE_DIR, KNOWLEDGE_FILES
from models.cutoffs import CutoffGoals
from models.score import feature_matrix
from models.split import TRAIN, VALID, WEIGHT, SplitSpec, assign_splits, rows_of
from models.train import fit_bundle
from pipeline import io, paths
from pipeline.config import Params, load_params
from pipeline.options import ParamsOption, TrackingOption
from pipeline.provenance import git_commit, md5_file, md5_tree
from pipeline.world.tactics import TACTICS, TOXIC_TACTICS

log = logging.getLogger(__name__)

SIGNATURE_EXAMPLE_ROWS = 50  # rows of training features logged as the model's input example


def clean_truth(rows: pl.DataFrame) -> np.ndarray:
    """Noise-free truth: a world link is toxic when a toxic tactic made it; any other link
    (a reviewed one) is what its reviewer decided."""
    tactic = rows.get_column(schema.TACTIC)
    world = tactic.is_in(list(TACTICS))
    toxic = tactic.is_in(list(TOXIC_TACTICS))
    label = rows.get_column(schema.LABEL).cast(pl.Boolean)
    return (toxic | (~world & label)).to_numpy()


def split_spec(cfg: Params) -> SplitSpec:
    split, reviewed = cfg.train.split, cfg.train.reviewed
    return SplitSpec(
        seed=cfg.base.seed,
        test_size=split.test_size,
        valid_size=split.valid_size,
        holdout_site=split.holdout_site,
        reviewed_weight=reviewed.weight,
        reviewed_min_test_domains=reviewed.min_test_domains,
        reviewed_test_size=reviewed.test_size,
    )


def train(
    world: Annotated[Path, typer.Option(help="World features (Parquet).")],
    reviewed: Annotated[Path, typer.Option(help="Reviewed-link features (Parquet).")],
    knowledge: Annotated[Path, typer.Option(help="Open domain knowledge the features used.")],
    out: Annotated[Path, typer.Option(help="Folder for the model bundle and the split.")],
    params: ParamsOption = None,
    tracking_uri: TrackingOption = None,
) -> None:
    """Train, calibrate and pick cut-offs; register the bundle in MLflow."""
    cfg = load_params(params)
    tcfg = cfg.train
    world_df, reviewed_df = io.read_parquet(world), io.read_parquet(reviewed)
    split = assign_splits(world_df, reviewed_df, split_spec(cfg))
    columns = (*FEATURE_COLUMNS, schema.LABEL, schema.TACTIC)
    train_rows = rows_of(split, TRAIN, world_df, reviewed_df, columns)
    valid_rows = rows_of(split, VALID, world_df, reviewed_df, columns)
    data_md5 = {"world_features": md5_file(world), "reviewed_features": md5_file(reviewed)}
    bundle, clf = fit_bundle(
        feature_matrix(train_rows, FEATURE_COLUMNS),
        train_rows.get_column(schema.LABEL).to_numpy(),
        feature_matrix(valid_rows, FEATURE_COLUMNS),
        valid_rows.get_column(schema.LABEL).to_numpy(),
        feature_names=FEATURE_COLUMNS,
        params=tcfg.lgbm_params(cfg.base.seed, FEATURE_COLUMNS),
        early_stopping_rounds=tcfg.early_stopping_rounds,
        calibration_method=tcfg.calibration.method,
        goals=CutoffGoals(**tcfg.cutoffs.model_dump(exclude={"truth"})),
        w_train=train_rows.get_column(WEIGHT).to_numpy(),
        w_valid=valid_rows.get_column(WEIGHT).to_numpy(),
        truth_valid=clean_truth(valid_rows) if tcfg.cutoffs.truth == "clean" else None,
        metadata={
            "seed": cfg.base.seed,
            "train_links": train_rows.height,
            "valid_links": valid_rows.height,
            "reviewed_links": reviewed_df.height,
            "data_md5": data_md5,
        },
    )
    bundle_dir = out / "bundle"
    with io.replace_dir(bundle_dir) as staged:
        bundle.save(staged)
        # The knowledge the features were built with travels with the model.
        (staged / KNOWLEDGE_DIR).mkdir()
        for name in KNOWLEDGE_FILES.values():
            shutil.copyfile(knowledge / name, staged / KNOWLEDGE_DIR / name)
    io.write_parquet(split, out / "split.parquet")
    log.info(
        "trained on %d links (%d valid), best iteration %d, cut-offs review %.1f / toxic %.1f",
        train_rows.height,
        valid_rows.height,
        clf.best_iteration_,
        bundle.cutoffs.review,
        bundle.cutoffs.toxic,
    )
    registry.configure(paths.tracking_uri(tracking_uri))
    flat = {
        f"train.{k}": v
        for k, v in tcfg.model_dump(exclude={"split", "cutoffs", "monotone"}).items()
    }
    flat.update({f"monotone.{k}": v for k, v in tcfg.monotone.items()})
    flat.update({f"split.{k}": v for k, v in tcfg.split.model_dump().items()})
    flat.update({f"cutoffs.{k}": v for k, v in tcfg.cutoffs.model_dump().items()})
    flat.update({"base.seed": cfg.base.seed, **{f"featurize.{k}": v for k, v in cfg.featurize}})
    example = train_rows.select(FEATURE_COLUMNS).head(SIGNATURE_EXAMPLE_ROWS)
    tracking.log_training_run(
        params=flat,
        tags={"git_commit": git_commit(), **{f"data_md5.{k}": v for k, v in data_md5.items()}},
        bundle_md5=md5_tree(bundle_dir),
        valid_curves=clf.evals_result_.get("valid", {}),
        best_iteration=clf.best_iteration_,
        bundle_dir=bundle_dir,
        example=example.cast(pl.Float64).to_pandas(),
    )
