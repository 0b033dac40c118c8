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

import numpy as np
import polars as pl

from features import schema
from features.knowledge import LEGIT_GROUPS, SPAM_GROUPS, Knowledge
from features.urls import UrlParts, parse_urls
from pipeline.world import tactics

# Share of a population's referring domains renamed, and from which pool.
SPAM, LEGIT = "spam", "legit"
RENAMED: dict[str, tuple[str, float]] = {
    **{name: (SPAM, 0.3) for name in tactics.TOXIC_TACTICS},
    tactics.HACKED: (LEGIT, 0.3),
    **{name: (LEGIT, 0.08) for name in tactics.LEGIT_TACTICS},
    tactics.NEWS: (LEGIT, 0.35),
    tactics.WIKI_SOCIAL: (LEGIT, 0.0),  # already the real platforms
}
FALSE_LISTED = 0.01  # share of legitimate domains that carry a listed (spam-side) name

_P = UrlParts("_lt_w")


def name_pools(knowledge: Knowledge) -> dict[str, list[str]]:
    """Spam-side and legitimate-side registrable domains of the shipped tables, sorted."""
    domains = knowledge.domains.collect()
    spam = domains.filter(pl.any_horizontal(pl.col(g) for g in SPAM_GROUPS))["domain"]
    legit = domains.filter(
        pl.any_horizontal(pl.col(g) for g in LEGIT_GROUPS)
        & ~pl.any_horizontal(pl.col(g) for g in SPAM_GROUPS)
    )["domain"]
    popular = knowledge.popularity.collect()["domain"]
    return {
        SPAM: sorted(set(spam.to_list())),
        LEGIT: sorted(set(legit.to_list()) | set(popular.to_list())),
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
    pool_of = domains["tactic"].replace_strict(
        {t: RENAMED.get(t, (LEGIT, 0.0))[0] for t in tactics.TACTICS}, default=LEGIT
    )
    share = domains["tactic"].replace_strict(
        {t: RENAMED.get(t, (LEGIT, 0.0))[1] for t in tactics.TACTICS}, default=0.0
    )
    legit = ~domains["tactic"].is_in(list(tactics.TOXIC_TACTICS))
    draw = rng.random(domains.height)
    listed_by_mistake = legit.to_numpy() & (draw < FALSE_LISTED)
    renamed = (draw >= FALSE_LISTED) & (draw < FALSE_LISTED + share.to_numpy())
    pool = np.where(listed_by_mistake, SPAM, pool_of.to_numpy())
    chosen = renamed | listed_by_mistake
    new = np.full(domains.height, None, dtype=object)
    for side in (SPAM, LEGIT):
        take = np.flatnonzero(chosen & (pool == side))
        names = pools[side]
        if len(take) and names:
            picks = rng.choice(len(names), size=len(take), replace=len(take) > len(names))
            new[take] = np.asarray(names, dtype=object)[picks]
    mapping = domains.select("domain").with_columns(pl.Series("new", new.tolist(), dtype=pl.String))
    mapping = mapping.filter(pl.col("new").is_not_null()).unique("new", keep="first")
    out = world.with_columns(
        pl.Series("_host", hosts["host"]), pl.Series("_dom", hosts["domain"])
    ).join(mapping, left_on="_dom", right_on="domain", how="left", maintain_order="left")
    # Put the new registrable domain in place (keeping "www." when the host had it).
    keep_www = pl.col("_host").str.starts_with("www.")
    replaced = pl.concat_str(
        pl.col(schema.SOURCE_URL).str.extract(r"^([A-Za-z]+://)"),
        pl.when(keep_www).then(pl.lit("www.")).otherwise(pl.lit("")),
        pl.col("new"),
        pl.col(schema.SOURCE_URL).str.extract(r"^[A-Za-z]+://[^/?#]+(.*)$").fill_null(""),
    )
    out = out.with_columns(
        pl.when(pl.col("new").is_not_null())
        .then(replaced)
        .otherwise(pl.col(schema.SOURCE_URL))
        .alias(schema.SOURCE_URL)
    )
    return out.drop("_host", "_dom", "new")
