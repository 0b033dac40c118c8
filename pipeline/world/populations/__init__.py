"""The populations of the synthetic world, one builder per tactic.

A builder gets how many links each target site receives from its population and returns one row
per link: the canonical columns plus a few private ``_`` columns the assembler needs (target-site
index, referring-domain key, host, scheme, path). Each builder first groups its links into
referring domains (a domain's links share its IP, authority, traffic, country and language), then
draws link attributes. All of it is vectorised: numpy draws and polars expressions over whole
columns.

The builders are split as docs/synthetic-world.md presents them: :mod:`.legitimate` (label 0)
and :mod:`.toxic` (label 1), with the page helpers both use in :mod:`.pages`. Distributions are
written with the types of :mod:`pipeline.world.dists`. The signals each population leaves follow
/work/shared/reference/toxic-signals.md.
"""

from __future__ import annotations

from pipeline.world.common import Builder
from pipeline.world.populations import legitimate, toxic

# Every tactic's builder, legitimate first (the order of tactics.TACTICS).
BUILDERS: dict[str, Builder] = {**legitimate.BUILDERS, **toxic.BUILDERS}

__all__ = ["BUILDERS"]
