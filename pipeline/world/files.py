"""The files of a generated world, named once: what ``dvc repro`` and ``linktox world generate``
both write.

A labelled training world (``seed``), a held-out world drawn with ``seed + 1`` and an unlabelled
sample export of one site's profile drawn with ``seed + 2`` (as a user's audit would be), so that
evaluation and the sample never see links the training world drew. The sample is written as
linktox's canonical CSV and as Semrush and Ahrefs exports; its truth is kept beside it.
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from features import schema
from features.knowledge import Knowledge
from pipeline import io
from pipeline.paths import (
    HOLDOUT_FILE,
    SAMPLE_AHREFS_FILE,
    SAMPLE_CANONICAL_FILE,
    SAMPLE_SEMRUSH_FILE,
    SAMPLE_TRUTH_FILE,
    WORLD_FILE,
)
from pipeline.world.build import generate_world
from pipeline.world.exported import as_exported
from pipeline.world.exports import write_ahrefs_tsv, write_canonical_csv, write_semrush_csv
from pipeline.world.knowledge import name_pools, with_real_names

log = logging.getLogger(__name__)

FILES: tuple[str, ...] = (
    WORLD_FILE,
    HOLDOUT_FILE,
    SAMPLE_TRUTH_FILE,
    SAMPLE_CANONICAL_FILE,
    SAMPLE_SEMRUSH_FILE,
    SAMPLE_AHREFS_FILE,
)


@dataclass(frozen=True)
class WorldSpec:
    """How big each part is, and from which seed (``base`` and ``generate`` in params.yaml)."""

    seed: int
    links: int
    holdout_links: int
    sample_links: int
    sample_sites: Sequence[str]


def write_world_files(
    spec: WorldSpec,
    out: Path,
    knowledge: Knowledge | None = None,
    heldout: Collection[str] = (),
) -> None:
    """Generate the three worlds and write :data:`FILES` into ``out``, each atomically.

    With ``knowledge``, a share of the referring domains take real names from its lists
    (:mod:`pipeline.world.knowledge`), so list membership and popularity occur in the world;
    ``heldout`` names (the knowledge's evaluation domains) are never used. Every world is then
    seen as a vendor export would show it (:mod:`pipeline.world.exported`).
    """
    pools = name_pools(knowledge, heldout, spec.seed) if knowledge is not None else None

    def draw(links: int, seed: int, sites: list[str] | None = None) -> pl.DataFrame:
        frame = generate_world(links, seed, sites=sites)
        frame = with_real_names(frame, pools, seed) if pools is not None else frame
        return as_exported(frame, seed)

    world = draw(spec.links, spec.seed)
    holdout = draw(spec.holdout_links, spec.seed + 1)
    sample = draw(spec.sample_links, spec.seed + 2, list(spec.sample_sites))
    io.write_parquet(world, out / WORLD_FILE)
    io.write_parquet(holdout, out / HOLDOUT_FILE)
    io.write_parquet(sample, out / SAMPLE_TRUTH_FILE)
    write_canonical_csv(sample, out / SAMPLE_CANONICAL_FILE)
    write_semrush_csv(sample, out / SAMPLE_SEMRUSH_FILE)
    write_ahrefs_tsv(sample, out / SAMPLE_AHREFS_FILE)
    log.info(
        "world: %d links (%.1f%% toxic); held-out world: %d; sample export: %d links of %s",
        world.height,
        100 * world.get_column(schema.LABEL).cast(pl.Float64).to_numpy().mean(),
        holdout.height,
        sample.height,
        ", ".join(spec.sample_sites),
    )
