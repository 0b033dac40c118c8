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
