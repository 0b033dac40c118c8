"""Scoring on Apache Spark: the single-machine polars and LightGBM code, run per partition.

Nothing here re-implements a feature. Spark moves the data (reads, shuffles, writes) and runs the
same functions as ``linktox score`` on Arrow batches (``mapInArrow``):

1. :func:`features.build.prepare_base` on every input partition (row-wise);
2. :func:`features.build.profile_tables` on the prepared links shuffled by profile (the target's
   registrable domain), so each task holds whole profiles and its tables are the global ones;
3. :func:`pipeline.stream.score_prepared` on every partition, with the tables (the bundle's
   knowledge tables among them, read once on the driver) and the model bundle broadcast;
4. :func:`pipeline.outputs.domain_rollup` and :func:`pipeline.outputs.rollup.disavow_urls` on
   the scored links shuffled by referring domain, then :func:`pipeline.outputs.build_disavow` on
   the driver.

pyspark is an optional extra (``pip install 'linktox[spark]'``); it is imported only when a Spark
command runs, through :func:`require_pyspark`.
"""

from __future__ import annotations

import importlib
from types import ModuleType

from pipeline.errors import LinktoxError

INSTALL_HINT = (
    "linktox spark needs pyspark, an optional extra: pip install 'linktox[spark]' "
    "(and a Java 17+ runtime)"
)


def require_pyspark() -> ModuleType:
    """Import pyspark, or fail with one line saying how to get it."""
    try:
        return importlib.import_module("pyspark")
    except ImportError:
        raise LinktoxError(INSTALL_HINT) from None
