"""DVC stage ``generate``: the synthetic world to train on, a held-out world, a sample export.

The held-out world uses ``seed + 1`` and the sample export ``seed + 2``, so evaluation sees links
the training world never drew (:mod:`pipeline.world.files`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from pipeline.config import load_params
from pipeline.knowledge.load import load_heldout, load_knowledge
from pipeline.options import ParamsOption
from pipeline.world.files import WorldSpec, write_world_files


def generate(
    out: Annotated[Path, typer.Option(help="Folder for the world and the sample exports.")],
    knowledge: Annotated[Path, typer.Option(help="Open domain knowledge (real names).")],
    params: ParamsOption = None,
) -> None:
    """Generate the labeled world, a held-out world and an unlabeled sample export."""
    cfg = load_params(params)
    gen = cfg.generate
    spec = WorldSpec(
        seed=cfg.base.seed,
        links=gen.links,
        holdout_links=gen.holdout_links,
        sample_links=gen.sample_links,
        sample_sites=(gen.sample_site,),
    )
    heldout = load_heldout(knowledge)["domain"].to_list()
    write_world_files(spec, out, load_knowledge(knowledge), heldout)
