"""``linktox spark score``'s passes: Spark moves the links, linktox's own code computes on them.

1. **prepare** (per input partition): :func:`features.build.prepare_base` on each Arrow batch;
   the prepared links are persisted, since passes 2 and 3 both read them.
2. **profile tables** (per profile partition): the prepared links are shuffled by profile
   (``target_domain``) and sorted back into input order, so each task holds whole profiles; it
   spills them to local disk and runs :func:`features.build.profile_tables` on them exactly as
   ``linktox score`` does on its spilled chunks. Every profile table is keyed by profile, so the
   tables of disjoint profiles are simply stacked; the one table that is not (the lexical
   signals per domain name) is a function of its key, so its parts are de-duplicated
   (``tests/pipeline/spark/test_tables.py`` keeps both facts true). The stacked tables go to the
   driver and are broadcast, once, with the knowledge tables the bundle ships (read once, on the
   driver: the tasks never read them) and the model bundle (without those tables).
3. **score** (per input partition): :func:`pipeline.stream.score_prepared` on each batch, the
   same call ``linktox score`` makes, with the broadcast tables and model bundle; the scored
   links are written as Parquet.
4. **rollup**: the scored links are read back as the per-link view of ``linktox score``
   (:func:`pipeline.stream.kept_url`, hosts parsed by :func:`features.build.source_hosts`),
   shuffled by referring domain, and per partition :func:`pipeline.outputs.domain_rollup` and
   :func:`pipeline.outputs.rollup.disavow_urls` run on whole referring domains (a registrable
   domain's links all land in one task, so each rollup row and each listed URL is the global
   one); the parts are stacked on the driver, where the disavow file is built from them.

A referring domain's links may sit in any number of input partitions: only passes 2 and 4 need
whole groups, and they shuffle for them.
"""

from __future__ import annotations

import dataclasses
import io
import logging
import tempfile
import time
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import polars as pl
import pyarrow as pa

from features import schema
from features.build import (
    SOURCE_HOST,
    TARGET_DOMAIN,
    FeatureParams,
    ProfileTables,
    collecting,
    knowledge_tables,
    prepare_base,
    profile_tables,
    source_hosts,
)
from features.columns import PROFILE, ROW, SCRATCH_PREFIX
from features.knowledge import Knowledge
from models.bundle import Bundle
from pipeline import outputs
from pipeline.errors import InputError
from pipeline.outputs.rollup import disavow_urls
from pipeline.spark.arrow import (
    arrow_schema,
    from_batch,
    polars_schema,
    spark_schema,
    to_batches,
)
from pipeline.stream import OUTPUT_COLUMNS, kept_url, score_prepared

if TYPE_CHECKING:
    from pyspark.broadcast import Broadcast
    from pyspark.sql import DataFrame, SparkSession

log = logging.getLogger(__name__)

# Columns linktox adds to every input row of the scored links: those of `linktox score`, and
# the profile, so that one run over many sites can be split per site.
SCORED_COLUMNS: tuple[str, ...] = (*OUTPUT_COLUMNS[:1], TARGET_DOMAIN, *OUTPUT_COLUMNS[1:])
_LINK = "_lt_link"  # input order (monotonically increasing id): profiles are sorted back by it
_KEY = "_lt_rollup_domain"  # the rollup's normalised referring domain, the shuffle key
_TABLE_SCHEMA = "name string, payload binary"
# The names of the knowledge tables profile_tables passes through: read on the driver, not here.
_SHIPPED = frozenset(knowledge_tables(Knowledge.empty()))
_ROLLUP, _URLS = "rollup", "urls"  # the two tables of a rollup task


@dataclass(frozen=True)
class SparkResult:
    """What a Spark scoring run leaves for the driver's outputs.

    Attributes:
        rows: Links scored and written.
        labels: Links per label.
        rollup: One row per referring domain (``outputs.ROLLUP_COLUMNS``), worst first, with
            ``own_domains`` and the whitelist protected.
        urls: The URLs the disavow file lists (``source_url``, ``ref_domain``), as
            :func:`pipeline.outputs.build_disavow` chooses them from the per-link view.
        own_domains: The own domains the rollup protects: those given and the registrable
            domains the links point to (the sites' own).
        seconds: Wall time of each pass.
    """

    rows: int
    labels: dict[str, int]
    rollup: pl.DataFrame
    urls: pl.DataFrame
    own_domains: tuple[str, ...]
    seconds: dict[str, float]


def read_links(spark: SparkSession, path: str) -> DataFrame:
    """The canonical links at ``path`` (Parquet, or CSV with a header), checked up front.

    CSV cells are parsed by Spark into the canonical types (``FAILFAST``: a cell that does not
    parse fails the run, naming it). Vendor exports are converted first (``linktox convert``).
    """
    from pyspark.errors import AnalysisException
    from pyspark.sql import types as T

    csv = path.lower().rstrip("/").endswith((".csv", ".csv.gz"))
    try:
        if not csv:
            frame = spark.read.parquet(path)
        else:
            header = spark.read.option("header", True).csv(path).columns
            canonical = spark_schema(schema.CANONICAL)
            fields = [
                canonical[name] if name in schema.CANONICAL else T.StructField(name, T.StringType())
                for name in header
            ]
            frame = (
                spark.read.option("header", True)
                # RFC 4180, as linktox and spreadsheets write it: "" inside quotes, and quoted
                # line breaks (which make Spark read each file in one task: prefer Parquet).
                .option("escape", '"')
                .option("multiLine", True)
                .option("mode", "FAILFAST")
                .option("dateFormat", "yyyy-MM-dd")
                .option("enforceSchema", False)
                .schema(T.StructType(fields))
                .csv(path)
            )
    except AnalysisException as exc:
        raise InputError(f"{path}: {first_line(exc)}") from None
    missing = [name for name in schema.REQUIRED if name not in frame.columns]
    if missing:
        raise InputError(
            f"{path}: missing required column {missing[0]!r}; expected canonical links "
            f"(columns {', '.join(schema.REQUIRED)}, ...): convert a vendor export first with "
            "`linktox convert EXPORT --out links.parquet`"
        )
    canonical = spark_schema(schema.CANONICAL)
    for field in frame.schema.fields:
        if field.name in schema.CANONICAL and not _castable(
            field.dataType, canonical[field.name].dataType
        ):
            raise InputError(
                f"{path}: column {field.name!r} is {field.dataType.simpleString()}; expected "
                f"{canonical[field.name].dataType.simpleString()} (the canonical link table)"
            )
    return frame


def _castable(found: Any, expected: Any) -> bool:
    """Whether polars' ``conform`` can cast a Spark column of ``found`` type to ``expected``."""
    from pyspark.sql import types as T

    if isinstance(found, type(expected) | T.NullType):
        return True
    numeric = (T.ByteType, T.ShortType, T.IntegerType, T.LongType, T.FloatType, T.DoubleType)
    if isinstance(expected, numeric):
        return isinstance(found, numeric)
    if isinstance(expected, T.DateType):
        return isinstance(found, T.TimestampType | T.TimestampNTZType)
    return False


def first_line(exc: BaseException) -> str:
    """The first informative line of a (JVM or Python worker) error, for a one-line message."""
    text = str(exc).strip()
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    for marker in ("InputError:", "LinktoxError:", "ValueError:", "SparkException:"):
        for line in lines:
            if marker in line:
                return line[line.index(marker) + len(marker) :].strip()
    return lines[0] if lines else type(exc).__name__


def _large_types(spark: SparkSession) -> bool:
    value = spark.conf.get("spark.sql.execution.arrow.useLargeVarTypes", "false")
    return str(value).lower() == "true"


def _prepare_task(target: pa.Schema) -> Callable[[Iterator[pa.RecordBatch]], Iterator[Any]]:
    """Pass 1: the row-wise half of feature building, batch by batch."""

    def run(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        for batch in batches:
            if batch.num_rows:
                yield from to_batches(prepare_base(from_batch(batch).lazy()).collect(), target)

    return run


def _tables_task(params: FeatureParams) -> Callable[[Iterator[pa.RecordBatch]], Iterator[Any]]:
    """Pass 2: every profile table of the whole profiles in one partition, as Arrow IPC."""

    def run(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        import pyarrow.parquet as pq

        with tempfile.TemporaryDirectory(prefix="linktox-spark-") as tmp:
            path = Path(tmp) / "base.parquet"
            writer = None
            for batch in batches:
                if not batch.num_rows:
                    continue
                if writer is None:
                    writer = pq.ParquetWriter(path, batch.schema)
                writer.write_batch(batch)
            if writer is None:
                return
            writer.close()
            # The same call as pipeline.stream's pass 2: one table at a time, streaming.
            tables = profile_tables(pl.scan_parquet(path), params, stage=collecting("streaming"))
            for name, frame in tables.frames.items():
                if name not in _SHIPPED:
                    yield _payload(name, frame.collect())

    return run


def table_columns(base: pl.Schema, params: FeatureParams) -> list[str]:
    """The prepared columns :func:`profile_tables` reads, so only they are shuffled.

    Found by asking polars, on an empty frame, which columns the tables cannot be planned
    without: whatever the feature families read, now or after a change, is kept.
    """

    def plans(schema: dict[str, pl.DataType]) -> bool:
        try:
            tables = profile_tables(pl.LazyFrame(schema=schema), params)
            for frame in tables.frames.values():
                frame.collect_schema()
        except Exception:  # any failure means the column is needed
            return False
        return True

    names = list(base)
    return [name for name in names if not plans({n: base[n] for n in names if n != name})]


def _payload(name: str, frame: pl.DataFrame) -> pa.RecordBatch:
    return pa.RecordBatch.from_pydict(
        {"name": [name], "payload": [_ipc(frame)]},
        schema=pa.schema([("name", pa.string()), ("payload", pa.binary())]),
    )


def _ipc(frame: pl.DataFrame) -> bytes:
    buffer = io.BytesIO()
    frame.write_ipc(buffer, compression="zstd")
    return buffer.getvalue()


def _from_ipc(payload: bytes) -> pl.DataFrame:
    return pl.read_ipc(io.BytesIO(payload))


def stack_tables(parts: dict[str, list[pl.DataFrame]]) -> dict[str, pl.DataFrame]:
    """The global tables from the tables of disjoint groups of whole profiles.

    A table keyed by profile is the stack of its parts. A table without the profile column is a
    function of its key (a domain name's lexical signals), so its parts agree where they meet
    and are de-duplicated.
    """
    stacked = {}
    for name, frames in parts.items():
        table = pl.concat(frames, how="vertical_relaxed")
        if PROFILE not in table.columns:
            table = table.unique(maintain_order=True)
        stacked[name] = table
    return stacked


# Tables and bundle deserialised once per Python worker, not once per task.
_WORKER_CACHE: dict[str, tuple[ProfileTables, Bundle]] = {}


def _worker_state(token: str, tables: Broadcast, bundle: Broadcast) -> tuple[ProfileTables, Bundle]:
    if token not in _WORKER_CACHE:
        _WORKER_CACHE.clear()
        frames = {name: _from_ipc(payload).lazy() for name, payload in tables.value.items()}
        _WORKER_CACHE[token] = (ProfileTables(frames), bundle.value)
    return _WORKER_CACHE[token]


def _score_task(
    token: str, tables: Broadcast, bundle: Broadcast, n_reasons: int, target: pa.Schema
) -> Callable[[Iterator[pa.RecordBatch]], Iterator[Any]]:
    """Pass 3: features, score, label and reasons, batch by batch, as ``linktox score``."""

    def run(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        profile, model = _worker_state(token, tables, bundle)
        for batch in batches:
            if not batch.num_rows:
                continue
            # Row numbers join a batch's links to their own page scores: unique per batch.
            base = from_batch(batch).drop(ROW).with_row_index(ROW)
            scored = score_prepared(base.lazy(), profile, model, n_reasons)
            yield from to_batches(scored, target)

    return run


# The per-link view's columns the rollup and the disavow file read, after the source URL.
_VIEW = (outputs.REF_DOMAIN, SOURCE_HOST, outputs.TOXICITY_SCORE, outputs.LABEL, outputs.REASONS)


def rollup_view(scored: pl.LazyFrame) -> pl.LazyFrame:
    """Scored links (source URL, referring domain, score, label, reasons) as the per-link view
    of ``linktox score`` holds them for the rollup and the disavow file, keyed by their
    normalised referring domain (the rollup's shuffle key). Row-wise."""
    return source_hosts(scored).select(
        kept_url().alias(outputs.SOURCE_URL),
        *_VIEW,
        outputs.normalised_domain(outputs.REF_DOMAIN).alias(_KEY),
    )


def _rollup_view_task(target: pa.Schema) -> Callable[[Iterator[pa.RecordBatch]], Iterator[Any]]:
    """Pass 4a: :func:`rollup_view`, batch by batch."""

    def run(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        for batch in batches:
            if batch.num_rows:
                yield from to_batches(rollup_view(from_batch(batch).lazy()).collect(), target)

    return run


def _rollup_task(
    own_domains: Sequence[str], whitelist: Sequence[str]
) -> Callable[[Iterator[pa.RecordBatch]], Iterator[Any]]:
    """Pass 4b: the rollup rows and the listed URLs of the referring domains whose links all
    sit in this partition, as Arrow IPC."""

    def run(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        frames = [from_batch(batch) for batch in batches if batch.num_rows]
        if not frames:
            return
        rollup, urls = rollup_part(pl.concat(frames), own_domains, whitelist)
        yield _payload(_ROLLUP, rollup)
        yield _payload(_URLS, urls)

    return run


def rollup_part(
    view: pl.DataFrame, own_domains: Sequence[str], whitelist: Sequence[str]
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The rollup rows and the URLs the disavow file lists of whole referring domains
    (:func:`rollup_view` rows, every link of each normalised referring domain among them), by
    ``linktox score``'s own functions: every rollup row and listed URL is then the global one."""
    links = view.drop(_KEY)
    rollup = outputs.domain_rollup(links, own_domains=own_domains, whitelist=whitelist)
    return rollup, disavow_urls(rollup, links)


def stack_rollups(
    rollups: Sequence[pl.DataFrame], urls: Sequence[pl.DataFrame]
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The rollup (in its order) and the listed URLs from the :func:`rollup_part` of disjoint
    groups of referring domains."""
    empty_rollup, empty_urls = _empty_rollup()
    stacked = pl.concat([empty_rollup, *rollups], how="vertical_relaxed")
    return (
        outputs.sort_rollup(stacked.cast(empty_rollup.schema)),
        pl.concat([empty_urls, *urls], how="vertical_relaxed"),
    )


def _view_schema() -> pl.Schema:
    scored = pl.LazyFrame(
        schema={
            outputs.SOURCE_URL: pl.String,
            outputs.REF_DOMAIN: pl.String,
            outputs.TOXICITY_SCORE: pl.Float64,
            outputs.LABEL: pl.String,
            outputs.REASONS: pl.String,
        }
    )
    return rollup_view(scored).collect_schema()


def _empty_rollup() -> tuple[pl.DataFrame, pl.DataFrame]:
    return rollup_part(pl.DataFrame(schema=_view_schema()), (), ())


def score_on_spark(
    spark: SparkSession,
    links: DataFrame,
    out: str,
    bundle: Bundle,
    *,
    n_reasons: int,
    params: FeatureParams,
    own_domains: Sequence[str] = (),
    whitelist: Sequence[str] = (),
    partitions: int | None = None,
    batch_rows: int | None = None,
) -> SparkResult:
    """Score canonical ``links`` on Spark, write the scored links to ``out`` (Parquet), and
    build the referring-domain rollup and the URLs the disavow file lists.

    Args:
        spark: The session (local or a cluster's).
        links: Canonical links (:func:`read_links`).
        out: Where the scored links go (a folder of Parquet files, on any file system Spark
            writes to); it must not exist yet.
        bundle: The model.
        n_reasons: Reasons per flagged link.
        params: Feature settings, with the knowledge tables (read here, once).
        own_domains: Your own domains (the target domains are added), never disavowed.
        whitelist: Domains never to disavow (``outputs.normalise_entries`` notations).
        partitions: Repartition the input into this many partitions first (default: as read,
            or one per core when fewer).
        batch_rows: Links per Arrow batch handed to Python (default: Spark's setting).
    """
    from pyspark import StorageLevel
    from pyspark.sql import functions as F
    from pyspark.sql import types as T

    if batch_rows is not None:
        spark.conf.set("spark.sql.execution.arrow.maxRecordsPerBatch", str(batch_rows))
    large = _large_types(spark)
    seconds: dict[str, float] = {}
    sc = spark.sparkContext
    # The shipped tables, read once here and broadcast with the profile tables; the tasks get
    # neither them nor the lazy scans of the bundle's files (paths on this machine).
    shipped = {name: frame.collect() for name, frame in knowledge_tables(params.knowledge).items()}
    params = dataclasses.replace(params, knowledge=Knowledge.empty())

    start = time.perf_counter()
    links = links.withColumn(_LINK, F.monotonically_increasing_id())
    # A single large Parquet file or CSV reads as few partitions: spread the links over at least
    # as many partitions as there are cores, or the row-wise passes run on one of them.
    if partitions is None and links.rdd.getNumPartitions() < sc.defaultParallelism:
        partitions = sc.defaultParallelism
    if partitions:
        links = links.repartition(partitions)
    base_polars = prepare_base(pl.LazyFrame(schema=polars_schema(links.schema))).collect_schema()
    base_spark = spark_schema(base_polars)
    base = links.mapInArrow(_prepare_task(arrow_schema(base_spark, large)), base_spark)
    base = base.persist(StorageLevel.MEMORY_AND_DISK)
    rows = base.count()
    if not rows:
        raise InputError("no links to score")
    seconds["prepare"] = time.perf_counter() - start
    log.info("prepared %d links in %d partitions (%.0f s)", rows, base.rdd.getNumPartitions(),
             seconds["prepare"])  # fmt: skip

    start = time.perf_counter()
    by_profile = (
        base.select(_LINK, *table_columns(base_polars, params))
        .repartition(TARGET_DOMAIN)
        .sortWithinPartitions(TARGET_DOMAIN, _LINK)
        .drop(_LINK)
    )
    payloads = by_profile.mapInArrow(_tables_task(params), _TABLE_SCHEMA)
    parts: dict[str, list[pl.DataFrame]] = defaultdict(list)
    for row in payloads.collect():
        parts[row["name"]].append(_from_ipc(row["payload"]))
    tables = stack_tables(parts)
    table_rows = sum(frame.height for frame in tables.values())
    tables_bc = sc.broadcast({name: _ipc(frame) for name, frame in {**tables, **shipped}.items()})
    bundle_bc = sc.broadcast(dataclasses.replace(bundle, knowledge=Knowledge.empty()))
    seconds["tables"] = time.perf_counter() - start
    log.info("profile tables: %d rows, broadcast (%.0f s) with the model and its %d rows of "
             "knowledge tables", table_rows, seconds["tables"],
             sum(frame.height for frame in shipped.values()))  # fmt: skip

    start = time.perf_counter()
    # The input's columns (as conformed), then linktox's: an input column with the name of one
    # of linktox's is replaced by it, as in `linktox score`.
    kept = [
        name
        for name in links.columns
        if name not in SCORED_COLUMNS and not name.startswith(SCRATCH_PREFIX)
    ]
    scored_spark = T.StructType(
        [base_spark[name] for name in kept]
        + [
            T.StructField(outputs.REF_DOMAIN, T.StringType()),
            T.StructField(TARGET_DOMAIN, T.StringType()),
            T.StructField(outputs.TOXICITY_SCORE, T.DoubleType()),
            T.StructField(outputs.LABEL, T.StringType()),
            T.StructField(outputs.REASONS, T.StringType()),
        ]
    )
    task = _score_task(
        uuid.uuid4().hex, tables_bc, bundle_bc, n_reasons, arrow_schema(scored_spark, large)
    )
    base.mapInArrow(task, scored_spark).write.mode("errorifexists").parquet(out)
    base.unpersist()
    seconds["score"] = time.perf_counter() - start
    log.info("scored, explained and wrote %d links to %s (%.0f s)", rows, out, seconds["score"])

    start = time.perf_counter()
    written = spark.read.parquet(out)
    targets = [
        row[TARGET_DOMAIN]
        for row in written.select(TARGET_DOMAIN).where(F.col(TARGET_DOMAIN).isNotNull())
        .distinct().collect()
    ]  # fmt: skip
    own = tuple(sorted({*own_domains, *targets}))
    view_spark = spark_schema(_view_schema())
    scored = written.select(outputs.SOURCE_URL, *(name for name in _VIEW if name != SOURCE_HOST))
    view = scored.mapInArrow(_rollup_view_task(arrow_schema(view_spark, large)), view_spark)
    payloads = view.repartition(_KEY).mapInArrow(_rollup_task(own, whitelist), _TABLE_SCHEMA)
    found: dict[str, list[pl.DataFrame]] = defaultdict(list)
    for row in payloads.collect():
        found[row["name"]].append(_from_ipc(row["payload"]))
    rollup, urls = stack_rollups(found[_ROLLUP], found[_URLS])
    labels = {
        row[outputs.LABEL]: int(row["count"])
        for row in written.groupBy(outputs.LABEL).count().collect()
    }
    seconds["rollup"] = time.perf_counter() - start
    log.info("rollup: %d referring domains (%.0f s), %d URLs to disavow by URL", rollup.height,
             seconds["rollup"], urls.height)  # fmt: skip
    return SparkResult(
        rows=rows,
        labels=labels,
        rollup=rollup,
        urls=urls,
        own_domains=own,
        seconds=seconds,
    )
