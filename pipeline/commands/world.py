"""``linktox world generate``: the same world files as the ``generate`` stage, with overrides.

One code path (:func:`pipeline.world.files.write_world_files`) and one set of file names; every
size and the seed default to ``params.yaml`` (``generate`` and ``base.seed``), so with no options
it writes exactly what ``dvc repro`` writes, into another folder.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from pipeline import paths
from pipeline.config import load_params
from pipeline.knowledge.load import load_knowledge
from pipeline.options import ParamsOption, SeedOption
from pipeline.world.files import WorldSpec, write_world_files

LinksOption = Annotated[int | None, typer.Option(min=1, help="Links in the training world.")]


def generate(
    links: LinksOption = None,
    holdout_links: Annotated[
        int | None, typer.Option(min=1, help="Links in the held-out world.")
    ] = None,
    sample_links: Annotated[
        int | None, typer.Option(min=1, help="Links in the sample export.")
    ] = None,
    seed: SeedOption = None,
    out: Annotated[
        Path | None,
        typer.Option(help=f"Folder for the files (default: {paths.WORLD} at the project root)."),
    ] = None,
    sites: Annotated[
        list[str] | None,
        typer.Option("--site", help="Target site of the sample export (repeat for several)."),
    ] = None,
    params: ParamsOption = None,
) -> None:
    """Generate a labelled world, a held-out world and a sample export (canonical, Semrush,
    Ahrefs), with any size or seed overridden."""
    cfg = load_params(params)
    gen = cfg.generate
    spec = WorldSpec(
        seed=cfg.base.seed if seed is None else seed,
        links=links or gen.links,
        holdout_links=holdout_links or gen.holdout_links,
        sample_links=sample_links or gen.sample_links,
        sample_sites=tuple(sites or (gen.sample_site,)),
    )
    knowledge = load_knowledge(paths.at_root(paths.KNOWLEDGE))
    write_world_files(spec, paths.or_default(out, paths.WORLD), knowledge)
