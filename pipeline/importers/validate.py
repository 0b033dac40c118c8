"""Row checks after mapping: URLs that are not http(s) with a host a browser opens, and
repeated rows.

:meth:`RowChecker.rows` gives, per row, what makes it unscorable (a bad URL) and which earlier
row it repeats; :meth:`RowChecker.check` turns both into one message per bad row, naming its
position in the file, for ``on_error="fail"``/``"skip"``, where a repeated link is a bad row.
``read_export`` decides what happens to them. The checker works chunk by chunk: repeats are
found across chunks through a 128-bit hash of each key seen (two seeded 64-bit polars hashes) and
the line of its first good row, kept in a polars frame of 24 bytes per distinct key rather than
the rows themselves.

Two keys: ``fail``/``skip`` call a row a duplicate when it has the same source_url, target_url
and anchor as an earlier row (:data:`DUPLICATE_KEY`, today's strict rule); the default ``keep``
calls a row a repeat only when every canonical value is the same (:data:`EXACT_KEY`): the same
link with the same attributes, which users get by concatenating exports. A repeat is counted
once and scored as its first copy.
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
EXACT_KEY: tuple[str, ...] = tuple(schema.CANONICAL)
DUPLICATE_OF = "duplicate_of"


_URL_HEAD = "__url_head"
_URL_OK = "__url_ok"
_BAD = "__bad"
_REPEATED_HASH = "__repeated_hash"
_ROW = "__row"
_FIRST = "__first"
_IS_FIRST = "__is_first"
_PRIOR = "__prior"
_HASHES: tuple[str, ...] = ("__hash_1", "__hash_2")
_SEEDS = (0x6C696E6B, 0x746F7869)


def row_problems(
    links: pl.DataFrame, positions: pl.Series, unit: str, sources: Mapping[str, str]
) -> pl.Series:
    """One message per bad row of ``links`` (null for good rows), aligned with its rows.

    ``sources`` names the vendor column behind a canonical one, for messages
    (``source_url 'x' (column 'Referring page URL')``).
    """
    return RowChecker(unit, sources).check(links, positions)


class RowChecker:
    """Checks the rows of an export chunk by chunk, remembering the keys seen for repeats.

    A row repeats an earlier good row (in this chunk or an earlier one) with the same ``key``;
    rows with a bad URL, or marked bad by the caller, never count as that earlier row.
    """

    def __init__(
        self, unit: str, sources: Mapping[str, str], key: tuple[str, ...] = DUPLICATE_KEY
    ) -> None:
        self.unit = unit
        self.sources = sources
        self.key = key
        self._seen: list[pl.DataFrame] = []  # hashes of each key seen, and its first position

    def check(self, links: pl.DataFrame, positions: pl.Series) -> pl.Series:
        """One message per bad row of ``links`` (null for good rows), aligned with its rows."""
        rows = self.rows(links, positions)
        duplicate_message = pl.format(
            "{} {}: duplicate of {} {} (same source_url, target_url and anchor)",
            pl.lit(self.unit),
            pl.col(_POSITION),
            pl.lit(self.unit),
            pl.col(DUPLICATE_OF),
        )
        return rows.select(
            pl.when(pl.col(PROBLEM).is_not_null())
            .then(pl.format("{} {}: {}", pl.lit(self.unit), pl.col(_POSITION), pl.col(PROBLEM)))
            .when(pl.col(DUPLICATE_OF).is_not_null())
            .then(duplicate_message)
            .alias(PROBLEM)
        )[PROBLEM]

    def rows(
        self, links: pl.DataFrame, positions: pl.Series, bad: pl.Series | None = None
    ) -> pl.DataFrame:
        """Per row: ``problem`` (why its URLs cannot be scored, null if they can) and
        ``duplicate_of`` (the position of the earlier good row it repeats, null if none), plus
        its position. ``bad`` marks rows already known bad (malformed), which are left alone."""
        url_messages = pl.concat(
            [self._url_problems(links, name) for name in schema.REQUIRED], how="horizontal"
        )
        messages = [pl.lit(url_messages[name]) for name in schema.REQUIRED]
        bad_url: pl.Expr = pl.when(
            pl.any_horizontal(message.is_not_null() for message in messages)
        ).then(pl.concat_str(messages, separator="; ", ignore_nulls=True))
        if bad is not None:
            bad_url = pl.when(pl.lit(bad)).then(pl.lit(None, pl.String)).otherwise(bad_url)
        key = pl.struct(*self.key)
        framed = links.select(*self.key).with_columns(
            positions.alias(_POSITION),
            bad_url.alias(PROBLEM),
            pl.lit(bad if bad is not None else False).alias(_BAD),
            *(key.hash(seed).alias(name) for seed, name in zip(_SEEDS, _HASHES, strict=True)),
        )
        framed = self._with_prior(_with_first(framed, self.key))
        self._remember(framed.filter(pl.col(_IS_FIRST) & pl.col(_PRIOR).is_null()))
        good = pl.col(PROBLEM).is_null() & ~pl.col(_BAD)
        duplicate = good & (~pl.col(_IS_FIRST) | pl.col(_PRIOR).is_not_null())
        return framed.select(
            pl.col(_POSITION),
            pl.col(PROBLEM),
            pl.when(duplicate).then(pl.coalesce(_PRIOR, _FIRST)).alias(DUPLICATE_OF),
        )

    def _url_problems(self, links: pl.DataFrame, name: str) -> pl.DataFrame:
        """Column ``name``: the message for each row's bad URL (null when fine). URLs are checked
        once per distinct head (:func:`values.url_head`): a chunk has few target URLs, and its
        source pages share far fewer hosts."""
        heads = links.select(values.url_head(pl.col(name)).alias(_URL_HEAD))
        checked = values.by_distinct(
            heads,
            [_URL_HEAD],
            lambda distinct: distinct.with_columns(
                values.is_http_url(pl.col(_URL_HEAD)).alias(_URL_OK)
            ),
        )
        return links.select(
            _url_problem(name, self.sources.get(name), pl.lit(checked[_URL_OK])).alias(name)
        )

    def _with_prior(self, framed: pl.DataFrame) -> pl.DataFrame:
        """Add the position of a key's first good row in an earlier chunk (null if none)."""
        if not self._seen:
            return framed.with_columns(pl.lit(None, pl.Int64).alias(_PRIOR))
        keys = framed.filter(pl.col(_IS_FIRST)).select(*_HASHES)
        # The many seen keys are first narrowed to those sharing the chunk's first hash (a
        # filter, which neither copies nor hashes them all: a join of every seen key took memory
        # growing with the export, about 0.7 GiB at ten million links), and only these few are
        # joined on both hashes and then back onto the chunk's rows.
        first = pl.col(_HASHES[0])
        prior = (
            pl.concat(self._seen)
            .filter(first.is_in(keys.get_column(_HASHES[0]).implode()))
            .join(keys, on=list(_HASHES), how="inner")
        )
        return framed.join(
            prior.rename({_FIRST: _PRIOR}), on=list(_HASHES), how="left", maintain_order="left"
        )

    def _remember(self, first: pl.DataFrame) -> None:
        if first.height:
            self._seen.append(first.select(*_HASHES, pl.col(_POSITION).alias(_FIRST)))


def _with_first(framed: pl.DataFrame, key: tuple[str, ...]) -> pl.DataFrame:
    """Add, per row, the position of the chunk's first good row with its key (``__first``, null
    when none) and whether it is that row (``__is_first``).

    Rows with the same key have the same hashes, so a row whose hashes no other row of the chunk
    shares has a key of its own: it is its own first row when good. Only the few rows sharing
    hashes (repeats, or a collision) are grouped by their full key, all copies of a key together.
    """
    good = pl.col(PROBLEM).is_null() & ~pl.col(_BAD)
    framed = framed.with_columns(pl.struct(*_HASHES).is_duplicated().alias(_REPEATED_HASH))
    framed = framed.with_columns(
        pl.when(good).then(pl.col(_POSITION)).alias(_FIRST), good.alias(_IS_FIRST)
    )
    shared = framed.with_row_index(_ROW).filter(pl.col(_REPEATED_HASH))
    if shared.height:
        grouped = shared.select(
            _ROW,
            pl.col(_POSITION).filter(good).first().over(*key).alias(_FIRST),
            (good & pl.when(good).then(pl.struct(*key)).is_first_distinct()).alias(_IS_FIRST),
        )
        framed = framed.with_columns(
            framed[name].clone().scatter(grouped[_ROW], grouped[name])
            for name in (_FIRST, _IS_FIRST)
        )
    return framed.drop(_REPEATED_HASH)


def _url_problem(name: str, source: str | None, is_url: pl.Expr) -> pl.Expr:
    """The message for a bad URL in canonical column ``name``, null when the URL is fine;
    ``is_url`` is :func:`values.is_http_url` of the column. Only bad URLs are cut and quoted
    (null text formats to null), not every row's."""
    value = pl.col(name)
    where = f" (column {source!r})" if source and source != name else ""
    shown = pl.when(~is_url).then(value).str.slice(0, _SHOWN_CHARS)
    return (
        pl.when(value.is_null())
        .then(pl.lit(f"{name} is empty{where}"))
        .otherwise(pl.format(f"{name} '{{}}'{where} is not an http(s) URL with a host", shown))
    )
