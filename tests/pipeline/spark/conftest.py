"""One local Spark session (``local[2]``) for the module, and a tiny bundle trained here."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from features.build import FEATURE_COLUMNS, build_features
from features.schema import LABEL
from models.cutoffs import CutoffGoals
from models.score import feature_matrix
from models.train import fit_bundle
from pipeline.world import generate_world


@pytest.fixture(scope="session")
def spark() -> Iterator[object]:
    pytest.importorskip("pyspark", reason="the spark extra is not installed")
    from pyspark.sql import SparkSession

    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    session = (
        SparkSession.builder.master("local[2]")
        .appName("linktox-tests")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.default.parallelism", "2")
        .config("spark.driver.memory", "1g")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


@pytest.fixture(scope="session")
def spark_bundle_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    feats = build_features(generate_world(3000, 3).lazy()).collect()
    half = feats.height // 2
    train, valid = feats.head(half), feats.tail(feats.height - half)
    bundle, _ = fit_bundle(
        feature_matrix(train, FEATURE_COLUMNS),
        train.get_column(LABEL).to_numpy(),
        feature_matrix(valid, FEATURE_COLUMNS),
        valid.get_column(LABEL).to_numpy(),
        feature_names=FEATURE_COLUMNS,
        params={"objective": "binary", "num_iterations": 40, "num_leaves": 7, "verbosity": -1,
                "seed": 1, "deterministic": True, "force_row_wise": True, "num_threads": 1},
        early_stopping_rounds=10,
        calibration_method="isotonic",
        goals=CutoffGoals(toxic_precision=0.9, max_toxic_whitelisted=0.1,
                          use_default_bands=False, default_review=45.0, default_toxic=60.0,
                          max_review_share=1.0),
    )  # fmt: skip
    path = tmp_path_factory.mktemp("spark-bundle") / "bundle"
    bundle.save(path)
    return path
