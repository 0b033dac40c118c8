"""DVC stage ``generate``: the synthetic world to train on, a held-out world, a sample export.

The held-out world uses ``seed + 1`` and the sample export ``seed + 2``, so evaluation sees links
the training world never drew.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Annotated

import polars as pl
import typer

from features import schema
from pipeline.config import DEFAULT_PARAMS, load_params
from pipeline.errors import atomic_path

log = logging.getLogger(__name__)


def write_parquet(frame: pl.DataFrame, path: Path) -> None:
    """Write Parquet atomically and reproducibly (same frame, same bytes)."""
    with atomic_path(path) as tmp:
        frame.write_parquet(tmp, compression="zstd", statistics=True)


def generate(
    out: Annotated[Path, typer.Option(help="Folder for the world and the sample exports.")] = Path(
        "data/raw"
    ),
    params: Annotated[Path, typer.Option(help="Parameters file.")] = DEFAULT_PARAMS,
) -> None:
    """Generate the labeled world, a held-out world and an unlabeled sample export."""
    from pipeline.world import generate_world
    from pipeline.world.exports import write_ahrefs_tsv, write_canonical_csv, write_semrush_csv

    cfg = load_params(params)
    seed, gen = cfg.base.seed, cfg.generate
    world = generate_world(gen.links, seed)
    holdout = generate_world(gen.holdout_links, seed + 1)
    sample = generate_world(gen.sample_links, seed + 2, sites=[gen.sample_site])
    write_parquet(world, out / "world.parquet")
    write_parquet(holdout, out / "world_holdout.parquet")
    write_parquet(sample, out / "sample_truth.parquet")
    write_canonical_csv(sample, out / "sample_export.csv")
    write_semrush_csv(sample, out / "sample_semrush.csv")
    write_ahrefs_tsv(sample, out / "sample_ahrefs.tsv")
    log.info(
        "world: %d links (%.1f%% toxic); held-out world: %d; sample export: %d links of %s",
        world.height,
        100 * world.get_column(schema.LABEL).mean(),
        holdout.height,
        sample.height,
        gen.sample_site,
    )


if __name__ == "__main__":
    typer.run(generate)
