"""The Spark session a linktox command runs in: the user's master and settings, or the active one.

``--master`` is passed through; without it Spark decides as ``spark-submit`` does (the
``MASTER`` environment variable, ``spark-defaults.conf``, else ``local[*]``). In local mode the
Python workers run this interpreter (where linktox is installed) unless ``PYSPARK_PYTHON`` says
otherwise; on a cluster, linktox must be installed in the executors' Python too.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import sys
import warnings
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from pipeline.errors import LinktoxError
from pipeline.spark import require_pyspark

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

log = logging.getLogger(__name__)

APP_NAME = "linktox"


def parse_conf(items: Sequence[str]) -> dict[str, str]:
    """``KEY=VALUE`` settings (``--conf``), as ``spark-submit --conf`` takes them."""
    conf = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise LinktoxError(f"--conf {item!r}: expected KEY=VALUE (e.g. spark.executor.cores=4)")
        conf[key.strip()] = value
    return conf


@contextlib.contextmanager
def spark_session(master: str | None = None, conf: Sequence[str] = ()) -> Iterator[SparkSession]:
    """The active session if there is one (a notebook, a test), else a new one, stopped after."""
    settings = parse_conf(conf)
    require_pyspark()
    from pyspark.errors import PySparkException
    from pyspark.sql import SparkSession

    # pyspark warns on pandas 3; linktox hands Spark Arrow batches only, never pandas frames.
    warnings.filterwarnings("ignore", message="PySpark does not yet fully support pandas")
    active = SparkSession.getActiveSession()
    if active is not None:
        if master is not None or settings:
            log.warning("a Spark session is already running: --master and --conf are ignored")
        yield active
        return
    local = (master or os.environ.get("MASTER") or "local").startswith("local")
    if local and "PYSPARK_PYTHON" not in os.environ:
        os.environ["PYSPARK_PYTHON"] = sys.executable
    if not (os.environ.get("JAVA_HOME") or shutil.which("java")):
        raise LinktoxError(
            "linktox spark needs a Java 17+ runtime: install one (Debian: apt-get install "
            "default-jre-headless) or set JAVA_HOME"
        )
    builder = SparkSession.builder.appName(APP_NAME)
    if master is not None:
        builder = builder.master(master)
    for key, value in settings.items():
        builder = builder.config(key, value)
    try:
        spark = builder.getOrCreate()
    except PySparkException as exc:
        raise LinktoxError(f"could not start Spark ({master or 'default master'}): {exc}") from None
    try:
        yield spark
    finally:
        spark.stop()
