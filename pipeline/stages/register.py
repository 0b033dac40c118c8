"""DVC stage ``register`` (``always_changed``): the bundle in ``data/models`` becomes a registered
MLflow version that carries its evaluation.

DVC skips a stage whose inputs and outputs match ``dvc.lock``. On a fresh clone the committed
``data/eval/`` already matches, so ``evaluate`` is skipped while ``train`` reruns (its outputs are
not in git); a version registered by ``train`` would then have no metrics. Registration therefore
lives here, in a stage that runs on every ``dvc repro`` and is idempotent:

- a bundle is registered once (found again by its content hash, the ``bundle_md5`` tag), with
  its training log, which links it held out or trained on (the row keys) and ``@challenger``;
- its run gets the evaluation files, metrics and figures unless it already has this very
  ``metrics.json`` (tag ``eval_md5``);
- the evaluation must be of this bundle (``evaluated.json``), or nothing is logged.

Promotion stays explicit (``linktox models promote``).
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Annotated

import polars as pl
import typer

from models import registry, tracking
from models.bundle import Bundle
from models.evaluation import flat_metrics
from pipeline import paths
from pipeline.errors import InputError, LinktoxError
from pipeline.options import TrackingOption
from pipeline.provenance import git_commit, md5_file, md5_tree

log = logging.getLogger(__name__)

SIGNATURE_EXAMPLE_ROWS = 50  # rows of training features logged as the model's input example


def _read_json(path: Path, what: str) -> dict:
    if not path.is_file():
        raise InputError(f"{path}: {what} not found (run `dvc repro` first)")
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise InputError(f"{path}: not valid JSON ({exc.msg}, line {exc.lineno})") from exc


def register(
    bundle: Annotated[Path, typer.Option(help="Model bundle folder (written by train).")],
    training: Annotated[Path, typer.Option(help="training.json (written by train).")],
    row_keys: Annotated[
        Path, typer.Option(help="Which links the bundle held out or trained on (train).")
    ],
    evaluation: Annotated[Path, typer.Option(help="Evaluation folder (written by evaluate).")],
    world: Annotated[Path, typer.Option(help="World features, for the model's input example.")],
    tracking_uri: TrackingOption = None,
) -> None:
    """Register the bundle (once) and attach its evaluation to its MLflow run (once)."""
    bundle_md5 = md5_tree(bundle)
    evaluated = _read_json(evaluation / paths.EVALUATED_FILE, "evaluation record")
    if evaluated.get("bundle_md5") != bundle_md5:
        raise LinktoxError(
            f"{evaluation} measures another bundle ({str(evaluated.get('bundle_md5'))[:8]}) than "
            f"{bundle} ({bundle_md5[:8]}): run the evaluate stage first (`dvc repro`)"
        )
    metrics_path = evaluation / paths.METRICS_FILE
    doc = _read_json(metrics_path, "metrics")
    log_data = _read_json(training, "training log")
    uri = registry.configure(paths.tracking_uri(tracking_uri), create=True)
    model = Bundle.load(bundle)
    example = pl.read_parquet(
        world, n_rows=SIGNATURE_EXAMPLE_ROWS, columns=list(model.feature_names)
    )
    registration = tracking.register_bundle(
        bundle_dir=bundle,
        bundle_md5=bundle_md5,
        training=tracking.TrainingLog(
            params=log_data["params"],
            valid_curves=log_data["valid_curves"],
            best_iteration=log_data["best_iteration"],
            trained_iterations=log_data["trained_iterations"],
            train_links=log_data["train_links"],
            reviewed_links=log_data["reviewed_links"],
            data_md5=log_data["data_md5"],
        ),
        tags={"git_commit": git_commit()},
        example=example.cast(pl.Float64).to_pandas(),
        row_keys=row_keys,
    )
    version = registration.version
    registry.set_alias(registry.CHALLENGER, version)
    plots = {
        path.stem: pl.read_csv(path)
        for path in sorted((evaluation / paths.PLOTS_DIR).glob("*.csv"))
    }
    primary = doc["primary_set"]
    logged = tracking.log_evaluation(
        registration.run_id,
        metrics=flat_metrics(doc),
        primary=primary,
        eval_md5=md5_file(metrics_path),
        artifacts=evaluation,
        plots=plots,
    )
    log.info(
        "%s version %s (@%s): %s; evaluation %s (%s PR-AUC %.4f); MLflow store %s",
        registry.REGISTERED_MODEL,
        version,
        registry.CHALLENGER,
        "registered" if registration.created else "this bundle was registered before",
        "logged to its run" if logged else "already in its run",
        primary,
        doc[primary]["pr_auc"],
        uri,
    )
    registry.remember_default(uri)  # the next `linktox score` need not ask MLflow
