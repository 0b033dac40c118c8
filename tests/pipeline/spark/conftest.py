"""One local Spark session (``local[2]``) for the module, and a tiny bundle trained here with the
shipped knowledge tables."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from pipeline import paths
from tests.bundles import train_tiny_bundle


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
    # With the shipped knowledge tables, as the train stage's bundles: the Spark path must carry
    # them to its tasks too.
    path = tmp_path_factory.mktemp("spark-bundle") / "bundle"
    return train_tiny_bundle(path, links=3000, knowledge=paths.at_root(paths.KNOWLEDGE))
