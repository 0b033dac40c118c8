"""The one place where the real-data evaluation touches linktox's internals.

linktox's modules are being moved around (``pipeline/score.py`` becomes
``pipeline/commands/score.py`` ...), so every import of them sits in this file: when a module
moves, only the imports below change. Scoring runs in-process with the bundle loaded once, through
the same importer (format detection, row checks) and streaming scorer as ``linktox score``, so
real-format handling is exercised exactly as a user meets it.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import polars as pl

from features.knowledge import SPAM_GROUPS as _SPAM_GROUPS

# The knowledge's spam-side category columns (weak labels leave those domains out).
SPAM_GROUPS: tuple[str, ...] = _SPAM_GROUPS

# Output columns of score_export: what the evaluation reads from a scored link.
OUTPUT: tuple[str, ...] = (
    "ref_domain",
    "source_host",
    "source_url",
    "target_url",
    "toxicity_score",
    "label",
    "reasons",
)


class ExportRefused(Exception):
    """linktox refused the export; the message is linktox's own one-line error."""


@dataclass(frozen=True)
class Model:
    """A loaded bundle and the scoring settings of ``params.yaml``."""

    bundle: object
    path: Path
    n_reasons: int
    feature_params: object
    batch_size: int


@dataclass(frozen=True)
class Scored:
    """One scored export: ``links`` (columns ``OUTPUT``), its format and the rows skipped."""

    links: pl.DataFrame
    format: str
    skipped: int
    problems: tuple[str, ...]


def load_model(bundle_dir: Path, params: Path | None = None, lookups: bool = True) -> Model:
    """Load the bundle once (and the scoring settings from ``params``, default the repo's).

    ``lookups=False`` scores without the knowledge lookups (category lists, popularity) but with
    the name model, to show what the name model alone generalises to.
    """
    from features.build import FeatureParams
    from features.knowledge import Knowledge
    from models.bundle import Bundle
    from pipeline.config import load_params

    cfg = load_params(params)
    bundle = Bundle.load(Path(bundle_dir))
    knowledge = bundle.knowledge
    if not lookups:
        empty = Knowledge.empty()
        knowledge = Knowledge(empty.domains, empty.popularity, knowledge.name_weights)
    return Model(
        bundle=bundle,
        path=Path(bundle_dir),
        n_reasons=cfg.score.reasons,
        feature_params=FeatureParams(
            burst_window_days=cfg.featurize.burst_window_days, knowledge=knowledge
        ),
        batch_size=cfg.score.batch_size,
    )


def cutoffs(model: Model) -> dict[str, float]:
    """Where the bundle's review and toxic bands start (scores 0-100)."""
    bands = model.bundle.cutoffs  # type: ignore[attr-defined]
    return {"review": float(bands.review), "toxic": float(bands.toxic)}


def bundle_md5(bundle_dir: Path) -> str:
    """The bundle's hash as linktox tags it in MLflow (``bundle_md5``)."""
    from pipeline.provenance import md5_tree

    return md5_tree(Path(bundle_dir))


def linktox_commit() -> str:
    """The git commit of the linktox checkout (``-dirty`` when it has uncommitted changes)."""
    from pipeline.provenance import git_commit

    with contextlib.chdir(Path(__file__).resolve().parents[2]):
        return git_commit()


def score_export(
    path: Path,
    model: Model,
    *,
    site: str | None = None,
    fmt: str | None = None,
    on_error: str = "skip",
) -> Scored:
    """Score one export file as ``linktox score`` would, in-process; its own profile.

    Raises:
        ExportRefused: the importer or scorer refused the file (linktox's message).
    """
    from pipeline.errors import LinktoxError
    from pipeline.importers import open_export
    from pipeline.stream import score_chunks

    kept: list[pl.DataFrame] = []
    scored: list[pl.DataFrame] = []

    def urls(chunks: Iterator) -> Iterator:
        # The scored batches carry the vendor's columns, not the canonical URLs: keep those from
        # the importer's chunks (same rows, same order).
        for chunk in chunks:
            kept.append(chunk.links.select("source_url", "target_url"))
            yield chunk

    def write(batches: Iterator[pl.DataFrame]) -> int:
        rows = 0
        for batch in batches:
            scored.append(batch.select("ref_domain", "toxicity_score", "label", "reasons"))
            rows += batch.height
        return rows

    mode = "skip" if on_error == "skip" else "fail"
    try:
        stream = open_export(Path(path), fmt, site=site, on_error=mode, chunk_rows=model.batch_size)
        score_chunks(
            urls(stream.chunks()),
            model.bundle,
            write,
            n_reasons=model.n_reasons,
            params=model.feature_params,
            progress=False,
        )
    except (LinktoxError, ValueError) as exc:
        raise ExportRefused(str(exc)) from exc
    links = pl.concat(kept).with_columns(pl.concat(scored))
    links = links.with_columns(
        pl.col("source_url")
        .str.extract(r"^[A-Za-z][A-Za-z0-9+.\-]*://(?:[^/?#@]*@)?([^/?#:]+)", 1)
        .str.to_lowercase()
        .alias("source_host"),
        pl.col("label").cast(pl.String),
        pl.col("ref_domain").cast(pl.String),
    )
    return Scored(
        links=links.select(OUTPUT),
        format=stream.format,
        skipped=stream.skipped,
        problems=stream.problems,
    )


def quiet() -> None:
    """Keep linktox's per-file log lines (read, skipped, scored) out of the evaluation's output."""
    for name in ("pipeline", "features", "models"):
        logging.getLogger(name).setLevel(logging.ERROR)


# Columns of link_shapes: linktox's own reading of a link, for comparing worlds with real exports.
SHAPES: tuple[str, ...] = (
    "anchor_class",
    "anchor_length",
    "anchor_words",
    "path_length",
    "path_depth",
    "query_params",
    "https",
    "source_tld",
    "title_words",
    "title_script",
)


@dataclass(frozen=True)
class Read:
    """One export read into canonical columns (``canonical_columns()``), and the rows skipped."""

    links: pl.DataFrame
    format: str
    skipped: int


def canonical_columns() -> tuple[str, ...]:
    """The canonical link columns, in linktox's order (truth columns excluded)."""
    from features.schema import CANONICAL

    return tuple(CANONICAL)


def read_links(path: Path, *, fmt: str | None = None, on_error: str = "skip") -> Read:
    """Read an export through linktox's importer, as ``linktox score`` reads it.

    Raises:
        ExportRefused: the importer refused the file (linktox's message).
    """
    from pipeline.errors import LinktoxError
    from pipeline.importers import read_export

    mode: Literal["skip", "fail"] = "skip" if on_error == "skip" else "fail"
    try:
        result = read_export(Path(path), fmt, on_error=mode)
    except (LinktoxError, ValueError) as exc:
        raise ExportRefused(str(exc)) from exc
    return Read(links=result.links, format=result.format, skipped=result.skipped)


def link_shapes(links: pl.DataFrame) -> pl.DataFrame:
    """Per link (same rows, same order), the columns ``SHAPES`` as linktox's features see them.

    The anchor class comes from linktox's anchor classifier (profiles keyed by target domain, as
    when scoring), the path, query and TLD from its URL parser, the title words and writing script
    from its text helpers, so a world and a real export are measured with one ruler.
    """
    from features import anchors, urls
    from features.build import build_features
    from features.columns import ANCHOR_CLASS, SOURCE_TLD
    from features.schema import SOURCE_TITLE, conform
    from features.text import add_script, words

    canonical = conform(links.lazy()).select(canonical_columns())
    built = build_features(canonical).select(
        pl.col(ANCHOR_CLASS).cast(pl.String).alias("anchor_class"),
        pl.col(anchors.ANC_LENGTH).alias("anchor_length"),
        pl.col(anchors.ANC_WORDS).alias("anchor_words"),
        pl.col(urls.URL_PATH_LENGTH).alias("path_length"),
        pl.col(urls.URL_PATH_DEPTH).alias("path_depth"),
        pl.col(urls.URL_QUERY_PARAMS).alias("query_params"),
        pl.col(urls.URL_HTTPS).alias("https"),
        pl.col(SOURCE_TLD).cast(pl.String).alias("source_tld"),
    )
    title = pl.col(SOURCE_TITLE)
    titles = add_script(
        canonical.select(title, words(title).list.len().alias("title_words")),
        title,
        "title_script",
    ).select("title_words", "title_script")
    built_frame, title_frame = pl.collect_all([built, titles])
    return pl.concat([built_frame, title_frame], how="horizontal").select(SHAPES)


def conform(links: pl.DataFrame) -> pl.DataFrame:
    """Every canonical column in linktox's dtype (missing ones null), then any other columns."""
    from features.schema import conform as conform_lazy

    return conform_lazy(links.lazy()).collect()
