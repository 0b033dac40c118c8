"""Matplotlib figures of the evaluation tables, for MLflow (DVC renders its own from the CSVs)."""

from __future__ import annotations

from pathlib import Path

import polars as pl
from matplotlib.figure import Figure

# Figures are built with the object-oriented API (no pyplot), so no GUI backend is ever touched.


def _curves(plots: Path, prefix: str, x: str, y: str, title: str) -> Figure:
    fig = Figure(figsize=(5, 4))
    ax = fig.subplots()
    for path in sorted(plots.glob(f"{prefix}_*.csv")):
        frame = pl.read_csv(path)
        ax.plot(frame[x], frame[y], label=path.stem.removeprefix(f"{prefix}_"))
    if prefix == "calibration":
        ax.plot([0, 1], [0, 1], linestyle="--", color="grey", linewidth=1)
    ax.set(xlabel=x, ylabel=y, title=title)
    ax.legend(fontsize=8)
    fig.tight_layout()
    return fig


def evaluation_figures(out: Path) -> dict[str, Figure]:
    """Precision-recall, ROC, calibration, score histograms and feature importance."""
    plots = out / "plots"
    figures = {
        "precision_recall": _curves(plots, "precision_recall", "recall", "precision", "PR curve"),
        "roc": _curves(plots, "roc", "fpr", "tpr", "ROC curve"),
        "calibration": _curves(plots, "calibration", "predicted", "observed", "Calibration"),
    }
    for path in sorted(plots.glob("score_histogram_*.csv")):
        frame = pl.read_csv(path)
        fig = Figure(figsize=(5, 4))
        ax = fig.subplots()
        ax.bar(frame["score_bin"], frame["legit_links"], width=4.5, label="not toxic", alpha=0.7)
        ax.bar(frame["score_bin"], frame["toxic_links"], width=4.5, label="toxic", alpha=0.7)
        ax.set(xlabel="toxicity score", ylabel="links", yscale="log", title=path.stem)
        ax.legend()
        fig.tight_layout()
        figures[path.stem] = fig
    importance = pl.read_csv(plots / "feature_importance.csv").head(25)
    fig = Figure(figsize=(6, 7))
    ax = fig.subplots()
    ax.barh(importance["feature"][::-1], importance["gain"][::-1])
    ax.set(xlabel="share of total gain", title="Feature importance (gain)")
    fig.tight_layout()
    figures["feature_importance"] = fig
    return figures
