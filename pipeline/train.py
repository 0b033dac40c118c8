"""DVC stage ``train``: split without leakage, fit LightGBM, calibrate, choose cut-offs, and log
the bundle to MLflow as a new registered version (aliased ``challenger``; promotion is explicit).
"""

from __future__ import annotations

import logging
import shutil
import tempfile
from pathlib import Path
from typing import Annotated

import mlflow
import numpy as np
import polars as pl
import typer

from features import schema
from features.build import FEATURE_COLUMNS, REF_DOMAIN
from models import registry
from models.score import feature_matrix
from models.split import TEST, TRAIN, VALID, split_links
from models.train import ToxicityClassifier, fit_bundle
from pipeline.config import DEFAULT_PARAMS, Params, load_params
from pipeline.featurize import read_parquet
from pipeline.generate import write_parquet
from pipeline.provenance import git_commit, md5_file, md5_tree

log = logging.getLogger(__name__)

REVIEWED_TEST = "reviewed_test"
SOURCE, ROW, SPLIT, WEIGHT = "source", "row", "split", "weight"
WORLD, REVIEWED = "world", "reviewed"
LINK_KEY = (schema.SOURCE_URL, schema.TARGET_URL)


def assign_splits(world: pl.DataFrame, reviewed: pl.DataFrame, cfg: Params) -> pl.DataFrame:
    """One row per training candidate: where it comes from, its row there, its split, weight.

    Reviewed labels override synthetic ones: a world link that was also reviewed is dropped in
    favour of the reviewed row. Reviewed links get their own domain-grouped test set once there
    are enough reviewed domains; until then they all train.
    """
    seed, split = cfg.base.seed, cfg.train.split
    reviewed_keys = reviewed.select(LINK_KEY).unique()
    world_idx = world.with_row_index(ROW).join(reviewed_keys, on=list(LINK_KEY), how="anti")
    world_split = split_links(
        world_idx.get_column(REF_DOMAIN).to_numpy(),
        world_idx.get_column(schema.LABEL).to_numpy(),
        test_size=split.test_size,
        valid_size=split.valid_size,
        seed=seed,
        site=world_idx.get_column(schema.SITE).to_numpy(),
        holdout_site=split.holdout_site,
    )
    parts = [
        pl.DataFrame(
            {
                SOURCE: WORLD,
                ROW: world_idx.get_column(ROW).cast(pl.UInt32),
                SPLIT: world_split.astype(str),
                WEIGHT: 1.0,
            }
        )
    ]
    if reviewed.height:
        rcfg = cfg.train.reviewed
        domains = reviewed.get_column(REF_DOMAIN).to_numpy().astype(str)
        r_split = np.full(reviewed.height, TRAIN, dtype=object)
        if len(np.unique(domains)) >= rcfg.min_test_domains:
            held = split_links(
                domains,
                reviewed.get_column(schema.LABEL).to_numpy(),
                test_size=rcfg.test_size,
                valid_size=0.01,
                seed=seed,
            )
            r_split[held == TEST] = REVIEWED_TEST
        parts.append(
            pl.DataFrame(
                {
                    SOURCE: REVIEWED,
                    ROW: pl.Series(np.arange(reviewed.height), dtype=pl.UInt32),
                    SPLIT: r_split.astype(str),
                    WEIGHT: rcfg.weight,
                }
            )
        )
    return pl.concat(parts)


def rows_of(
    split: pl.DataFrame, name: str, world: pl.DataFrame, reviewed: pl.DataFrame
) -> pl.DataFrame:
    """The feature rows (with weights) assigned to split ``name``, world rows first."""
    chosen = split.filter(pl.col(SPLIT) == name)
    frames = []
    for source, frame in ((WORLD, world), (REVIEWED, reviewed)):
        rows = chosen.filter(pl.col(SOURCE) == source)
        if rows.height:
            picked = frame.with_row_index(ROW).join(
                rows, on=ROW, how="inner", maintain_order="right"
            )
            frames.append(picked.select(*FEATURE_COLUMNS, schema.LABEL, WEIGHT))
    return pl.concat(frames) if frames else pl.DataFrame()


def train(
    world: Annotated[Path, typer.Option(help="World features (Parquet).")] = Path(
        "data/features/world.parquet"
    ),
    reviewed: Annotated[Path, typer.Option(help="Reviewed-link features (Parquet).")] = Path(
        "data/features/reviewed.parquet"
    ),
    out: Annotated[Path, typer.Option(help="Folder for the model bundle and the split.")] = Path(
        "data/models"
    ),
    params: Annotated[Path, typer.Option(help="Parameters file.")] = DEFAULT_PARAMS,
    tracking_uri: Annotated[
        str | None, typer.Option(help="MLflow tracking URI (default: $MLFLOW_TRACKING_URI).")
    ] = None,
) -> None:
    """Train, calibrate and pick cut-offs; register the bundle in MLflow."""
    cfg = load_params(params)
    tcfg = cfg.train
    world_df, reviewed_df = read_parquet(world), read_parquet(reviewed)
    split = assign_splits(world_df, reviewed_df, cfg)
    train_rows = rows_of(split, TRAIN, world_df, reviewed_df)
    valid_rows = rows_of(split, VALID, world_df, reviewed_df)
    data_md5 = {"world_features": md5_file(world), "reviewed_features": md5_file(reviewed)}
    bundle, clf = fit_bundle(
        feature_matrix(train_rows, FEATURE_COLUMNS),
        train_rows.get_column(schema.LABEL).to_numpy(),
        feature_matrix(valid_rows, FEATURE_COLUMNS),
        valid_rows.get_column(schema.LABEL).to_numpy(),
        feature_names=FEATURE_COLUMNS,
        params=tcfg.lgbm_params(cfg.base.seed),
        early_stopping_rounds=tcfg.early_stopping_rounds,
        calibration_method=tcfg.calibration.method,
        cutoff_goals=tcfg.cutoffs.model_dump(exclude={"use_default_bands"}),
        use_default_bands=tcfg.cutoffs.use_default_bands,
        w_train=train_rows.get_column(WEIGHT).to_numpy(),
        w_valid=valid_rows.get_column(WEIGHT).to_numpy(),
        metadata={
            "seed": cfg.base.seed,
            "train_links": train_rows.height,
            "valid_links": valid_rows.height,
            "reviewed_links": reviewed_df.height,
            "data_md5": data_md5,
        },
    )
    bundle_dir = out / "bundle"
    with tempfile.TemporaryDirectory(dir=out.parent if out.parent.exists() else None) as tmp:
        staged = Path(tmp) / "bundle"
        bundle.save(staged)
        out.mkdir(parents=True, exist_ok=True)
        shutil.rmtree(bundle_dir, ignore_errors=True)
        shutil.move(staged, bundle_dir)
    write_parquet(split, out / "split.parquet")
    log.info(
        "trained on %d links (%d valid), best iteration %d, cut-offs review %.1f / toxic %.1f",
        train_rows.height,
        valid_rows.height,
        clf.best_iteration_,
        bundle.cutoffs.review,
        bundle.cutoffs.toxic,
    )
    _log_to_mlflow(cfg, bundle_dir, train_rows, clf, data_md5, tracking_uri)


def _log_to_mlflow(
    cfg: Params,
    bundle_dir: Path,
    train_rows: pl.DataFrame,
    clf: ToxicityClassifier,
    data_md5: dict[str, str],
    tracking_uri: str | None,
) -> None:
    registry.configure(tracking_uri)
    experiment = registry.ensure_experiment()
    bundle_md5 = md5_tree(bundle_dir)
    flat = {f"train.{k}": v for k, v in cfg.train.model_dump(exclude={"split", "cutoffs"}).items()}
    flat.update({f"split.{k}": v for k, v in cfg.train.split.model_dump().items()})
    flat.update({f"cutoffs.{k}": v for k, v in cfg.train.cutoffs.model_dump().items()})
    flat.update({"base.seed": cfg.base.seed, **{f"featurize.{k}": v for k, v in cfg.featurize}})
    with mlflow.start_run(experiment_id=experiment, run_name=f"train-{bundle_md5[:8]}"):
        mlflow.log_params({k: str(v) for k, v in flat.items()})
        mlflow.set_tags(
            {
                "git_commit": git_commit(),
                "bundle_md5": bundle_md5,
                **{f"data_md5.{k}": v for k, v in data_md5.items()},
                "stage": "train",
            }
        )
        evals = clf.evals_result_.get("valid", {})
        for metric, values in evals.items():
            for step, value in enumerate(values):
                mlflow.log_metric(f"valid_curve_{metric}", value, step=step)
        mlflow.log_metric("best_iteration", clf.best_iteration_)
        bundle_json = bundle_dir / "bundle.json"
        mlflow.log_artifact(str(bundle_json), artifact_path="bundle")
        example = train_rows.select(FEATURE_COLUMNS).head(50).cast(pl.Float64).to_pandas()
        version = registry.log_bundle(bundle_dir, example)
        registry.set_alias(registry.CHALLENGER, version)
        log.info("registered %s version %s (@%s)", registry.REGISTERED_MODEL, version, "challenger")


if __name__ == "__main__":
    typer.run(train)
