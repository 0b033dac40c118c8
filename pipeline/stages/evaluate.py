"""DVC stage ``evaluate``: held-out metrics, plots and the per-tactic table, as files.

Which sets exist and which one promotion is judged on is :mod:`models.evaluation`'s policy. The
files say which bundle they measure (``evaluated.json``); the ``register`` stage logs them to the
bundle's MLflow run, so the run gets them even when DVC skips this stage.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Annotated

import polars as pl
import typer

from features import schema
from models.bundle import Bundle
from models.evaluation import (
    PrimaryRule,
    clean_truth,
    evaluate_set,
    held_out_sets,
    importance_table,
    metrics_document,
    primary_reason,
    primary_set,
    score_histogram,
    toxic_cutoff_table,
)
from pipeline import io, paths
from pipeline.config import load_params
from pipeline.options import ParamsOption
from pipeline.provenance import md5_tree
from pipeline.world import TOXIC_TACTICS

log = logging.getLogger(__name__)


def evaluate(
    bundle: Annotated[Path, typer.Option(help="Model bundle folder.")],
    split: Annotated[Path, typer.Option(help="Split assignment (Parquet).")],
    world: Annotated[Path, typer.Option(help="World features (Parquet).")],
    holdout: Annotated[Path, typer.Option(help="Held-out world features.")],
    reviewed: Annotated[Path, typer.Option(help="Reviewed-link features.")],
    out: Annotated[Path, typer.Option(help="Folder for metrics and plots.")],
    params: ParamsOption = None,
) -> None:
    """Measure the bundle on every held-out set; write metrics.json, plots and tables."""
    cfg = load_params(params)
    model = Bundle.load(bundle)
    sets = held_out_sets(
        io.read_parquet(world),
        io.read_parquet(holdout),
        io.read_parquet(reviewed),
        io.read_parquet(split),
    )
    bins = cfg.evaluate.calibration_bins
    cleans = {name: clean_truth(frame, TOXIC_TACTICS) for name, frame in sets.items()}
    evals = {
        name: evaluate_set(name, frame, model, bins, cleans[name]) for name, frame in sets.items()
    }
    rule = PrimaryRule(**cfg.evaluate.primary.model_dump())
    primary = primary_set(sets, rule)
    if why := primary_reason(sets, rule, primary):
        log.info("primary set %s: %s", primary, why)
    doc = metrics_document(evals, model, primary)
    io.write_text_atomic(out / paths.METRICS_FILE, json.dumps(doc, indent=2, sort_keys=True) + "\n")
    plots: dict[str, pl.DataFrame] = {}
    for name, ev in evals.items():
        plots.update({f"{curve}_{name}": frame for curve, frame in ev.curves.items()})
        truth = sets[name].get_column(schema.LABEL).to_numpy()
        plots[f"score_histogram_{name}"] = score_histogram(ev, truth)
    plots["feature_importance"] = importance_table(model)
    for stem, frame in plots.items():
        io.write_csv(frame, out / paths.PLOTS_DIR / f"{stem}.csv")
    per_tactic = pl.concat(
        [ev.per_tactic.with_columns(pl.lit(n).alias("set")) for n, ev in evals.items()]
    )
    io.write_csv(per_tactic.select("set", pl.exclude("set")), out / "per_tactic.csv")
    trade = pl.concat(
        [
            toxic_cutoff_table(
                ev.scores,
                sets[n].get_column(schema.LABEL).to_numpy(),
                model.cutoffs,
                cfg.evaluate.toxic_cutoffs,
                cleans[n],
            ).with_columns(pl.lit(n).alias("set"))
            for n, ev in evals.items()
        ],
        how="diagonal",
    )
    io.write_csv(trade.select("set", pl.exclude("set")), out / "toxic_cutoffs.csv")
    profiles = pl.concat(
        [ev.profiles.with_columns(pl.lit(n).alias("set")) for n, ev in evals.items()]
    )
    io.write_csv(profiles.select("set", pl.exclude("set")), out / "profile_toxicity.csv")
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
    evaluated = {"bundle_md5": md5_tree(bundle), "links": {n: f.height for n, f in sets.items()}}
    io.write_text_atomic(
        out / paths.EVALUATED_FILE, json.dumps(evaluated, indent=2, sort_keys=True) + "\n"
    )
