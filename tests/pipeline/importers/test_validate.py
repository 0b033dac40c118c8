"""RowChecker: repeats of rows seen in earlier chunks are found by both hashes of their key."""

from __future__ import annotations

import polars as pl

from pipeline.importers import validate
from pipeline.importers.validate import RowChecker

FIRST_HASH, SECOND_HASH = validate._HASHES


def _chunk(*keys: tuple[int, int]) -> pl.DataFrame:
    return pl.DataFrame(
        {
            FIRST_HASH: [a for a, _ in keys],
            SECOND_HASH: [b for _, b in keys],
            validate._IS_FIRST: [True] * len(keys),
        },
        schema={FIRST_HASH: pl.UInt64, SECOND_HASH: pl.UInt64, validate._IS_FIRST: pl.Boolean},
    )


def test_a_key_sharing_only_the_first_hash_of_a_seen_key_is_no_repeat() -> None:
    # Seen keys are narrowed by their first hash before the join on both: a key that shares the
    # first hash of a seen key but not its second is another row, and must not be matched.
    checker = RowChecker("line", {})
    for position, key in ((2, (5, 7)), (3, (6, 1))):
        checker._remember(
            _chunk(key).with_columns(pl.lit(position, pl.Int64).alias(validate._POSITION))
        )
    prior = checker._with_prior(_chunk((5, 8), (5, 7), (9, 9), (6, 1)))
    assert prior.get_column(validate._PRIOR).to_list() == [None, 2, None, 3]


def test_without_seen_keys_no_row_has_a_prior() -> None:
    prior = RowChecker("line", {})._with_prior(_chunk((1, 2)))
    assert prior.get_column(validate._PRIOR).to_list() == [None]
