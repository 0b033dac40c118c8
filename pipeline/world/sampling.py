"""Vectorised sampling helpers: pick words, fill templates, draw heavy tails, group links.

Everything works on whole columns (numpy arrays, polars Series and expressions); nothing here loops
over rows. Templates are strings such as ``"/{year}/{mm}/{slug}/"`` whose ``{name}`` placeholders
are columns of the frame the expression is evaluated in. Distributions are the small types of
:mod:`pipeline.world.dists`.

The world is reproducible only because every sampler makes the same generator calls, in the same
order, for the same arguments: a change here that reorders or adds draws changes every world. A
plain word list is drawn with ``rng.integers``, a :class:`~pipeline.world.dists.Categorical` (even
one with equal weights) with ``rng.choice``; the two consume the generator differently, so turning
one into the other changes the world too.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar

import numpy as np
import polars as pl

from pipeline.world.dists import (
    Beta,
    Categorical,
    DomainSizes,
    Geometric,
    LogNormal,
    Mixture,
    Uniform,
    UniformInt,
)

T = TypeVar("T")

_EPOCH = date(1970, 1, 1)
_PLACEHOLDER = re.compile(r"(\{\w+\})")

# First octets of ordinary public hosting ranges, so that invented IPs look like real ones.
_PUBLIC_FIRST_OCTETS = np.array(
    [5, 23, 31, 37, 45, 46, 50, 51, 62, 64, 66, 69, 72, 77, 78, 80, 81, 82, 83, 84, 85, 86, 87,
     88, 89, 91, 92, 93, 94, 95, 103, 107, 108, 109, 136, 138, 139, 141, 144, 146, 148, 149,
     154, 158, 159, 164, 165, 167, 173, 176, 178, 185, 188, 193, 194, 195, 198, 199, 203, 206,
     207, 209, 212, 213, 216, 217],
    dtype=np.int64,
)  # fmt: skip


def day_number(day: date) -> int:
    """Days since 1970-01-01 (polars' Date representation)."""
    return (day - _EPOCH).days


def pick(rng: np.random.Generator, words: Sequence[str] | Categorical[str], n: int) -> pl.Series:
    """``n`` words: from a plain list all equally likely, from a ``Categorical`` by weight."""
    if isinstance(words, Categorical):
        idx = choice(rng, n, words)
        words = words.options
    else:
        idx = rng.integers(0, len(words), n)
    return pl.Series(list(words), dtype=pl.String).gather(idx)


def pick_by(
    rng: np.random.Generator, groups: Sequence[Sequence[str]], group: np.ndarray
) -> pl.Series:
    """For each row, a word from ``groups[group[row]]`` (e.g. a money anchor of the row's site)."""
    counts = np.array([len(g) for g in groups], dtype=np.int64)
    if (counts[np.unique(group)] == 0).any():
        raise ValueError("pick_by: a group used by some row has no words")
    offsets = np.concatenate([[0], np.cumsum(counts)[:-1]])
    within = np.floor(rng.random(len(group)) * counts[group]).astype(np.int64)
    flat = pl.Series([word for g in groups for word in g], dtype=pl.String)
    return flat.gather(offsets[group] + within)


def choice(rng: np.random.Generator, n: int, dist: Categorical[T]) -> np.ndarray:
    """``n`` indices into ``dist.options``, drawn by weight (for :func:`choose` and templates)."""
    weights = np.asarray(dist.weights, dtype=np.float64)
    return rng.choice(len(weights), size=n, p=weights / weights.sum())


def options(rng: np.random.Generator, n: int, dist: Categorical[T]) -> np.ndarray:
    """``n`` options of ``dist`` themselves (anchor kinds, link types), drawn by weight."""
    return np.array(dist.options)[choice(rng, n, dist)]


def template(text: str) -> pl.Expr:
    """A String expression filling ``{column}`` placeholders from the frame's columns."""
    parts: list[pl.Expr] = []
    for piece in _PLACEHOLDER.split(text):
        if not piece:
            continue
        if piece.startswith("{") and piece.endswith("}"):
            parts.append(pl.col(piece[1:-1]).cast(pl.String))
        else:
            parts.append(pl.lit(piece, dtype=pl.String))
    if not parts:
        return pl.lit("", dtype=pl.String)
    return pl.concat_str(parts) if len(parts) > 1 else parts[0]


def choose(index: str, options: Sequence[pl.Expr | str | None]) -> pl.Expr:
    """Row-wise ``options[frame[index]]``: one of several expressions per row."""
    exprs = [opt if isinstance(opt, pl.Expr) else pl.lit(opt, dtype=pl.String) for opt in options]
    chained: Any = pl.when(pl.col(index) == 0).then(exprs[0])
    for k, expr in enumerate(exprs[1:], start=1):
        chained = chained.when(pl.col(index) == k).then(expr)
    return chained.otherwise(None)


def templates(index: str, texts: Sequence[str]) -> pl.Expr:
    """Row-wise choice among templates (see :func:`template`)."""
    return choose(index, [template(text) for text in texts])


def slug(expr: pl.Expr) -> pl.Expr:
    """A URL slug: lower case, runs of anything but ``a-z0-9`` collapsed into one hyphen."""
    return expr.str.to_lowercase().str.replace_all(r"[^a-z0-9]+", "-").str.strip_chars("-")


def mask(rng: np.random.Generator, n: int, p: float | np.ndarray) -> np.ndarray:
    """Boolean array, True with probability ``p`` (a scalar or one per row)."""
    return rng.random(n) < p


def beta(rng: np.random.Generator, n: int, dist: Beta) -> np.ndarray:
    """``n`` whole numbers from a scaled :class:`~pipeline.world.dists.Beta` (authority)."""
    return np.round(dist.lo + (dist.hi - dist.lo) * rng.beta(dist.a, dist.b, n))


def lognormal(rng: np.random.Generator, n: int, dist: LogNormal) -> np.ndarray:
    """``n`` whole numbers from a clipped :class:`~pipeline.world.dists.LogNormal`."""
    draws = dist.median * np.exp(dist.sigma * rng.standard_normal(n))
    return np.clip(np.round(draws), dist.lo, dist.hi)


def uniform(rng: np.random.Generator, n: int, dist: Uniform) -> np.ndarray:
    """``n`` real numbers from a :class:`~pipeline.world.dists.Uniform` range."""
    return rng.uniform(dist.lo, dist.hi, n)


def domain_sizes(rng: np.random.Generator, n: int, dist: DomainSizes) -> np.ndarray:
    """``n`` links-per-domain counts: geometric (a few links), log-normal (sitewide) or a mix."""
    if isinstance(dist, Geometric):
        return np.minimum(rng.geometric(1.0 / dist.mean, n), dist.cap).astype(np.int64)
    if isinstance(dist, LogNormal):
        return lognormal(rng, n, dist).astype(np.int64)
    if isinstance(dist, Mixture):
        # np.where evaluates its arguments in order: the mask, then `then`, then `otherwise`.
        return np.where(
            mask(rng, n, dist.share),
            domain_sizes(rng, n, dist.then),
            domain_sizes(rng, n, dist.otherwise),
        )
    raise TypeError(f"not a distribution of domain sizes: {dist!r}")


@dataclass(frozen=True)
class Groups:
    """Links grouped into referring domains: which domain each link is on, whose site each is."""

    link_domain: np.ndarray  # per link: index of its domain
    domain_site: np.ndarray  # per domain: index of the target site it links to

    @property
    def n_links(self) -> int:
        """Number of links."""
        return len(self.link_domain)

    @property
    def n_domains(self) -> int:
        """Number of referring domains."""
        return len(self.domain_site)

    @property
    def link_site(self) -> np.ndarray:
        """Per link: index of the target site."""
        return self.domain_site[self.link_domain]


def group_links(rng: np.random.Generator, counts: np.ndarray, sizes: DomainSizes) -> Groups:
    """Split each site's ``counts[site]`` links into referring domains of ``sizes``-drawn sizes.

    One draw of ``count`` sizes always suffices (every domain has at least one link); the sizes
    are cut where their running total reaches the count and the last one is trimmed.
    """
    sizes_all: list[np.ndarray] = []
    sites_all: list[np.ndarray] = []
    for site, count in enumerate(counts.tolist()):
        if count <= 0:
            continue
        drawn = np.maximum(domain_sizes(rng, count, sizes), 1)
        total = np.cumsum(drawn)
        cut = int(np.searchsorted(total, count))
        drawn = drawn[: cut + 1].copy()
        drawn[-1] -= int(total[cut]) - count
        sizes_all.append(drawn)
        sites_all.append(np.full(len(drawn), site, dtype=np.int64))
    if not sizes_all:
        return Groups(np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64))
    per_domain = np.concatenate(sizes_all)
    link_domain = np.repeat(np.arange(len(per_domain), dtype=np.int64), per_domain)
    return Groups(link_domain, np.concatenate(sites_all))


def split_groups(rng: np.random.Generator, n: int, members: UniformInt) -> np.ndarray:
    """Assign ``n`` consecutive items to groups of ``members.lo..members.hi`` (networks, wheels).

    A short last group is merged into the one before, so every group but a lone one has at least
    ``members.lo`` members.
    """
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    sizes = rng.integers(members.lo, members.hi + 1, n)
    total = np.cumsum(sizes)
    cut = int(np.searchsorted(total, n))
    sizes = sizes[: cut + 1].copy()
    sizes[-1] -= int(total[cut]) - n
    if len(sizes) > 1 and sizes[-1] < members.lo:
        sizes[-2] += sizes[-1]
        sizes = sizes[:-1]
    return np.repeat(np.arange(len(sizes), dtype=np.int64), sizes)


def ipv4(rng: np.random.Generator, n: int, cdn_share: float = 0.0) -> np.ndarray:
    """``n`` random public IPv4 addresses as an (n, 4) integer array.

    ``cdn_share`` of them sit behind a CDN range (104.16-31.x.x, 172.64-71.x.x), where thousands
    of unrelated legitimate sites share /24 subnets, as they do behind Cloudflare.
    """
    octets = np.column_stack(
        [
            _PUBLIC_FIRST_OCTETS[rng.integers(0, len(_PUBLIC_FIRST_OCTETS), n)],
            rng.integers(0, 256, n),
            rng.integers(0, 256, n),
            rng.integers(1, 255, n),
        ]
    )
    cdn = mask(rng, n, cdn_share)
    k = int(cdn.sum())
    if k:
        first = np.where(mask(rng, k, 0.5), 104, 172)
        second = np.where(first == 104, rng.integers(16, 32, k), rng.integers(64, 72, k))
        octets[cdn, 0] = first
        octets[cdn, 1] = second
        octets[cdn, 2] = rng.integers(0, 16, k)  # few /24s: CDN neighbours are common
    return octets


def ip_strings(octets: np.ndarray) -> pl.Series:
    """Dotted-quad strings from an (n, 4) octet array."""
    frame = pl.DataFrame({f"o{i}": octets[:, i] for i in range(4)})
    return frame.select(
        pl.concat_str([pl.col(f"o{i}") for i in range(4)], separator=".")
    ).to_series()


def bounded_dates(
    rng: np.random.Generator, n: int, start: np.ndarray, end: np.ndarray, growth: float = 1.0
) -> np.ndarray:
    """Day numbers between ``start`` and ``end`` (per row), denser near ``end`` when growth > 1.

    Profiles grow: a site gains more links per month as it ages, so ``u ** (1 / growth)``.
    """
    u = rng.random(n) ** (1.0 / growth)
    return np.floor(start + u * np.maximum(end - start, 0)).astype(np.int64)


def burst_dates(rng: np.random.Generator, centre: np.ndarray, spread_days: float) -> np.ndarray:
    """Day numbers clustered after ``centre`` (exponential lag): bursts of links within days."""
    return (centre + np.floor(rng.exponential(spread_days, len(centre)))).astype(np.int64)
