"""Write a link table as the canonical CSV or as vendor exports (Semrush CSV, Ahrefs TSV).

The vendor files let the importers be tested on realistic input: exact headers, the vendors'
boolean spellings and encodings (Ahrefs: UTF-16 LE with a BOM, tab-separated). Truth columns
(``label``, ``tactic``, ``site``) are never written: a vendor export cannot know them. Every write
goes through :func:`pipeline.errors.atomic_path`, so a failed write leaves no partial file.
"""

from __future__ import annotations

import codecs
from datetime import date, timedelta
from pathlib import Path

import polars as pl

from features import schema
from pipeline.errors import atomic_path

SEMRUSH_COLUMNS: tuple[str, ...] = (
    "Page ascore",
    "Source title",
    "Source url",
    "Target url",
    "Anchor",
    "External links",
    "Internal links",
    "Nofollow",
    "Sponsored",
    "Ugc",
    "Text",
    "Frame",
    "Form",
    "Image",
    "Sitewide",
    "First seen",
    "Last seen",
    "New link",
    "Lost link",
)
AHREFS_COLUMNS: tuple[str, ...] = (
    "Referring page title",
    "Referring page URL",
    "Language",
    "Platform",
    "Referring page HTTP code",
    "Domain rating",
    "UR",
    "Domain traffic",
    "Referring domains",
    "Linked domains",
    "External links",
    "Page traffic",
    "Keywords",
    "Target URL",
    "Left context",
    "Anchor",
    "Right context",
    "Type",
    "Content",
    "Nofollow",
    "UGC",
    "Sponsored",
    "Rendered",
    "Raw",
    "Is spam",
    "Lost status",
    "Drop reason",
    "Discovered status",
    "Page category",
    "Page type",
    "Author",
    "First seen",
    "Last seen",
    "Lost",
    "Links in group",
)

# Semrush: "new" = first seen within a month of the export, "lost" = not seen for a month.
NEW_LOST_DAYS = 30
_DATE = "%Y-%m-%d"
_AHREFS_DATETIME = "%Y-%m-%d %H:%M:%S"
_CHUNK_ROWS = 200_000  # the Ahrefs writer encodes this many rows at a time


def _canonical(df: pl.DataFrame) -> pl.DataFrame:
    """Every canonical column with its dtype, in ``CANONICAL`` order; nothing else."""
    return schema.conform(df.lazy()).select(list(schema.CANONICAL)).collect()


def _flag(expr: pl.Expr, true: str, false: str) -> pl.Expr:
    """A boolean as a vendor's words; a missing flag is written as false, as vendors do."""
    return pl.when(expr.fill_null(False)).then(pl.lit(true)).otherwise(pl.lit(false))


def _whole(expr: pl.Expr) -> pl.Expr:
    """Authority and traffic as the whole numbers vendors print."""
    return expr.round(0).cast(pl.Int64)


def _new_and_lost(links: pl.DataFrame) -> tuple[pl.Expr, pl.Expr]:
    """Semrush's New/Lost flags, relative to the export's crawl date (the latest ``last_seen``)."""
    crawled = links[schema.LAST_SEEN].max()
    if not isinstance(crawled, date):
        return pl.lit(False), pl.lit(False)
    month = timedelta(days=NEW_LOST_DAYS)
    new = pl.col(schema.FIRST_SEEN) >= pl.lit(crawled - month)
    lost = pl.col(schema.LAST_SEEN) < pl.lit(crawled - month)
    return new.fill_null(False), lost.fill_null(False)


def write_canonical_csv(df: pl.DataFrame, path: Path) -> None:
    """The canonical link table as UTF-8 CSV: ``CANONICAL`` columns in order, ISO dates."""
    links = _canonical(df)
    with atomic_path(Path(path)) as tmp:
        links.write_csv(tmp, date_format=_DATE)


def semrush_frame(df: pl.DataFrame) -> pl.DataFrame:
    """The link table in Semrush Backlinks' current export columns, as strings where Semrush
    writes words (TRUE/FALSE)."""
    links = _canonical(df)
    new, lost = _new_and_lost(links)
    link_type = pl.col(schema.LINK_TYPE)
    columns = {
        "Page ascore": _whole(pl.col(schema.PAGE_AUTHORITY)),
        "Source title": pl.col(schema.SOURCE_TITLE),
        "Source url": pl.col(schema.SOURCE_URL),
        "Target url": pl.col(schema.TARGET_URL),
        "Anchor": pl.col(schema.ANCHOR),
        "External links": pl.col(schema.EXTERNAL_LINKS),
        "Internal links": pl.col(schema.INTERNAL_LINKS),
        "Nofollow": _flag(pl.col(schema.NOFOLLOW), "TRUE", "FALSE"),
        "Sponsored": _flag(pl.col(schema.SPONSORED), "TRUE", "FALSE"),
        "Ugc": _flag(pl.col(schema.UGC), "TRUE", "FALSE"),
        "Text": _flag(link_type == "text", "TRUE", "FALSE"),
        "Frame": _flag(link_type == "frame", "TRUE", "FALSE"),
        "Form": _flag(link_type == "form", "TRUE", "FALSE"),
        "Image": _flag(link_type == "image", "TRUE", "FALSE"),
        "Sitewide": _flag(pl.col(schema.SITEWIDE), "TRUE", "FALSE"),
        "First seen": pl.col(schema.FIRST_SEEN).dt.strftime(_DATE),
        "Last seen": pl.col(schema.LAST_SEEN).dt.strftime(_DATE),
        "New link": _flag(new, "TRUE", "FALSE"),
        "Lost link": _flag(lost, "TRUE", "FALSE"),
    }
    return links.select(expr.alias(name) for name, expr in columns.items())


def write_semrush_csv(df: pl.DataFrame, path: Path) -> None:
    """A Semrush Backlinks export (current columns): UTF-8 CSV, booleans TRUE/FALSE."""
    frame = semrush_frame(df)
    with atomic_path(Path(path)) as tmp:
        frame.write_csv(tmp)


def ahrefs_frame(df: pl.DataFrame) -> pl.DataFrame:
    """The link table in Ahrefs Site Explorer v3 backlink columns; unknown columns left empty."""
    links = _canonical(df)
    _, lost = _new_and_lost(links)
    empty = pl.lit(None, dtype=pl.String)
    known = {
        "Referring page title": pl.col(schema.SOURCE_TITLE),
        "Referring page URL": pl.col(schema.SOURCE_URL),
        "Language": pl.col(schema.SOURCE_LANGUAGE),
        "Domain rating": _whole(pl.col(schema.DOMAIN_AUTHORITY)),
        "UR": _whole(pl.col(schema.PAGE_AUTHORITY)),
        "Domain traffic": _whole(pl.col(schema.DOMAIN_TRAFFIC)),
        "External links": pl.col(schema.EXTERNAL_LINKS),
        "Target URL": pl.col(schema.TARGET_URL),
        "Left context": pl.col(schema.LEFT_CONTEXT),
        "Anchor": pl.col(schema.ANCHOR),
        "Right context": pl.col(schema.RIGHT_CONTEXT),
        "Type": pl.col(schema.LINK_TYPE),
        "Nofollow": _flag(pl.col(schema.NOFOLLOW), "true", "false"),
        "UGC": _flag(pl.col(schema.UGC), "true", "false"),
        "Sponsored": _flag(pl.col(schema.SPONSORED), "true", "false"),
        "First seen": pl.col(schema.FIRST_SEEN)
        .cast(pl.Datetime("us"))
        .dt.strftime(_AHREFS_DATETIME),
        "Last seen": pl.col(schema.LAST_SEEN).cast(pl.Datetime("us")).dt.strftime(_AHREFS_DATETIME),
        "Lost": pl.when(lost)
        .then(pl.col(schema.LAST_SEEN).cast(pl.Datetime("us")).dt.strftime(_AHREFS_DATETIME))
        .otherwise(empty),
    }
    return links.select(known.get(name, empty).alias(name) for name in AHREFS_COLUMNS)


def write_ahrefs_tsv(df: pl.DataFrame, path: Path) -> None:
    """An Ahrefs Site Explorer v3 backlinks export: UTF-16 LE with BOM, tab-separated.

    Encoded in chunks of rows so that a million-link export never holds two full copies of the
    text in memory.
    """
    frame = ahrefs_frame(df)
    with atomic_path(Path(path)) as tmp, tmp.open("wb") as handle:
        handle.write(codecs.BOM_UTF16_LE)
        for start in range(0, max(frame.height, 1), _CHUNK_ROWS):
            chunk = frame.slice(start, _CHUNK_ROWS)
            text = chunk.write_csv(separator="\t", include_header=start == 0)
            handle.write(text.encode("utf-16-le"))
