"""Typer options shared by several commands, defined once.

Defaults that are project paths are ``None`` here and resolved at run time under the project
root (:mod:`pipeline.paths`), so a command run from a subfolder uses the project's files.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

ParamsOption = Annotated[
    Path | None,
    typer.Option(
        "--params",
        help="Parameters file (default: $LINKTOX_PARAMS, else params.yaml at the project root).",
    ),
]
TrackingOption = Annotated[
    str | None,
    typer.Option(
        "--tracking-uri",
        help="MLflow tracking URI (default: $MLFLOW_TRACKING_URI, else mlflow.db at the "
        "project root).",
    ),
]
StoreOption = Annotated[
    Path | None,
    typer.Option("--store", help="Label store folder (default: data/labels at the project root)."),
]
FeaturesOption = Annotated[
    Path | None,
    typer.Option(
        "--features",
        help="Folder of the feature tables, the held-out data (default: data/features).",
    ),
]
SeedOption = Annotated[
    int | None,
    typer.Option("--seed", help="Random seed (default: base.seed in the parameters file)."),
]
