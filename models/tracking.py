"""MLflow run logging for registration, evaluation and comparisons (beside :mod:`models.registry`).

Each function expects :func:`models.registry.configure` to have chosen the store. A bundle is
registered once, by the ``register`` DVC stage, which always runs: a registered version is found
again by its ``bundle_md5`` tag, so the same bundle never becomes two versions, no run id has to
travel between DVC stages (which would make ``dvc.lock`` change on every run), and a version
whose run lacks its evaluation (DVC skipped ``evaluate`` because the committed ``data/eval/``
already matched) gets it from the files.
"""

from __future__ import annotations

import logging
import math
import os
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import mlflow
import pandas as pd
import polars as pl
from mlflow import MlflowClient
from mlflow.exceptions import MlflowException

from models import registry

log = logging.getLogger(__name__)

BUNDLE_MD5_TAG = registry.BUNDLE_MD5_TAG
EVAL_MD5_TAG = "eval_md5"  # hash of the metrics.json logged to the run
PRIMARY_SET_TAG = "primary_set"  # the held-out set the version's own evaluation is judged on
ROW_KEYS_ARTIFACT = "row_keys"  # artifact folder of the row keys (models.evaluation.row_keys)
DVC_EXP_ENV = "DVC_EXP_NAME"  # set by `dvc exp run`


@dataclass(frozen=True)
class TrainingLog:
    """What the train stage measured, as it wrote it beside the bundle (``training.json``)."""

    params: Mapping[str, Any]
    valid_curves: Mapping[str, list[float]]
    best_iteration: int
    trained_iterations: int
    train_links: int
    reviewed_links: int
    data_md5: Mapping[str, str]


@dataclass(frozen=True)
class Registration:
    version: str
    run_id: str
    created: bool  # False: the bundle was registered before, nothing new was logged


def _run_name(version: str, training: TrainingLog) -> str:
    """``v3 · exp lean-oath · 412 reviewed links · lr 0.05``: what tells runs apart in the UI."""
    parts = [f"v{version}"]
    if os.environ.get(DVC_EXP_ENV):
        parts.append(f"exp {os.environ[DVC_EXP_ENV]}")
    parts.append(f"{training.reviewed_links:,} reviewed links")
    rate = training.params.get("train.learning_rate")
    if rate is not None:
        parts.append(f"lr {rate}")
    return " · ".join(parts)


def register_bundle(
    *,
    bundle_dir: Path,
    bundle_md5: str,
    training: TrainingLog,
    tags: Mapping[str, str],
    example: pd.DataFrame,
    row_keys: Path,
) -> Registration:
    """Register the bundle as a new version with its training run (params, tags, validation
    curves, which links it held out or trained on), unless a version already holds a bundle
    with this hash."""
    existing = registry.version_with_bundle(bundle_md5)
    if existing is not None:
        run_id = MlflowClient().get_model_version(registry.REGISTERED_MODEL, existing).run_id
        if not run_id:
            raise registry.RegistryError(
                f"version {existing} holds this bundle but has no MLflow run to log to"
            )
        return Registration(existing, run_id, created=False)
    experiment = registry.ensure_experiment()
    with mlflow.start_run(experiment_id=experiment, run_name=f"train-{bundle_md5[:8]}") as run:
        mlflow.log_params({k: str(v) for k, v in training.params.items()})
        exp = os.environ.get(DVC_EXP_ENV)
        mlflow.set_tags(
            {
                **tags,
                **{f"data_md5.{k}": v for k, v in training.data_md5.items()},
                **({"dvc_exp": exp} if exp else {}),
                BUNDLE_MD5_TAG: bundle_md5,
                "stage": "train",
            }
        )
        for metric, values in training.valid_curves.items():
            for step, value in enumerate(values):
                mlflow.log_metric(f"valid_curve_{metric}", value, step=step)
        mlflow.log_metrics(
            {
                "best_iteration": training.best_iteration,
                "trained_iterations": training.trained_iterations,
                "train_links": training.train_links,
                "reviewed_links": training.reviewed_links,
            }
        )
        mlflow.log_artifact(str(bundle_dir / "bundle.json"), artifact_path="bundle")
        mlflow.log_artifact(str(row_keys), artifact_path=ROW_KEYS_ARTIFACT)
        version = registry.log_bundle(bundle_dir, example)
        registry.tag_version(version, BUNDLE_MD5_TAG, bundle_md5)
        run_id = run.info.run_id
    client = MlflowClient()
    client.update_run(run_id, name=_run_name(version, training))
    client.set_tag(
        run_id,
        "mlflow.note.content",
        f"Bundle {bundle_md5[:8]}: {training.train_links:,} training links "
        f"({training.reviewed_links:,} reviewed), best iteration {training.best_iteration} of "
        f"{training.trained_iterations} trained.",
    )
    log.info("registered %s version %s", registry.REGISTERED_MODEL, version)
    return Registration(version, run_id, created=True)


def has_evaluation(run_id: str, eval_md5: str) -> bool:
    """Whether the run already carries the evaluation whose ``metrics.json`` has this hash."""
    return MlflowClient().get_run(run_id).data.tags.get(EVAL_MD5_TAG) == eval_md5


def log_evaluation(
    run_id: str,
    *,
    metrics: Mapping[str, float],
    primary: str,
    eval_md5: str,
    artifacts: Path,
    plots: Mapping[str, pl.DataFrame],
) -> bool:
    """Add held-out metrics, the evaluation files and figures to a version's run, unless it
    already carries this evaluation. Returns True when something was logged."""
    if has_evaluation(run_id, eval_md5):
        return False
    from models.figures import evaluation_figures

    with mlflow.start_run(run_id=run_id):
        mlflow.log_metrics(dict(metrics))
        mlflow.set_tags({EVAL_MD5_TAG: eval_md5, PRIMARY_SET_TAG: primary})
        mlflow.log_artifacts(str(artifacts), artifact_path="eval")
        for name, figure in evaluation_figures(plots).items():
            mlflow.log_figure(figure, f"figures/{name}.png")
    return True


def row_keys(version: str) -> pl.DataFrame | None:
    """The row keys stored with a version (:func:`models.evaluation.row_keys`), or None for a
    version registered before they were stored."""
    run_id = MlflowClient().get_model_version(registry.REGISTERED_MODEL, version).run_id
    if not run_id:
        return None
    try:
        local = mlflow.artifacts.download_artifacts(run_id=run_id, artifact_path=ROW_KEYS_ARTIFACT)
    except (MlflowException, OSError):
        return None
    files = sorted(Path(local).glob("*.parquet"))
    return pl.read_parquet(files[0]) if files else None


def log_comparison(
    names: list[str],
    tables: Mapping[str, pl.DataFrame],
    primary: str,
    shift: pl.DataFrame | None,
    verdict: str | None = None,
) -> str:
    """One ``compare`` run: every version's metric per set, the tables, the reason shift and
    the verdict. Returns the run's name."""
    experiment = registry.ensure_experiment()
    name = f"compare {' vs '.join(names)} on {primary}"
    with mlflow.start_run(experiment_id=experiment, run_name=name):
        mlflow.set_tags({"stage": "compare", "versions": ",".join(names), "primary_set": primary})
        if verdict:
            mlflow.set_tag("mlflow.note.content", verdict)
        for set_name, frame in tables.items():
            # Rows of a small summary table, not links: no vectorising needed.
            for row in frame.iter_rows(named=True):
                for version in names:
                    value = row[version]
                    if value is not None and not math.isnan(value):
                        mlflow.log_metric(f"{version}_{set_name}_{row['metric']}", value)
        with tempfile.TemporaryDirectory() as tmp:
            for set_name, frame in tables.items():
                frame.write_csv(Path(tmp) / f"compare_{set_name}.csv")
            if shift is not None:
                shift.write_csv(Path(tmp) / "reason_shift.csv")
            if verdict:
                (Path(tmp) / "verdict.txt").write_text(verdict + "\n", encoding="utf-8")
            mlflow.log_artifacts(tmp, artifact_path="comparison")
    return name
