"""``linktox spark score LINKS --out SCORED``: ``linktox score`` on Apache Spark.

The same polars features and LightGBM scoring as on one machine, run per partition by Spark
(:mod:`pipeline.spark.score`), for exports and link indexes larger than one machine scores in
reasonable time. Input: canonical links (Parquet or CSV, on any path Spark reads; convert a
vendor export first with ``linktox convert``). Output: the scored links as a folder of Parquet
files on any path Spark writes; the referring-domain rollup and the disavow file are written on
this machine, like those of ``linktox score``.

pyspark is imported only here, when the command runs (``pip install 'linktox[spark]'``).
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from importlib.metadata import version as package_version
from pathlib import Path
from typing import Annotated

import typer

from pipeline.config import load_params
from pipeline.errors import LinktoxError
from pipeline.logs import console
from pipeline.options import ParamsOption, TrackingOption

log = logging.getLogger(__name__)

_BATCH_CONF = "spark.sql.execution.arrow.maxRecordsPerBatch="


def score(
    links: Annotated[
        str,
        typer.Argument(help="Canonical links: Parquet (file or folder) or .csv, any Spark path."),
    ],
    out: Annotated[
        str, typer.Option(help="Folder of scored Parquet files to write (must not exist).")
    ],
    model: Annotated[
        str | None,
        typer.Option(help="Bundle folder or registry URI (default: @champion, else newest)."),
    ] = None,
    domains: Annotated[
        Path | None, typer.Option(help="Referring-domain rollup to write here (.csv/.parquet).")
    ] = None,
    disavow: Annotated[Path | None, typer.Option(help="Google disavow file to write here.")] = None,
    whitelist: Annotated[
        Path | None, typer.Option(help="Domains never to disavow, one per line.")
    ] = None,
    merge: Annotated[
        Path | None, typer.Option(help="Previous disavow file to merge with (uploads replace).")
    ] = None,
    own_domain: Annotated[
        list[str] | None, typer.Option(help="Your own domains (target domains are added).")
    ] = None,
    master: Annotated[
        str | None,
        typer.Option(
            help="Spark master (local[4], yarn, spark://..., k8s://...; default: Spark's)."
        ),
    ] = None,
    conf: Annotated[
        list[str] | None,
        typer.Option(help="Spark setting KEY=VALUE (repeatable), as spark-submit."),
    ] = None,
    partitions: Annotated[
        int | None,
        typer.Option(
            min=1, help="Repartition the links first (default: as read, at least one per core)."
        ),
    ] = None,
    params: ParamsOption = None,
    tracking_uri: TrackingOption = None,
) -> None:
    """Score canonical links on Apache Spark: the same scores, labels and reasons as `score`."""
    from pipeline import outputs
    from pipeline.commands.score import _read_lines
    from pipeline.scoring import feature_params, load_bundle
    from pipeline.spark import require_pyspark

    require_pyspark()
    cfg = load_params(params)
    for path, what in ((whitelist, "whitelist"), (merge, "previous disavow file")):
        if path is not None and not path.is_file():
            raise LinktoxError(f"{path}: {what} not found")
    for path in (domains,):
        if path is not None:
            outputs.table_format(path)
    merge_text = merge.read_text(encoding="utf-8") if merge else None
    if merge_text is not None:
        outputs.parse_disavow(merge_text, str(merge))
    whitelisted = _read_lines(whitelist) if whitelist else []
    if whitelisted:
        outputs.normalise_entries(whitelisted, "whitelist")
    bundle, model_name = load_bundle(model, tracking_uri)
    result = _run(
        links,
        out,
        bundle,
        master=master,
        conf=conf or [],
        partitions=partitions,
        n_reasons=cfg.score.reasons,
        params=feature_params(cfg, bundle),
        own_domains=own_domain or [],
        whitelist=whitelisted,
        # Links per Arrow batch, as linktox score's batches, unless set with --conf.
        batch_rows=None
        if any(c.startswith(_BATCH_CONF) for c in conf or [])
        else cfg.score.batch_size,
    )
    refused = None
    disavow_text = None
    if disavow is not None:
        try:
            disavow_text = outputs.build_disavow(
                result.rollup,
                own_domains=result.own_domains,
                whitelist=whitelisted,
                merge_with=merge_text,
                merge_name=str(merge) if merge else None,
                generated_at=datetime.now(UTC),
                tool_version=f"linktox {package_version('linktox')}, model {model_name}",
                listed_urls=result.urls,
            )
        except LinktoxError as exc:
            refused = exc
    if domains is not None:
        outputs.write_rollup(result.rollup, domains)
    if disavow is not None and disavow_text is not None:
        outputs.write_disavow(disavow_text, disavow)
    _summary(result.rows, result.labels, result.rollup.height, out)
    if refused is not None:
        written = ", ".join(str(path) for path in (out, domains) if path is not None)
        raise LinktoxError(f"{refused}; not written: {disavow} (written: {written})")


def _run(links: str, out: str, bundle, *, master: str | None, conf: list[str], **kwargs):
    """Score on Spark; a Spark or worker error becomes one line, and nothing is left at ``out``."""
    from py4j.protocol import Py4JError
    from pyspark.errors import PySparkException

    from pipeline.spark.score import first_line, read_links, score_on_spark
    from pipeline.spark.session import spark_session

    with spark_session(master, conf) as spark:
        if _exists(spark, out):
            raise LinktoxError(f"{out}: already exists; choose a new --out folder")
        try:
            return score_on_spark(spark, read_links(spark, links), out, bundle, **kwargs)
        except (PySparkException, Py4JError) as exc:
            _delete(spark, out)
            raise LinktoxError(f"{links}: scoring on Spark failed: {first_line(exc)}") from None
        except BaseException:
            _delete(spark, out)
            raise


def _hadoop_path(spark, path: str):
    jvm = spark.sparkContext._jvm
    hadoop_path = jvm.org.apache.hadoop.fs.Path(path)
    return hadoop_path, hadoop_path.getFileSystem(spark.sparkContext._jsc.hadoopConfiguration())


def _exists(spark, path: str) -> bool:
    hadoop_path, fs = _hadoop_path(spark, path)
    return bool(fs.exists(hadoop_path))


def _delete(spark, path: str) -> None:
    """Remove a half-written output folder (Spark's own commit leaves none on success)."""
    hadoop_path, fs = _hadoop_path(spark, path)
    if fs.exists(hadoop_path):
        fs.delete(hadoop_path, True)


def _summary(rows: int, labels: dict[str, int], domains: int, out: str) -> None:
    from pipeline import outputs

    toxic = labels.get(outputs.TOXIC, 0)
    counts = ", ".join(f"{labels.get(label, 0):,} {label}" for label in outputs.LABELS)
    level = outputs.profile_level(toxic / rows if rows else 0.0)
    console().print(
        f"scored {rows:,} links ({counts}) from {domains:,} referring domains; "
        f"toxic links {toxic / max(rows, 1):.1%}: {level}; written to {out}"
    )
