"""DVC stage ``evaluate``: held-out metrics, plots and the per-tactic table, in DVC and MLflow.

Sets: ``test`` (links from referring domains the model never saw), ``unseen_site`` (a whole
target site held out), ``holdout_world`` (a world drawn with another seed) and, once there are
enough reviewed links, ``reviewed_test``.
"""

from __future__ import annotations

import json
import logging
import math
from pathlib import Path
from typing import Annotated, Any

import mlflow
import numpy as np
import polars as pl
import typer

from features import schema
from models import registry
from models.bundle import Bundle
from models.evaluation import SetEvaluation, evaluate_set
from models.split import TEST, UNSEEN_SITE
from pipeline.config import DEFAULT_PARAMS, load_params
from pipeline.errors import atomic_path, write_text_atomic
from pipeline.featurize import read_parquet
from pipeline.provenance import md5_tree
from pipeline.train import REVIEWED, REVIEWED_TEST, ROW, SOURCE, SPLIT, WORLD

log = logging.getLogger(__name__)

HOLDOUT_WORLD = "holdout_world"
PRIMARY_SETS = (REVIEWED_TEST, UNSEEN_SITE)
MIN_SET_LINKS = 30


def held_out_sets(
    world: pl.DataFrame, holdout: pl.DataFrame, reviewed: pl.DataFrame, split: pl.DataFrame
) -> dict[str, pl.DataFrame]:
    """The labelled held-out frames, by name (sets too small to measure are left out)."""

    def pick(frame: pl.DataFrame, source: str, name: str) -> pl.DataFrame:
        rows = split.filter((pl.col(SOURCE) == source) & (pl.col(SPLIT) == name)).select(ROW)
        return frame.with_row_index(ROW).join(rows, on=ROW, how="semi").drop(ROW)

    sets = {
        TEST: pick(world, WORLD, TEST),
        UNSEEN_SITE: pick(world, WORLD, UNSEEN_SITE),
        HOLDOUT_WORLD: holdout,
        REVIEWED_TEST: pick(reviewed, REVIEWED, REVIEWED_TEST),
    }
    return {name: frame for name, frame in sets.items() if frame.height >= MIN_SET_LINKS}


def clean_truth(frame: pl.DataFrame) -> np.ndarray | None:
    """Noise-free truth for world links (their tactic is a toxic one); None for reviewed ones."""
    from pipeline.world import TOXIC_TACTICS

    tactics = frame.get_column(schema.TACTIC)
    if not tactics.is_in(list(TOXIC_TACTICS)).any():
        return None
    return tactics.is_in(list(TOXIC_TACTICS)).to_numpy()


def primary_set(sets: dict[str, Any]) -> str:
    """The set promotion is judged on: reviewed real links when there are enough, else the
    unseen site."""
    return next(name for name in (*PRIMARY_SETS, TEST) if name in sets)


def _clean(value: Any) -> Any:
    if isinstance(value, float):
        return None if math.isnan(value) else round(value, 6)
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    return value


def metrics_document(evals: dict[str, SetEvaluation], bundle: Bundle) -> dict[str, Any]:
    """The ``metrics.json`` content: headline numbers per set plus cut-offs and confusion."""
    doc: dict[str, Any] = {
        "primary_set": primary_set(evals),
        "cutoffs": {"review": bundle.cutoffs.review, "toxic": bundle.cutoffs.toxic},
    }
    for name, ev in evals.items():
        doc[name] = {**ev.metrics, "confusion": ev.confusion}
    return _clean(doc)


def importance_table(bundle: Bundle) -> pl.DataFrame:
    gain = bundle.booster.feature_importance(importance_type="gain")
    total = float(gain.sum()) or 1.0
    return (
        pl.DataFrame({"feature": list(bundle.feature_names), "gain": gain / total})
        .with_columns(pl.col("gain").round(6))
        .sort(["gain", "feature"], descending=[True, False])
    )


def score_histogram(ev: SetEvaluation, truth: np.ndarray) -> pl.DataFrame:
    bins = np.minimum((ev.scores // 5).astype(int), 19) * 5
    frame = pl.DataFrame({"score_bin": bins, "toxic": truth.astype(bool)})
    return (
        frame.group_by("score_bin")
        .agg(
            pl.col("toxic").sum().alias("toxic_links"),
            (~pl.col("toxic")).sum().alias("legit_links"),
        )
        .sort("score_bin")
    )


def _write_csv(frame: pl.DataFrame, path: Path) -> None:
    with atomic_path(path) as tmp:
        frame.write_csv(tmp, float_precision=6)


def evaluate(
    bundle: Annotated[Path, typer.Option(help="Model bundle folder.")] = Path("data/models/bundle"),
    split: Annotated[Path, typer.Option(help="Split assignment (Parquet).")] = Path(
        "data/models/split.parquet"
    ),
    world: Annotated[Path, typer.Option(help="World features (Parquet).")] = Path(
        "data/features/world.parquet"
    ),
    holdout: Annotated[Path, typer.Option(help="Held-out world features.")] = Path(
        "data/features/world_holdout.parquet"
    ),
    reviewed: Annotated[Path, typer.Option(help="Reviewed-link features.")] = Path(
        "data/features/reviewed.parquet"
    ),
    out: Annotated[Path, typer.Option(help="Folder for metrics and plots.")] = Path("data/eval"),
    params: Annotated[Path, typer.Option(help="Parameters file.")] = DEFAULT_PARAMS,
    tracking_uri: Annotated[
        str | None, typer.Option(help="MLflow tracking URI (default: $MLFLOW_TRACKING_URI).")
    ] = None,
) -> None:
    """Measure the bundle on every held-out set; write metrics.json, plots and tables."""
    cfg = load_params(params)
    model = Bundle.load(bundle)
    sets = held_out_sets(
        read_parquet(world), read_parquet(holdout), read_parquet(reviewed), read_parquet(split)
    )
    evals = {
        name: evaluate_set(
            name, frame, model, cfg.evaluate.calibration_bins, clean_truth=clean_truth(frame)
        )
        for name, frame in sets.items()
    }
    doc = metrics_document(evals, model)
    write_text_atomic(out / "metrics.json", json.dumps(doc, indent=2, sort_keys=True) + "\n")
    plots = out / "plots"
    for name, ev in evals.items():
        for curve, frame in ev.curves.items():
            _write_csv(frame, plots / f"{curve}_{name}.csv")
        truth = sets[name].get_column(schema.LABEL).to_numpy()
        _write_csv(score_histogram(ev, truth), plots / f"score_histogram_{name}.csv")
    _write_csv(importance_table(model), plots / "feature_importance.csv")
    per_tactic = pl.concat(
        [ev.per_tactic.with_columns(pl.lit(n).alias("set")) for n, ev in evals.items()]
    )
    _write_csv(per_tactic.select("set", pl.exclude("set")), out / "per_tactic.csv")
    profiles = pl.concat(
        [ev.profiles.with_columns(pl.lit(n).alias("set")) for n, ev in evals.items()]
    )
    _write_csv(profiles.select("set", pl.exclude("set")), out / "profile_toxicity.csv")
    for name, ev in evals.items():
        m = ev.metrics
        log.info(
            "%-14s PR-AUC %.3f  ROC-AUC %.3f  ECE %.3f  toxic precision %.3f recall %.3f",
            name,
            m["pr_auc"],
            m["roc_auc"],
            m["ece"],
            m["toxic_precision"],
            m["toxic_recall"],
        )
    _log_to_mlflow(bundle, out, doc, tracking_uri)


def _log_to_mlflow(bundle: Path, out: Path, doc: dict[str, Any], tracking_uri: str | None) -> None:
    """Add test metrics and plots to the training run of this very bundle."""
    registry.configure(tracking_uri)
    experiment = registry.ensure_experiment()
    runs = mlflow.search_runs(
        experiment_ids=[experiment],
        filter_string=f"tags.bundle_md5 = '{md5_tree(bundle)}'",
        order_by=["attributes.start_time DESC"],
        max_results=1,
        output_format="list",
    )
    if not runs:
        log.warning("no MLflow run found for this bundle; metrics are in %s only", out)
        return
    from pipeline.figures import evaluation_figures

    with mlflow.start_run(run_id=runs[0].info.run_id):
        flat = {
            f"{name}_{key}": value
            for name, block in doc.items()
            if isinstance(block, dict) and name != "cutoffs"
            for key, value in block.items()
            if isinstance(value, int | float) and value is not None
        }
        mlflow.log_metrics(flat)
        mlflow.log_metrics({f"cutoff_{k}": v for k, v in doc["cutoffs"].items()})
        mlflow.log_artifacts(str(out), artifact_path="eval")
        for name, figure in evaluation_figures(out).items():
            mlflow.log_figure(figure, f"figures/{name}.png")


if __name__ == "__main__":
    typer.run(evaluate)
