"""The fact the Spark path rests on: tables of disjoint groups of whole profiles, stacked, are the
tables of all the profiles together (no pyspark needed).

Every table keyed by profile is stacked as is; a table without the profile column must be a
function of its own key, so that its parts agree and de-duplicate. A new table that looks
across profiles breaks this test before it breaks ``linktox spark score``.
"""

from __future__ import annotations

import polars as pl
import pytest

from features.build import TARGET_DOMAIN, prepare_base, profile_tables
from pipeline.spark.score import stack_tables
from pipeline.world import generate_world


@pytest.fixture(scope="module")
def base() -> pl.DataFrame:
    return prepare_base(generate_world(1500, 11).lazy()).collect()


def _tables(frame: pl.DataFrame) -> dict[str, pl.DataFrame]:
    tables = profile_tables(frame.lazy()).collect()
    return {name: lf.collect() for name, lf in tables.frames.items()}


def _same(left: pl.DataFrame, right: pl.DataFrame) -> bool:
    columns = sorted(left.columns)
    return (
        left.select(columns)
        .sort(columns, nulls_last=True)
        .equals(right.select(columns).sort(columns, nulls_last=True))
    )


def _stacked(groups: list[pl.DataFrame]) -> dict[str, pl.DataFrame]:
    parts: dict[str, list[pl.DataFrame]] = {}
    for group in groups:
        for name, table in _tables(group).items():
            parts.setdefault(name, []).append(table)
    return stack_tables(parts)


def test_tables_of_profile_groups_stack_into_the_whole_tables(base: pl.DataFrame) -> None:
    assert base.get_column(TARGET_DOMAIN).n_unique() >= 6
    # Some groups of several profiles, some of one (polars may compute a lone group apart).
    profiles = base.get_column(TARGET_DOMAIN).unique().sort().to_list()
    groups = [profiles[:3], *([name] for name in profiles[3:])]
    stacked = _stacked([base.filter(pl.col(TARGET_DOMAIN).is_in(group)) for group in groups])
    whole = _tables(base)
    assert stacked.keys() == whole.keys()
    differing = [name for name in whole if not _same(stacked[name], whole[name])]
    assert not differing


def test_tables_of_groups_that_cut_profiles_do_not(base: pl.DataFrame) -> None:
    # The same check fails for a split that cuts profiles, as partitions as read do.
    rows = pl.int_range(pl.len()) % 3
    stacked = _stacked([base.filter(rows == index) for index in range(3)])
    whole = _tables(base)
    assert any(not _same(stacked[name], whole[name]) for name in whole)
