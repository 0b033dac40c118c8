"""Every default path, named once, relative to the project root.

The project root is the folder holding ``dvc.yaml`` (``$LINKTOX_ROOT`` overrides it): the
nearest such folder at or above the working directory, so a command run from ``data/`` uses the
same label store, parameters and MLflow database as one run from the root. Paths a user passes
on the command line are taken as given (relative to where they run the command).
"""

from __future__ import annotations

import os
from pathlib import Path

from pipeline.errors import LinktoxError

ROOT_ENV = "LINKTOX_ROOT"
ROOT_MARKER = "dvc.yaml"
TRACKING_ENV = "MLFLOW_TRACKING_URI"

# Relative to the project root.
PARAMS = Path("params.yaml")
MLFLOW_DB = Path("mlflow.db")
RAW = Path("data/raw")
FEATURES = Path("data/features")
MODELS = Path("data/models")
BUNDLE = MODELS / "bundle"
SPLIT = MODELS / "split.parquet"
ROW_KEYS = MODELS / "row_keys.parquet"  # which links the bundle held out or trained on
TRAINING_LOG = MODELS / "training.json"  # params, validation curves, iterations
EVAL = Path("data/eval")
LABELS = Path("data/labels")
KNOWLEDGE = Path("data/knowledge")  # the shipped open domain knowledge
WORLD = RAW / "world"  # `linktox world generate` when no --out is given

# File names inside the folders above, shared by the stages that write and read them: the world
# files (in RAW) and the feature tables (in FEATURES) share the first three names.
WORLD_FILE = "world.parquet"
HOLDOUT_FILE = "world_holdout.parquet"
REVIEWED_FILE = "reviewed.parquet"
SAMPLE_TRUTH_FILE = "sample_truth.parquet"
SAMPLE_CANONICAL_FILE = "sample_export.csv"
SAMPLE_SEMRUSH_FILE = "sample_semrush.csv"
SAMPLE_AHREFS_FILE = "sample_ahrefs.tsv"
# In EVAL: metrics.json (DVC metrics), plots/, and which bundle they measure.
METRICS_FILE = "metrics.json"
EVALUATED_FILE = "evaluated.json"
PLOTS_DIR = "plots"


class ProjectError(LinktoxError):
    """No linktox project (a folder with ``dvc.yaml``) at or above the working directory."""


def project_root(start: Path | None = None) -> Path:
    """The project root: ``$LINKTOX_ROOT``, else the nearest folder with ``dvc.yaml``."""
    explicit = os.environ.get(ROOT_ENV)
    if explicit:
        root = Path(explicit).resolve()
        if not (root / ROOT_MARKER).is_file():
            raise ProjectError(f"${ROOT_ENV}={explicit}: no {ROOT_MARKER} there")
        return root
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / ROOT_MARKER).is_file():
            return folder
    raise ProjectError(
        f"not inside a linktox project: no {ROOT_MARKER} in {here} or any folder above it "
        f"(run from the project, set ${ROOT_ENV}, or pass the paths explicitly)"
    )


def tracking_uri(explicit: str | None = None) -> str:
    """The MLflow store: ``explicit``, else ``$MLFLOW_TRACKING_URI``, else the project's
    ``mlflow.db`` (a SQLite file at the root)."""
    uri = explicit or os.environ.get(TRACKING_ENV)
    return uri or f"sqlite:///{at_root(MLFLOW_DB)}"


def at_root(relative: Path) -> Path:
    """``relative`` under the project root."""
    return project_root() / relative


def or_default(given: Path | None, relative: Path) -> Path:
    """The path the user gave, else the project default ``relative`` under the root."""
    return given if given is not None else at_root(relative)
