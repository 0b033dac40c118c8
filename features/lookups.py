"""Joining lookup tables onto links without carrying the links' other columns through the join.

A left join copies every column of its left frame into the result (a gather by row). The link
frames of :mod:`features.build` are wide (the input, the parsed URLs, the scratch keys, then the
features), and the profile-level tables are joined onto them one after another, so most of the
time went into copying the same columns again and again. :func:`join_lookups` joins each table
onto a frame of its key columns only and sets the looked-up columns beside the links: the same
rows in the same order, as a left join with ``maintain_order="left"`` gives them (joined unordered
and sorted back by row number, which the streaming engine does much faster).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import polars as pl

# The suffix a left join gives a right-hand column whose name the left frame already has.
RIGHT_SUFFIX = "_right"
# Scratch row number of a lookup's key frame: the join runs unordered and is sorted back by it.
_ORDER = "_lt_lookup_row"


@dataclass(frozen=True)
class Lookup:
    """A table to look up by ``on``: at most one row per key (a left join keeps the height).

    ``nulls_equal``: whether a null key finds the table's null-key row (as in ``join``).
    """

    table: pl.LazyFrame
    on: tuple[str, ...]
    nulls_equal: bool = True


def join_lookups(lf: pl.LazyFrame, lookups: Sequence[Lookup]) -> pl.LazyFrame:
    """``lf`` with the columns of every lookup table added, as successive left joins
    (``maintain_order="left"``) would add them: same rows, same order, the key columns not
    repeated, and a table column whose name is taken gets the suffix ``_right``.

    Each table must have at most one row per key (true of every group-by table); the lookups
    must not depend on each other's columns. ``lf`` is read once per lookup, so it should be a
    frame already computed or cached, and lookups should not be nested in a long chain (each
    level multiplies the plan): gather them and join them in one call.
    """
    taken = set(lf.collect_schema().names())
    found: list[pl.LazyFrame] = []
    for lookup in lookups:
        keys = list(lookup.on)
        # An unordered join sorted back by row number: ``maintain_order="left"`` made the
        # streaming join about three times as costly as the join and the sort together.
        joined = (
            lf.select(keys)
            .with_row_index(_ORDER)
            .join(lookup.table, on=keys, how="left", nulls_equal=lookup.nulls_equal)
            .sort(_ORDER)
            .drop(_ORDER, *keys)
        )
        names = joined.collect_schema().names()
        renamed = {name: f"{name}{RIGHT_SUFFIX}" for name in names if name in taken}
        taken.update(renamed.get(name, name) for name in names)
        found.append(joined.rename(renamed) if renamed else joined)
    if not found:
        return lf
    return pl.concat([lf, *found], how="horizontal")
