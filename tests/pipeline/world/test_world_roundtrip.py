"""The world's vendor-shaped exports read back through the importers to the same links.

Each format is compared on the columns it carries: Semrush has no IP, language or context
columns and no redirect flag, Ahrefs no sitewide flag or IP. A CSV cannot tell an empty anchor
from a missing one, so empty strings count as missing on both sides.
"""

from __future__ import annotations

import polars as pl
import pytest

from features import schema
from pipeline.importers import read_export
from pipeline.world import generate_world
from pipeline.world.exports import write_ahrefs_tsv, write_canonical_csv, write_semrush_csv

COMMON = [
    schema.SOURCE_URL,
    schema.TARGET_URL,
    schema.ANCHOR,
    schema.SOURCE_TITLE,
    schema.NOFOLLOW,
    schema.UGC,
    schema.SPONSORED,
]
COMMON += [schema.FIRST_SEEN, schema.LAST_SEEN, schema.PAGE_AUTHORITY, schema.EXTERNAL_LINKS]
CARRIED = {
    "canonical": list(schema.CANONICAL),
    "semrush": [*COMMON, schema.SITEWIDE, schema.INTERNAL_LINKS],
    "ahrefs": [
        *COMMON,
        *(schema.LINK_TYPE, schema.DOMAIN_AUTHORITY, schema.DOMAIN_TRAFFIC, schema.SOURCE_LANGUAGE),
        *(schema.LEFT_CONTEXT, schema.RIGHT_CONTEXT),
    ],
}


def _normal(frame: pl.DataFrame, columns: list[str]) -> pl.DataFrame:
    return frame.select(columns).with_columns(
        pl.when(pl.col(pl.String) != "").then(pl.col(pl.String)).name.keep()
    )


@pytest.fixture(scope="module")
def world() -> pl.DataFrame:
    return generate_world(3000, 11)


@pytest.mark.parametrize(
    ("writer", "name", "fmt"),
    [
        (write_canonical_csv, "export.csv", "canonical"),
        (write_semrush_csv, "semrush.csv", "semrush"),
        (write_ahrefs_tsv, "ahrefs.tsv", "ahrefs"),
    ],
)
def test_export_round_trips_through_its_importer(world, tmp_path, writer, name, fmt):
    path = tmp_path / name
    writer(world, path)
    result = read_export(path)
    assert result.format == fmt
    assert result.skipped == 0
    columns = CARRIED[fmt]
    assert _normal(result.links, columns).equals(_normal(world, columns))


def test_semrush_keeps_every_link_type_it_has_a_column_for(world, tmp_path):
    path = tmp_path / "semrush.csv"
    write_semrush_csv(world, path)
    links = read_export(path).links
    has_column = world.get_column(schema.LINK_TYPE) != "redirect"  # Semrush has no redirect flag
    assert links.filter(has_column)[schema.LINK_TYPE].equals(
        world.filter(has_column)[schema.LINK_TYPE]
    )
