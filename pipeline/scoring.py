"""Score one export with one bundle: the single path ``score``, ``diff`` and ``gap`` share.

``linktox score`` streams the scored table to a file (:func:`pipeline.stream.score_chunks` with a
writer). ``diff`` and ``gap`` compare whole profiles, so they need every link's URLs, dates and
authority beside its score: :func:`score_export` runs the same importer and the same
:func:`~pipeline.stream.score_chunks` and keeps those columns. An export already scored by
``linktox score`` (its table carries ``toxicity_score``, ``label`` and ``reasons``) is read as
scored, so a month-old audit can be compared without rescoring it.
"""

from __future__ import annotations

import itertools
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import polars as pl

from features import schema
from features.build import ANCHOR_CLASS, REF_DOMAIN, SOURCE_HOST, FeatureParams
from features.urls import UrlParts, parse_urls, split_url
from models import registry
from models.bundle import Bundle
from models.columns import LABEL, REASONS, TOXICITY_SCORE
from pipeline import paths
from pipeline.config import Params
from pipeline.errors import InputError, LinktoxError
from pipeline.outputs.rollup import check_labels, normalised_domain
from pipeline.stream import SCORE_COLUMNS, score_chunks

log = logging.getLogger(__name__)

# Columns of every link that diff and gap read, beside the scores.
LINK_COLUMNS: tuple[str, ...] = (
    schema.SOURCE_URL,
    schema.TARGET_URL,
    schema.ANCHOR,
    schema.SOURCE_TITLE,
    schema.FIRST_SEEN,
    schema.DOMAIN_AUTHORITY,
)
# Every column of :attr:`ScoredExport.links`. ``source_host`` lets the rollup apply its platform
# guard (a domain with links from many unrelated subdomains is a platform), as `score`'s does.
SCORED_COLUMNS: tuple[str, ...] = (
    *LINK_COLUMNS,
    REF_DOMAIN,
    SOURCE_HOST,
    ANCHOR_CLASS,
    TOXICITY_SCORE,
    LABEL,
    REASONS,
)

_TARGET = UrlParts("_lt_sc_target")
_SOURCE = UrlParts("_lt_sc_source")


def load_bundle(model: str | None, tracking_uri: str | None) -> tuple[Bundle, str]:
    """The bundle for ``--model`` (path or registry URI; default @champion, else newest)."""
    if model is None or model.startswith("models:/"):
        resolved = registry.resolve_in(paths.tracking_uri(tracking_uri), model)
    else:
        resolved = registry.resolve(model)
    return Bundle.load(resolved.path), resolved.description


def feature_params(cfg: Params, bundle: Bundle) -> FeatureParams:
    """The feature settings scoring uses: params.yaml's, with the knowledge tables the bundle
    carries (the same tables it was trained with)."""
    return FeatureParams(
        burst_window_days=cfg.featurize.burst_window_days, knowledge=bundle.knowledge
    )


@dataclass(frozen=True)
class ScoredExport:
    """One export, every link scored.

    Attributes:
        path: The file read.
        links: ``SCORED_COLUMNS``, one row per link, in file order (``anchor_class`` is null
            for a table scored earlier, which does not carry it).
        target_domains: The registrable domains the links point to (the audited site).
        scored_by: The model's description, or ``"scores read from the table"``.
        skipped: Malformed rows left out (``--on-error skip``).
    """

    path: Path
    links: pl.DataFrame
    target_domains: tuple[str, ...]
    scored_by: str
    skipped: int = 0

    @property
    def site(self) -> str:
        """What users call this profile: its target domains, else the file name."""
        return ", ".join(self.target_domains) or self.path.name


PRESCORED = "scores read from the table"


def on_error_mode(on_error: str) -> Literal["fail", "skip"]:
    """``--on-error`` checked: 'fail' or 'skip'."""
    if on_error not in ("fail", "skip"):
        raise LinktoxError(f"--on-error must be 'fail' or 'skip', not {on_error!r}")
    return "skip" if on_error == "skip" else "fail"


class ModelLoader:
    """Loads the bundle once, and only if some export needs scoring."""

    def __init__(self, model: str | None, tracking_uri: str | None) -> None:
        self._args = (model, tracking_uri)
        self._loaded: tuple[Bundle, str] | None = None

    def __call__(self) -> tuple[Bundle, str]:
        if self._loaded is None:
            self._loaded = load_bundle(*self._args)
        return self._loaded


def score_export(
    path: Path,
    models: ModelLoader,
    cfg: Params,
    *,
    fmt: str | None = None,
    site: str | None = None,
    on_error: Literal["fail", "skip"] = "fail",
    progress: bool = True,
) -> ScoredExport:
    """Read ``path`` and score every link (or read the scores of a table ``score`` wrote).

    Raises:
        InputError: the export cannot be read, or a scored table's scores are not valid.
    """
    from pipeline.importers import open_export

    stream = open_export(path, fmt, site=site, on_error=on_error, chunk_rows=cfg.score.batch_size)
    chunks = iter(stream.chunks())
    first = next(chunks, None)
    if first is None:  # pragma: no cover - the importer raises on an export without rows
        raise InputError(f"{path}: no links")
    if set(SCORE_COLUMNS) <= set(first.original.columns):
        parts = [first, *chunks]
        links = _check_prescored(
            pl.concat([_prescored(chunk.links, chunk.original) for chunk in parts]), path
        )
        targets = _target_domains(links)
        scored_by = PRESCORED
    else:
        bundle, scored_by = models()
        result = score_chunks(
            itertools.chain([first], chunks),
            bundle,
            lambda batches: sum(batch.height for batch in batches),
            n_reasons=cfg.score.reasons,
            params=feature_params(cfg, bundle),
            progress=progress,
            keep=LINK_COLUMNS,
        )
        assert result.kept is not None
        links = result.kept.with_columns(
            result.view.select(
                pl.col(REF_DOMAIN).cast(pl.String),
                pl.col(SOURCE_HOST).cast(pl.String),
                pl.col(ANCHOR_CLASS).cast(pl.String),
                TOXICITY_SCORE,
                pl.col(LABEL).cast(pl.String),
                pl.col(REASONS).cast(pl.String),
            )
        ).select(SCORED_COLUMNS)
        targets = result.target_domains
    if stream.skipped:
        log.warning("%s: skipped %d malformed rows", path, stream.skipped)
    log.info("%s: %d links (%s)", path, links.height, scored_by)
    return ScoredExport(path, links, targets, scored_by, stream.skipped)


def _prescored(links: pl.DataFrame, original: pl.DataFrame) -> pl.DataFrame:
    """The link columns of a chunk beside the scores ``linktox score`` wrote into it."""
    score = pl.col(TOXICITY_SCORE).cast(pl.String).str.strip_chars()
    return pl.concat(
        [
            links.select(LINK_COLUMNS),
            split_url(links.lazy().select(schema.SOURCE_URL), schema.SOURCE_URL, _SOURCE)
            .select(pl.col(_SOURCE.host).alias(SOURCE_HOST))
            .collect(),
            original.select(
                normalised_domain(REF_DOMAIN).alias(REF_DOMAIN),
                pl.lit(None, pl.String).alias(ANCHOR_CLASS),
                score.cast(pl.Float64, strict=False).alias(TOXICITY_SCORE),
                score.alias("_lt_score_text"),
                pl.col(LABEL).cast(pl.String).str.strip_chars().alias(LABEL),
                pl.col(REASONS).cast(pl.String).fill_null("").alias(REASONS),
            ),
        ],
        how="horizontal",
    )


def _check_prescored(links: pl.DataFrame, path: Path) -> pl.DataFrame:
    """A scored table's scores must be 0-100 numbers and its labels linktox's three."""
    bad = links.with_row_index("_lt_row").filter(
        pl.col(TOXICITY_SCORE).is_null() | ~pl.col(TOXICITY_SCORE).is_between(0, 100)
    )
    if bad.height:
        row = bad.row(0, named=True)
        raise InputError(
            f"{path}: data row {row['_lt_row'] + 1}: column {TOXICITY_SCORE!r} holds "
            f"{row['_lt_score_text']!r}; expected a score from 0 to 100 (a table written by "
            "linktox score)"
        )
    try:
        check_labels(links, LABEL)
    except LinktoxError as exc:
        raise InputError(f"{path}: {exc}") from None
    return links.select(SCORED_COLUMNS)


def _target_domains(links: pl.DataFrame) -> tuple[str, ...]:
    found = (
        parse_urls(links.lazy().select(schema.TARGET_URL), schema.TARGET_URL, _TARGET)
        .select(pl.col(_TARGET.site).drop_nulls().unique())
        .collect()
        .get_column(_TARGET.site)
    )
    return tuple(sorted(found.to_list()))
