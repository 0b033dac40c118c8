"""The export pass: columns an export leaves empty, queries it keeps; labels untouched."""

from __future__ import annotations

import polars as pl

from features import schema
from pipeline.world import generate_world
from pipeline.world.exported import GENERIC_PAGES, as_exported

TOUCHED = (
    schema.SOURCE_URL,
    schema.PAGE_AUTHORITY,
    schema.UGC,
    schema.SPONSORED,
    schema.SITEWIDE,
    schema.EXTERNAL_LINKS,
    schema.FIRST_SEEN,
    schema.LAST_SEEN,
)


def test_an_export_loses_flags_and_authority_but_never_labels() -> None:
    world = generate_world(6_000, 11)
    out = as_exported(world, 11)
    assert out.drop(TOUCHED).equals(world.drop(TOUCHED))
    assert out.equals(as_exported(world, 11))  # deterministic
    # Flags are only ever cleared, never set; authority only ever zeroed.
    for flag in (schema.UGC, schema.SPONSORED, schema.SITEWIDE):
        assert not (out[flag] & ~world[flag]).any()
        assert out[flag].sum() < 0.6 * world[flag].sum()
    changed = out[schema.PAGE_AUTHORITY] != world[schema.PAGE_AUTHORITY]
    assert (out.filter(changed)[schema.PAGE_AUTHORITY] == 0).all()
    assert 0.3 < (out[schema.PAGE_AUTHORITY] == 0).mean() < 0.8
    # Outbound counts only grow, by at most the chrome factor.
    ratio = (out[schema.EXTERNAL_LINKS] / world[schema.EXTERNAL_LINKS]).drop_nans().drop_nulls()
    assert ratio.min() >= 0.99 and ratio.max() <= 4.01
    # A URL moves to a generic page of its own host, or gets a query string, or both.
    moved = out[schema.SOURCE_URL] != world[schema.SOURCE_URL]
    assert 0.05 < moved.mean() < 0.5
    frame = pl.DataFrame({"before": world[schema.SOURCE_URL], "after": out[schema.SOURCE_URL]})
    frame = frame.filter(moved).with_columns(
        pl.col("after").str.split("?").list.first().alias("base"),
        pl.col("before").str.extract(r"^([a-z]+://[^/?#]+)").alias("origin"),
    )
    generic = frame["base"].is_in([o + p for o in frame["origin"].unique() for p in GENERIC_PAGES])
    assert ((frame["base"] == frame["before"]) | generic).all()
    assert 0.02 < generic.sum() / world.height < 0.3
    queried = frame.filter(pl.col("after").str.contains("?", literal=True) & ~generic)
    assert queried["after"].str.contains(r"\?[a-z_]+=").all()


def test_dates_are_the_vendors_index_never_earlier_than_the_truth() -> None:
    world = generate_world(6_000, 11)
    out = as_exported(world, 11)
    first, last = out[schema.FIRST_SEEN], out[schema.LAST_SEEN]
    assert (first >= world[schema.FIRST_SEEN]).all()  # a crawler cannot see a link early
    assert (first <= last).all()
    assert (last >= world[schema.LAST_SEEN]).all()
    # The index reaches back at most INDEX_DAYS' upper bound from the export's newest day.
    newest = world[schema.LAST_SEEN].max()
    assert ((newest - first).dt.total_days() <= 1_000).all()
    # ...and forgets links lost longer ago than its memory (MEMORY_DAYS' upper bound).
    assert ((newest - last).dt.total_days() <= 200).all()
    assert ((newest - world[schema.LAST_SEEN]).dt.total_days() > 200).any()

    def age(frame: pl.DataFrame) -> float:
        days = pl.col(schema.FIRST_SEEN).max().over(schema.SITE) - pl.col(schema.FIRST_SEEN)
        return float(frame.select(days.dt.total_days().median()).item())

    assert age(out) < 0.5 * age(world)
    seen_once = (first == last).mean()
    assert (
        0.05 < seen_once < 0.5
        and seen_once > 5 * (world[schema.FIRST_SEEN] == world[schema.LAST_SEEN]).mean()
    )
