"""Matplotlib figures of the evaluation tables, for MLflow (DVC renders its own from the CSVs)."""

from __future__ import annotations

from collections.abc import Mapping

import polars as pl
from matplotlib.figure import Figure

# Figures are built with the object-oriented API (no pyplot), so no GUI backend is ever touched.

IMPORTANCE_SHOWN = 25  # features in the importance bar chart


def _curves(plots: Mapping[str, pl.DataFrame], prefix: str, x: str, y: str, title: str) -> Figure:
    fig = Figure(figsize=(5, 4))
    ax = fig.subplots()
    for stem in sorted(name for name in plots if name.startswith(f"{prefix}_")):
        frame = plots[stem]
        ax.plot(frame[x], frame[y], label=stem.removeprefix(f"{prefix}_"))
    if prefix == "calibration":
        ax.plot([0, 1], [0, 1], linestyle="--", color="grey", linewidth=1)
    ax.set(xlabel=x, ylabel=y, title=title)
    ax.legend(fontsize=8)
    fig.tight_layout()
    return fig


def evaluation_figures(plots: Mapping[str, pl.DataFrame]) -> dict[str, Figure]:
    """Precision-recall, ROC, calibration, score histograms and feature importance.

    ``plots`` maps the plot tables' names (``precision_recall_test``, ``score_histogram_test``,
    ``feature_importance`` ...) to their frames, as the evaluate stage writes them.
    """
    figures = {
        "precision_recall": _curves(plots, "precision_recall", "recall", "precision", "PR curve"),
        "roc": _curves(plots, "roc", "fpr", "tpr", "ROC curve"),
        "calibration": _curves(plots, "calibration", "predicted", "observed", "Calibration"),
    }
    for stem in sorted(name for name in plots if name.startswith("score_histogram_")):
        frame = plots[stem]
        fig = Figure(figsize=(5, 4))
        ax = fig.subplots()
        ax.bar(frame["score_bin"], frame["legit_links"], width=4.5, label="not toxic", alpha=0.7)
        ax.bar(frame["score_bin"], frame["toxic_links"], width=4.5, label="toxic", alpha=0.7)
        ax.set(xlabel="toxicity score", ylabel="links", yscale="log", title=stem)
        ax.legend()
        fig.tight_layout()
        figures[stem] = fig
    importance = plots["feature_importance"].head(IMPORTANCE_SHOWN)
    fig = Figure(figsize=(6, 7))
    ax = fig.subplots()
    ax.barh(importance["feature"][::-1], importance["gain"][::-1])
    ax.set(xlabel="share of total gain", title="Feature importance (gain)")
    fig.tight_layout()
    figures["feature_importance"] = fig
    return figures
