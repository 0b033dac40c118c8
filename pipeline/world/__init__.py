"""The synthetic backlink world linktox's first model trains on.

No labelled backlink data can be downloaded, so :func:`generate_world` simulates the backlink
profiles of several target sites (:data:`SITES`) from legitimate populations and toxic tactics
(:mod:`pipeline.world.tactics`), each leaving the signals the field uses. See
docs/synthetic-world.md.
"""

from __future__ import annotations

from pipeline.world.build import generate_world
from pipeline.world.sites import EXPORT_DATE, SITES, SITES_BY_SLUG, Site
from pipeline.world.tactics import LEGIT_TACTICS, NOISE_RATE, TACTICS, TOXIC_TACTICS

__all__ = [
    "EXPORT_DATE",
    "LEGIT_TACTICS",
    "NOISE_RATE",
    "SITES",
    "SITES_BY_SLUG",
    "TACTICS",
    "TOXIC_TACTICS",
    "Site",
    "generate_world",
]
