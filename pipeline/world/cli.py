"""``linktox world generate``: write a synthetic world and its unlabelled vendor exports."""

from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import Annotated

import polars as pl
import typer

from features import schema
from pipeline.world.build import generate_world
from pipeline.world.exports import (
    write_ahrefs_tsv,
    write_canonical_csv,
    write_semrush_csv,
    write_world_parquet,
)

logger = logging.getLogger(__name__)

WORLD_FILE = "world.parquet"
CANONICAL_FILE = "export_canonical.csv"
SEMRUSH_FILE = "export_semrush.csv"
AHREFS_FILE = "export_ahrefs.tsv"


def generate(
    links: Annotated[int, typer.Option(help="Number of backlinks to generate.", min=1)] = 100_000,
    seed: Annotated[
        int, typer.Option(help="Random seed: the same seed gives the same world.")
    ] = 42,
    out: Annotated[
        Path, typer.Option(help="Directory for world.parquet and the three exports.")
    ] = Path("data/raw/world"),
    sites: Annotated[
        list[str] | None,
        typer.Option("--site", help="Only this target site (repeat for several; default: all)."),
    ] = None,
) -> None:
    """Generate the labelled synthetic world plus unlabelled canonical, Semrush, Ahrefs exports."""
    started = time.perf_counter()
    world = generate_world(links, seed, sites or None)
    out = Path(out)
    write_world_parquet(world, out / WORLD_FILE)
    write_canonical_csv(world, out / CANONICAL_FILE)
    write_semrush_csv(world, out / SEMRUSH_FILE)
    write_ahrefs_tsv(world, out / AHREFS_FILE)
    _log_summary(world, out, time.perf_counter() - started)


def _log_summary(world: pl.DataFrame, out: Path, seconds: float) -> None:
    """A few lines: size, toxic share overall and per site, where the files went."""
    domains = world.select(
        pl.col(schema.SOURCE_URL).str.extract(r"^[a-z]+://(?:www\.)?([^/?#]+)").n_unique()
    ).item()
    logger.info(
        "world: %d links from %d referring hosts, %.1f%% toxic, in %.1f s",
        world.height,
        domains,
        100 * world[schema.LABEL].mean(),
        seconds,
    )
    per_site = (
        world.group_by(schema.SITE)
        .agg(pl.len().alias("links"), (100 * pl.col(schema.LABEL).mean()).alias("toxic"))
        .sort(schema.SITE)
    )
    for site, count, toxic in per_site.iter_rows():  # one line per target site (a handful)
        logger.info("  %-20s %8d links  %5.1f%% toxic", site, count, toxic)
    logger.info(
        "wrote %s (labelled) and %s, %s, %s (unlabelled)",
        out / WORLD_FILE,
        CANONICAL_FILE,
        SEMRUSH_FILE,
        AHREFS_FILE,
    )
