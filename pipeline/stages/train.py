"""DVC stage ``train``: split without leakage, fit LightGBM, calibrate, choose cut-offs.

It writes files only: the bundle, the split, the row keys (which links it held out or trained
on) and ``training.json`` (parameters, validation curves, iterations). The ``register`` stage,
which always runs, turns them into a registered MLflow version, so a version is registered with
its evaluation even when DVC skips a stage whose outputs are already up to date.
"""

from __future__ import annotations

import json
import logging
import shutil
from pathlib import Path
from typing import Annotated

import numpy as np
import polars as pl
import typer

from features import schema
from features.build import FEATURE_COLUMNS
from models.bundle import KNOWLEDGE_DIR, KNOWLEDGE_FILES
from models.cutoffs import CutoffGoals
from models.evaluation import row_keys
from models.score import feature_matrix
from models.split import TRAIN, VALID, WEIGHT, SplitSpec, assign_splits, rows_of
from models.train import fit_bundle
from pipeline import io, paths
from pipeline.config import Params, load_params
from pipeline.options import ParamsOption
from pipeline.provenance import md5_file
from pipeline.world.tactics import TACTICS, TOXIC_TACTICS

log = logging.getLogger(__name__)


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
    out: Annotated[
        Path, typer.Option(help="Folder for the bundle, the split, row keys, training log.")
    ],
    params: ParamsOption = None,
) -> None:
    """Train, calibrate and pick cut-offs; write the bundle and what the register stage logs."""
    cfg = load_params(params)
    tcfg = cfg.train
    world_df, reviewed_df = io.read_parquet(world), io.read_parquet(reviewed)
    split = assign_splits(world_df, reviewed_df, split_spec(cfg))
    columns = (*FEATURE_COLUMNS, schema.LABEL, schema.TACTIC, schema.VIEW)
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
        cutoff_rows=(valid_rows.get_column(schema.VIEW) == schema.FULL_VIEW).to_numpy(),
        metadata={
            "seed": cfg.base.seed,
            "train_links": train_rows.height,
            "valid_links": valid_rows.height,
            "reviewed_links": reviewed_df.height,
            "data_md5": data_md5,
        },
    )
    with io.replace_dir(out / paths.BUNDLE.name) as staged:
        bundle.save(staged)
        # The knowledge the features were built with travels with the model.
        (staged / KNOWLEDGE_DIR).mkdir()
        for name in KNOWLEDGE_FILES.values():
            shutil.copyfile(knowledge / name, staged / KNOWLEDGE_DIR / name)
    io.write_parquet(split, out / paths.SPLIT.name)
    io.write_parquet(row_keys(world_df, reviewed_df, split), out / paths.ROW_KEYS.name)
    log.info(
        "trained on %d links (%d valid), best iteration %d, cut-offs review %.1f / toxic %.1f",
        train_rows.height,
        valid_rows.height,
        clf.best_iteration_,
        bundle.cutoffs.review,
        bundle.cutoffs.toxic,
    )
    flat = {
        f"train.{k}": v
        for k, v in tcfg.model_dump(exclude={"split", "cutoffs", "monotone"}).items()
    }
    flat.update({f"monotone.{k}": v for k, v in tcfg.monotone.items()})
    flat.update({f"split.{k}": v for k, v in tcfg.split.model_dump().items()})
    flat.update({f"cutoffs.{k}": v for k, v in tcfg.cutoffs.model_dump().items()})
    flat.update({"base.seed": cfg.base.seed, **{f"featurize.{k}": v for k, v in cfg.featurize}})
    training = {
        "params": {key: str(value) for key, value in flat.items()},
        "valid_curves": clf.evals_result_.get("valid", {}),
        "best_iteration": clf.best_iteration_,
        "trained_iterations": clf.trained_iterations_,
        "train_links": train_rows.height,
        "reviewed_links": reviewed_df.height,
        "data_md5": data_md5,
    }
    # No time stamp or commit here: the same data and params give the same bytes (dvc.lock).
    io.write_text_atomic(
        out / paths.TRAINING_LOG.name, json.dumps(training, indent=1, sort_keys=True) + "\n"
    )
