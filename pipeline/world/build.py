"""Assemble the synthetic world: allocate links to sites and tactics, build, label, shuffle."""

from __future__ import annotations

import logging
from collections.abc import Sequence

import numpy as np
import polars as pl

from features import schema
from pipeline.errors import LinktoxError
from pipeline.world import populations, tactics, vocab
from pipeline.world.common import DOMAIN_KEY, HOST, HTTP, PATH, SHARED, SITE_IDX, WWW, SiteTable
from pipeline.world.sites import SITES, SITES_BY_SLUG, Site

logger = logging.getLogger(__name__)

# Domain keys of different tactics never overlap: tactic index * this + domain index.
_DOMAIN_STRIDE = 1_000_000_000
# Stream ids for numpy's SeedSequence: one per tactic, one for labels and order.
_FINAL_STREAM = 1_000

OUTPUT_COLUMNS: tuple[str, ...] = (*schema.CANONICAL, schema.LABEL, schema.TACTIC, schema.SITE)


def _largest_remainder(total: int, weights: np.ndarray) -> np.ndarray:
    """Split ``total`` into whole parts proportional to ``weights`` (exact, deterministic)."""
    if total == 0 or weights.sum() <= 0:
        return np.zeros(len(weights), dtype=np.int64)
    exact = total * weights / weights.sum()
    base = np.floor(exact).astype(np.int64)
    short = total - int(base.sum())
    # Stable order: largest remainder first, ties by position.
    order = np.lexsort((np.arange(len(weights)), -(exact - base)))
    base[order[:short]] += 1
    return base


def allocate(n_links: int, sites: Sequence[Site]) -> np.ndarray:
    """Links per (tactic, site): site shares by weight, then each site's tactic mix.

    No randomness: a profile's toxic share is the same for every seed, as its story says.
    """
    per_site = _largest_remainder(n_links, np.array([x.weight for x in sites], dtype=np.float64))
    counts = np.zeros((len(tactics.TACTICS), len(sites)), dtype=np.int64)
    for j, (site, total) in enumerate(zip(sites, per_site.tolist(), strict=True)):
        mix = np.array([site.mix.get(name, 0.0) for name in tactics.TACTICS], dtype=np.float64)
        counts[:, j] = _largest_remainder(total, mix)
    return counts


def _select_sites(sites: Sequence[str] | None) -> tuple[Site, ...]:
    """The chosen sites in the order given (duplicates dropped); unknown slugs are user errors."""
    if sites is None:
        return SITES
    if isinstance(sites, str):
        sites = [sites]
    unknown = [slug for slug in sites if slug not in SITES_BY_SLUG]
    if unknown:
        known = ", ".join(SITES_BY_SLUG)
        raise LinktoxError(f"unknown site {unknown[0]!r}: expected one of {known}")
    if not sites:
        raise LinktoxError(f"no sites selected: expected one or more of {', '.join(SITES_BY_SLUG)}")
    unique = list(dict.fromkeys(sites))
    return tuple(SITES_BY_SLUG[slug] for slug in unique)


# Ways people turn a taken name into a free one: suffixes first ("sarahrunsblog"), then
# prefixes ("thesarahruns"), then numbers.
_VARIANTS: tuple[tuple[str, str], ...] = tuple(
    pair
    for suffix, prefix in zip(vocab.NAME_SUFFIXES, (*vocab.NAME_PREFIXES, *[""] * 12), strict=False)
    for pair in (("", suffix), (prefix, ""))
    if pair != ("", "")
)


def _rename(domains: pl.DataFrame, attempt: int) -> pl.DataFrame:
    """Rename every domain but the first among those sharing a host.

    The n-th clash gets the n-th variant of the host's first label; ``attempt`` shifts the
    variants so that a renamed host which clashes again moves on to another one.
    """
    n_variants = len(_VARIANTS)
    prefixes = pl.Series([p for p, _ in _VARIANTS], dtype=pl.String)
    suffixes = pl.Series([x for _, x in _VARIANTS], dtype=pl.String)
    rank = pl.col(DOMAIN_KEY).rank("dense").over(HOST).cast(pl.Int64)
    first = pl.col(HOST).str.extract(r"^([^.]+)")
    rest = pl.col(HOST).str.extract(r"^[^.]+(\..*)$")
    k = pl.col("_k")
    at = k.clip(0, n_variants - 1)
    variant = pl.concat_str([pl.lit(prefixes).gather(at), first, pl.lit(suffixes).gather(at)])
    numbered = pl.concat_str([first, (k - n_variants + 2).cast(pl.String)])
    return (
        domains.with_columns((rank - 2 + attempt * 5).alias("_k"), (rank > 1).alias("_clash"))
        .with_columns(
            pl.when(~pl.col(SHARED) & pl.col("_clash"))
            .then(pl.concat_str([pl.when(k < n_variants).then(variant).otherwise(numbered), rest]))
            .otherwise(pl.col(HOST))
            .alias(HOST)
        )
        .drop("_k", "_clash")
    )


def _dedupe_hosts(links: pl.DataFrame) -> pl.DataFrame:
    """Give different generated domains that drew the same name distinct names.

    One host must always mean one IP, authority and traffic. Fixed platforms (reddit.com) are the
    same domain everywhere and are left alone. Works on the table of domains, not links, and
    repeats because a renamed host can clash again (in practice two or three rounds).
    """
    domains = links.select(DOMAIN_KEY, HOST, SHARED).unique(
        DOMAIN_KEY, keep="first", maintain_order=True
    )
    original = domains[HOST]
    for attempt in range(20):
        shared_host = pl.col(DOMAIN_KEY).n_unique().over(HOST) > 1
        if not domains.select((~pl.col(SHARED) & shared_host).any()).item():
            break
        domains = _rename(domains, attempt)
    else:
        raise RuntimeError("could not give every referring domain a distinct host name")
    changed = domains.filter(domains[HOST] != original)
    if changed.height == 0:
        return links
    return links.with_columns(
        pl.col(DOMAIN_KEY)
        .replace_strict(changed[DOMAIN_KEY], changed[HOST], default=pl.col(HOST))
        .alias(HOST)
    )


def _flip(rng: np.random.Generator, tactic: np.ndarray) -> np.ndarray:
    """Which rows get the opposite label: exactly NOISE_RATE of them, borderline ones first.

    Weighted sampling without replacement (Efraimidis-Spirakis keys ``log(u) / w``), so the
    noise rate is exact while borderline populations take most of it.
    """
    n = len(tactic)
    k = round(tactics.NOISE_RATE * n)
    flipped = np.zeros(n, dtype=bool)
    if k == 0:
        return flipped
    weight = np.array([tactics.FLIP_WEIGHT[name] for name in tactics.TACTICS])[tactic]
    keys = np.log(rng.random(n)) / weight
    flipped[np.argpartition(-keys, k - 1)[:k]] = True
    return flipped


def _empty() -> pl.DataFrame:
    """A world of no links, still with every column and dtype."""
    return pl.DataFrame(schema={**schema.CANONICAL, **schema.TRUTH})


def generate_world(n_links: int, seed: int, sites: Sequence[str] | None = None) -> pl.DataFrame:
    """A labelled synthetic backlink world of ``n_links`` rows.

    Args:
        n_links: Number of backlinks (rows), spread over the sites by their weights.
        seed: Everything random derives from it: the same arguments give the same frame.
        sites: Slugs of the target sites to include (``None``: all of :data:`SITES`).

    Returns:
        Every canonical column with its dtype, then ``label`` (Int8, 1 = toxic), ``tactic`` and
        ``site``, in a shuffled order.
    """
    if isinstance(n_links, bool) or not isinstance(n_links, int | np.integer) or n_links < 0:
        raise LinktoxError(f"n_links must be a whole number >= 0, got {n_links!r}")
    chosen = _select_sites(sites)
    if n_links == 0:
        return _empty()
    table = SiteTable(chosen)
    counts = allocate(int(n_links), chosen)
    parts: list[pl.DataFrame] = []
    for k, name in enumerate(tactics.TACTICS):
        if counts[k].sum() == 0:
            continue
        rng = np.random.default_rng([seed, k])
        part = populations.BUILDERS[name](table, rng, counts[k])
        parts.append(
            part.with_columns(
                (pl.col(DOMAIN_KEY) + k * _DOMAIN_STRIDE).alias(DOMAIN_KEY),
                pl.lit(k, dtype=pl.Int64).alias("_tactic"),
            )
        )
    links = _dedupe_hosts(pl.concat(parts, how="vertical_relaxed"))

    final = np.random.default_rng([seed, _FINAL_STREAM])
    tactic = links["_tactic"].to_numpy()
    toxic = np.isin(tactic, [tactics.TACTICS.index(name) for name in tactics.TOXIC_TACTICS])
    label = np.where(_flip(final, tactic), ~toxic, toxic).astype(np.int8)
    slugs = pl.Series([x.slug for x in chosen], dtype=pl.String)
    links = links.with_columns(
        pl.concat_str(
            [
                pl.when(pl.col(HTTP)).then(pl.lit("http://")).otherwise(pl.lit("https://")),
                pl.when(pl.col(WWW)).then(pl.lit("www.")).otherwise(pl.lit("")),
                pl.col(HOST),
                pl.col(PATH),
            ]
        ).alias(schema.SOURCE_URL),
        pl.Series(schema.LABEL, label, dtype=pl.Int8),
        pl.Series(list(tactics.TACTICS), dtype=pl.String).gather(tactic).alias(schema.TACTIC),
        slugs.gather(links[SITE_IDX].to_numpy()).alias(schema.SITE),
    )
    # A vendor lists one row per (source, target, anchor): repeats the builders drew become
    # further pages of the same source (``?page=2``), as paginated archives and comments are.
    key = [schema.SOURCE_URL, schema.TARGET_URL, schema.ANCHOR]
    repeat = pl.int_range(pl.len()).over(key)
    links = links.with_columns(
        pl.when(repeat > 0)
        .then(
            pl.concat_str(
                [
                    pl.col(schema.SOURCE_URL),
                    pl.when(pl.col(schema.SOURCE_URL).str.contains("?", literal=True))
                    .then(pl.lit("&page="))
                    .otherwise(pl.lit("?page=")),
                    (repeat + 1).cast(pl.String),
                ]
            )
        )
        .otherwise(pl.col(schema.SOURCE_URL))
        .alias(schema.SOURCE_URL)
    )
    order = final.permutation(links.height)
    world = links[order].select(
        pl.col(name).cast(dtype) for name, dtype in {**schema.CANONICAL, **schema.TRUTH}.items()
    )
    logger.debug("world: %d links, %d sites, seed %d", world.height, len(chosen), seed)
    return world
