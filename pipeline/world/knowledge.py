"""Real domain names in the synthetic world, so the model learns how far to trust public lists.

Every synthetic domain has a made-up name, so without this step no world link would ever be on a
public blocklist or in the popularity list, and the model would learn to ignore both. Here a
share of each population's referring domains takes a real name from the shipped knowledge
(training part only; the held-out names are never used), the same name for all of a domain's
links: spam tactics draw from the spam lists, hacked pages from popular and legitimate sites
(hacked sites are ordinary sites), press and reference links from the popularity and press
lists. The shares are well below one, and a small share of legitimate domains takes a listed
name (public lists carry false positives), so list membership is a strong signal, not a rule.
"""

from __future__ import annotations

from collections.abc import Collection

import numpy as np
import polars as pl

from features import schema
from features.knowledge import LEGIT_GROUPS, SPAM_GROUPS, Knowledge
from features.platforms import PATH_HOSTS, SUBDOMAIN_HOSTS
from features.urls import UrlParts, parse_urls
from pipeline.world import tactics

# Pools of real names: spam-side lists, legitimate categories (off the popularity list) and the
# popularity list. ``*_LOOKALIKE`` pools hold the same names with another suffix of their side
# ("joes-bakery.com" -> "joes-bakery.fr"): names that look like real ones of their side but that
# no shipped table holds, as most domains of a real profile are. Without them every real-looking
# name in the world would also be a lookup hit, and the model would learn the lookups and ignore
# the name model, which is all it has for an unlisted domain.
SPAM, LEGIT, POPULAR = "spam", "legit", "popular"
SPAM_LOOKALIKE, LEGIT_LOOKALIKE = "spam_lookalike", "legit_lookalike"
POOLS: tuple[str, ...] = (SPAM, LEGIT, POPULAR, SPAM_LOOKALIKE, LEGIT_LOOKALIKE)

# Per population: the share of its referring domains renamed from each pool. Popular names go to
# news and, rarely, to other legitimate populations; hacked pages sit on ordinary sites (the
# legitimate categories), almost never on a top site.
_TOXIC = {SPAM: 0.2, SPAM_LOOKALIKE: 0.5}
_LEGIT = {POPULAR: 0.12, LEGIT: 0.08, LEGIT_LOOKALIKE: 0.45}
RENAMED: dict[str, dict[str, float]] = {
    **{name: _TOXIC for name in tactics.TOXIC_TACTICS},
    tactics.HACKED: {LEGIT: 0.25, POPULAR: 0.01, LEGIT_LOOKALIKE: 0.4},
    **{name: _LEGIT for name in tactics.LEGIT_TACTICS},
    tactics.NEWS: {POPULAR: 0.5, LEGIT: 0.1, LEGIT_LOOKALIKE: 0.2},
    # University and institution resource pages, big community forums and aggregators.
    tactics.RESOURCE_PAGE: {POPULAR: 0.25, LEGIT: 0.1, LEGIT_LOOKALIKE: 0.35},
    tactics.FORUM_UGC: {POPULAR: 0.2, LEGIT: 0.08, LEGIT_LOOKALIKE: 0.4},
    tactics.WIKI_SOCIAL: {},  # already the real platforms
}
FALSE_LISTED = 0.01  # share of legitimate domains that carry a listed (spam-side) name

# Share of the domains renamed from each pool that link from subdomains, the share of their
# links that do, and the subdomains.
SUBDOMAINS: dict[str, float] = {POPULAR: 0.5, LEGIT: 0.2, LEGIT_LOOKALIKE: 0.15, SPAM: 0.1}
SUBDOMAIN_LINKS = 0.7
SUBDOMAIN_LABELS: tuple[str, ...] = (
    "blog", "blogs", "news", "archive", "en", "de", "fr", "m", "forum", "community", "docs",
    "support", "help", "shop", "events", "planet", "wiki", "people", "lists", "dev",
)  # fmt: skip
_P = UrlParts("_lt_w")
GENERIC_SUFFIXES = ("com", "net", "org")
GENERIC_SUFFIX_ODDS = (0.8, 0.1, 0.1)  # real profiles: .com about 60% of all domains
GENERIC_SUFFIX_SHARE = 0.85


def _lookalikes(names: list[str], taken: set[str], seed: int) -> list[str]:
    """``names`` with their public suffix swapped for another suffix of the same pool (drawn by
    the pool's own suffix frequencies), keeping only results no table holds."""
    if not names:
        return []
    rng = np.random.default_rng([seed, 4242])
    frame = pl.DataFrame({"d": names}).with_columns(
        pl.col("d").str.extract(r"^([^.]+)\.").alias("stem"),
        pl.col("d").str.extract(r"^[^.]+\.(.+)$").alias("suffix"),
    )
    frame = frame.filter(pl.col("stem").is_not_null() & pl.col("suffix").is_not_null())
    # Only plain suffixes ("com", "co.uk") are drawn, never a platform's ("blogspot.com"): a
    # look-alike is an ordinary registrable domain.
    plain = pl.col("suffix").str.contains(r"^(?:[a-z0-9-]+|(?:co|com|org|net|ac|gov|edu)\.[a-z]+)$")
    # Most real registrable domains are .com, .net or .org whatever list they come from; the
    # rest take a suffix of the pool (its country codes).
    suffixes = frame.filter(plain)["suffix"].to_numpy()
    swapped = suffixes[rng.integers(0, len(suffixes), frame.height)]
    generic = rng.random(frame.height) < GENERIC_SUFFIX_SHARE
    swapped[generic] = rng.choice(
        np.asarray(GENERIC_SUFFIXES), size=int(generic.sum()), p=GENERIC_SUFFIX_ODDS
    )
    out = (frame["stem"] + "." + pl.Series(swapped, dtype=pl.String)).unique(maintain_order=True)
    return sorted(set(out.to_list()) - taken)


def name_pools(
    knowledge: Knowledge, exclude: Collection[str] = (), seed: int = 0
) -> dict[str, list[str]]:
    """Every pool of :data:`POOLS`: registrable domains, sorted, none of them in ``exclude``
    (the held-out evaluation names, which no world may use)."""
    domains = knowledge.domains.collect()
    spam = set(domains.filter(pl.any_horizontal(pl.col(g) for g in SPAM_GROUPS))["domain"])
    legit = set(
        domains.filter(
            pl.any_horizontal(pl.col(g) for g in LEGIT_GROUPS)
            & ~pl.any_horizontal(pl.col(g) for g in SPAM_GROUPS)
        )["domain"]
    )
    popular = set(knowledge.popularity.collect()["domain"])
    taken = set(domains["domain"]) | popular | set(exclude)
    # A hosting platform's name would turn a whole population into one platform's user sites.
    platforms = SUBDOMAIN_HOSTS | PATH_HOSTS
    banned = set(exclude) | platforms
    return {
        SPAM: sorted(spam - banned),
        LEGIT: sorted(legit - popular - banned),
        POPULAR: sorted(popular - spam - banned),
        SPAM_LOOKALIKE: _lookalikes(sorted(spam), taken, seed),
        LEGIT_LOOKALIKE: _lookalikes(sorted(legit - popular), taken, seed + 1),
    }


def with_real_names(world: pl.DataFrame, pools: dict[str, list[str]], seed: int) -> pl.DataFrame:
    """``world`` with a share of its referring domains renamed to real names (see the module).

    Only hosts that are their registrable domain (or its ``www.``) are renamed: a user site on a
    platform keeps its platform. Row order, every other column and the labels are unchanged.
    """
    rng = np.random.default_rng([seed, 7331])
    parsed = parse_urls(world.lazy().select(schema.SOURCE_URL), schema.SOURCE_URL, _P).collect()
    hosts = parsed.select(
        pl.col(_P.host).alias("host"), pl.col(_P.domain).alias("domain")
    ).with_columns(pl.Series("tactic", world[schema.TACTIC]))
    owned = hosts.filter(
        pl.col("domain").is_not_null()
        & ((pl.col("host") == pl.col("domain")) | (pl.col("host") == "www." + pl.col("domain")))
    )
    domains = owned.group_by("domain").agg(pl.col("tactic").first()).sort("domain")
    tactic = domains["tactic"].to_numpy()
    legit = ~domains["tactic"].is_in(list(tactics.TOXIC_TACTICS)).to_numpy()
    draw = rng.random(domains.height)
    # One draw per domain walks through its population's pools: [0, FALSE_LISTED) is a listed
    # name by mistake (legitimate domains only), then each pool's share in POOLS order.
    pool = np.full(domains.height, None, dtype=object)
    pool[legit & (draw < FALSE_LISTED)] = SPAM
    for name in tactics.TACTICS:
        rows = (tactic == name) & (pool == None)  # noqa: E711 (element-wise on an object array)
        low = FALSE_LISTED
        for side in POOLS:
            share = RENAMED.get(name, {}).get(side, 0.0)
            pool[rows & (draw >= low) & (draw < low + share)] = side
            low += share
    new = np.full(domains.height, None, dtype=object)
    for side in POOLS:
        take = np.flatnonzero(pool == side)
        names = pools.get(side, [])
        if len(take) and names:
            picks = rng.choice(len(names), size=len(take), replace=len(take) > len(names))
            new[take] = np.asarray(names, dtype=object)[picks]
    # Big real sites link from their subdomains (archive.nytimes.com, blogs.cuit.columbia.edu):
    # a share of the domains renamed to a real name gets them, on most of their links.
    with_subs = rng.random(domains.height) < np.asarray(
        [SUBDOMAINS.get(str(side), 0.0) for side in pool], dtype=np.float64
    )
    mapping = domains.select("domain").with_columns(
        pl.Series("new", new.tolist(), dtype=pl.String), pl.Series("_subs", with_subs)
    )
    mapping = mapping.filter(pl.col("new").is_not_null()).unique("new", keep="first")
    out = world.with_columns(
        pl.Series("_host", hosts["host"]), pl.Series("_dom", hosts["domain"])
    ).join(mapping, left_on="_dom", right_on="domain", how="left", maintain_order="left")
    labels = np.asarray(SUBDOMAIN_LABELS)
    sub = pl.Series(labels[rng.integers(0, len(labels), out.height)])
    on_sub = pl.Series(rng.random(out.height) < SUBDOMAIN_LINKS)
    # Put the new registrable domain in place (keeping "www." when the host had it).
    keep_www = pl.col("_host").str.starts_with("www.")
    prefix = (
        pl.when(pl.col("_subs").fill_null(False) & pl.lit(on_sub))
        .then(pl.lit(sub) + ".")
        .when(keep_www)
        .then(pl.lit("www."))
        .otherwise(pl.lit(""))
    )
    replaced = pl.concat_str(
        pl.col(schema.SOURCE_URL).str.extract(r"^([A-Za-z]+://)"),
        prefix,
        pl.col("new"),
        pl.col(schema.SOURCE_URL).str.extract(r"^[A-Za-z]+://[^/?#]+(.*)$").fill_null(""),
    )
    out = out.with_columns(
        pl.when(pl.col("new").is_not_null())
        .then(replaced)
        .otherwise(pl.col(schema.SOURCE_URL))
        .alias(schema.SOURCE_URL)
    )
    return out.drop("_host", "_dom", "new", "_subs")
