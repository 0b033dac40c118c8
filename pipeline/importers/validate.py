"""Row checks after mapping: URLs that are not http(s) with a host, and duplicate links.

Each check yields one message per bad row, naming its position in the file; ``read_export``
decides whether they fail the import or are skipped and reported.
"""

from __future__ import annotations

from collections.abc import Mapping

import polars as pl

from features import schema
from pipeline.importers import values
from pipeline.importers.read import PROBLEM

_POSITION = "__position"
# Long values are cut in messages so that one bad row stays one readable line.
_SHOWN_CHARS = 80
DUPLICATE_KEY: tuple[str, ...] = (schema.SOURCE_URL, schema.TARGET_URL, schema.ANCHOR)


def row_problems(
    links: pl.DataFrame, positions: pl.Series, unit: str, sources: Mapping[str, str]
) -> pl.Series:
    """One message per bad row of ``links`` (null for good rows), aligned with its rows.

    ``sources`` names the vendor column behind a canonical one, for messages
    (``source_url 'x' (column 'Referring page URL')``).
    """
    framed = links.select(*DUPLICATE_KEY).with_columns(positions.alias(_POSITION))
    url_messages = [_url_problem(name, sources.get(name)) for name in schema.REQUIRED]
    bad_url = pl.when(pl.any_horizontal(message.is_not_null() for message in url_messages)).then(
        pl.concat_str(url_messages, separator="; ", ignore_nulls=True)
    )
    # A row is a duplicate when an earlier good row has the same source, target and anchor.
    key = pl.struct(*DUPLICATE_KEY)
    good = bad_url.is_null()
    first_position = pl.col(_POSITION).filter(good).first().over(*DUPLICATE_KEY)
    duplicate = good & ~pl.when(good).then(key).is_first_distinct()
    duplicate_message = pl.format(
        "{} {}: duplicate of {} {} (same source_url, target_url and anchor)",
        pl.lit(unit),
        pl.col(_POSITION),
        pl.lit(unit),
        first_position,
    )
    return framed.select(
        pl.when(~good)
        .then(pl.format("{} {}: {}", pl.lit(unit), pl.col(_POSITION), bad_url))
        .when(duplicate)
        .then(duplicate_message)
        .alias(PROBLEM)
    )[PROBLEM]


def _url_problem(name: str, source: str | None) -> pl.Expr:
    """The message for a bad URL in canonical column ``name``, null when the URL is fine."""
    value = pl.col(name)
    where = f" (column {source!r})" if source and source != name else ""
    shown = value.str.slice(0, _SHOWN_CHARS)
    return (
        pl.when(value.is_null())
        .then(pl.lit(f"{name} is empty{where}"))
        .when(~values.is_http_url(value))
        .then(pl.format(f"{name} '{{}}'{where} is not an http(s) URL with a host", shown))
    )
