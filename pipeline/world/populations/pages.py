"""Page titles and paths that legitimate and toxic populations build the same way.

None of these helpers reorders random draws: each draws exactly what its callers drew inline,
in the same order, so the world stays the same for a given seed.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypedDict

import numpy as np
import polars as pl

from pipeline.world import sampling
from pipeline.world.links import home_then


class Pages(TypedDict):
    """A link's page title and path, and the template-index columns they read.

    The keys are :func:`build_links` keyword arguments: pass the dict with ``**`` after
    ``first_seen`` (arguments are evaluated left to right, so the draws keep their order).
    """

    title: pl.Expr
    path: pl.Expr
    extra: dict[str, np.ndarray]


def with_site_name(page: str, sep: str) -> pl.Expr:
    """A page's own title, then the referring site's name: ``"{headline} | {Name}"``."""
    return pl.concat_str([pl.col(page), pl.lit(sep), pl.col("Name")])


def template_pages(
    rng: np.random.Generator,
    n: int,
    titles: Sequence[str],
    paths: Sequence[str],
    *,
    per_link: np.ndarray | None = None,
    home_first: bool = False,
) -> Pages:
    """Pages titled from ``titles`` and placed at ``paths`` templates, ``n`` of each drawn.

    Without ``per_link`` there is one draw per link. With it, ``n`` counts groups of links
    (networks) and ``per_link`` is each link's group: a network shares one title and one path
    template, the footprint that gives it away. ``home_first`` puts each domain's first link on
    its home page (sitewide links).
    """
    title_index = rng.integers(0, len(titles), n)
    path_index = rng.integers(0, len(paths), n)
    if per_link is not None:
        title_index, path_index = title_index[per_link], path_index[per_link]
    path = sampling.templates("_p", paths)
    return {
        "title": sampling.templates("_t", titles),
        "path": home_then(path) if home_first else path,
        "extra": {"_t": title_index, "_p": path_index},
    }
