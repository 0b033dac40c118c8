"""MLflow run logging for training, evaluation and comparisons (beside :mod:`models.registry`).

Each function expects :func:`models.registry.configure` to have chosen the store. A bundle's
training run is found again by its ``bundle_md5`` tag, so no run id has to travel between DVC
stages (which would make ``dvc.lock`` change on every run).
"""

from __future__ import annotations

import logging
import math
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import mlflow
import pandas as pd
import polars as pl

from models import registry

log = logging.getLogger(__name__)

BUNDLE_MD5_TAG = "bundle_md5"


def log_training_run(
    *,
    params: Mapping[str, Any],
    tags: Mapping[str, str],
    bundle_md5: str,
    valid_curves: Mapping[str, list[float]],
    best_iteration: int,
    bundle_dir: Path,
    example: pd.DataFrame,
) -> str:
    """Log one training run (params, tags, validation curves), register the bundle as a new
    version and move ``@challenger`` to it. Returns the version."""
    experiment = registry.ensure_experiment()
    with mlflow.start_run(experiment_id=experiment, run_name=f"train-{bundle_md5[:8]}"):
        mlflow.log_params({k: str(v) for k, v in params.items()})
        mlflow.set_tags({**tags, BUNDLE_MD5_TAG: bundle_md5, "stage": "train"})
        for metric, values in valid_curves.items():
            for step, value in enumerate(values):
                mlflow.log_metric(f"valid_curve_{metric}", value, step=step)
        mlflow.log_metric("best_iteration", best_iteration)
        mlflow.log_artifact(str(bundle_dir / "bundle.json"), artifact_path="bundle")
        version = registry.log_bundle(bundle_dir, example)
        registry.set_alias(registry.CHALLENGER, version)
    log.info("registered %s version %s (@%s)", registry.REGISTERED_MODEL, version, "challenger")
    return version


def log_evaluation(
    bundle_md5: str,
    metrics: Mapping[str, float],
    artifacts: Path,
    plots: Mapping[str, pl.DataFrame],
) -> bool:
    """Add held-out metrics, the evaluation files and figures to the training run of the bundle
    with ``bundle_md5``. Returns False when no such run exists."""
    experiment = registry.ensure_experiment()
    runs = mlflow.search_runs(
        experiment_ids=[experiment],
        filter_string=f"tags.{BUNDLE_MD5_TAG} = '{bundle_md5}'",
        order_by=["attributes.start_time DESC"],
        max_results=1,
        output_format="list",
    )
    if not runs:
        return False
    from models.figures import evaluation_figures

    with mlflow.start_run(run_id=runs[0].info.run_id):
        mlflow.log_metrics(dict(metrics))
        mlflow.log_artifacts(str(artifacts), artifact_path="eval")
        for name, figure in evaluation_figures(plots).items():
            mlflow.log_figure(figure, f"figures/{name}.png")
    return True


def log_comparison(
    names: list[str],
    tables: Mapping[str, pl.DataFrame],
    primary: str,
    shift: pl.DataFrame | None,
) -> None:
    """One ``compare`` run: every version's metric per set, the tables and the reason shift."""
    experiment = registry.ensure_experiment()
    with mlflow.start_run(experiment_id=experiment, run_name=f"compare-{'-'.join(names)}"):
        mlflow.set_tags({"stage": "compare", "versions": ",".join(names), "primary_set": primary})
        for set_name, frame in tables.items():
            # Rows of a small summary table, not links: no vectorising needed.
            for row in frame.iter_rows(named=True):
                for name in names:
                    value = row[name]
                    if value is not None and not math.isnan(value):
                        mlflow.log_metric(f"{name}_{set_name}_{row['metric']}", value)
        with tempfile.TemporaryDirectory() as tmp:
            for set_name, frame in tables.items():
                frame.write_csv(Path(tmp) / f"compare_{set_name}.csv")
            if shift is not None:
                shift.write_csv(Path(tmp) / "reason_shift.csv")
            mlflow.log_artifacts(tmp, artifact_path="comparison")
