"""Network (PBN) features: what a referring domain shares with OTHER referring domains.

A private blog network betrays itself by shared infrastructure and templates: one IP or /24
subnet (LinkResearchTools' SUSP3/SUSP7), the same page title pattern, the same URL path pattern
(Semrush's "same URL path / same page title across domains"). Each feature counts the *other*
referring domains of the same profile sharing the key, so 0 means "unique" and null means "we do
not know" (no IP in the export, no title).
"""

from __future__ import annotations

import polars as pl

from features.columns import PROFILE, REF_DOMAIN, SRC_NAME
from features.lookups import Lookup
from features.schema import SOURCE_IP, SOURCE_TITLE
from features.urls import UrlParts

NET_IP_DOMAINS = "net_ip_domains"
NET_SUBNET_DOMAINS = "net_subnet_domains"
NET_TITLE_DOMAINS = "net_title_domains"
NET_PATH_DOMAINS = "net_path_domains"

NETWORK_FEATURES: tuple[str, ...] = (
    NET_IP_DOMAINS,
    NET_SUBNET_DOMAINS,
    NET_TITLE_DOMAINS,
    NET_PATH_DOMAINS,
)

MIN_TITLE_CHARS = 6  # shorter normalised titles ("home", "blog") say nothing about a template

# Scratch keys (part of the base frame).
IP_KEY = "_lt_ip"
SUBNET_KEY = "_lt_subnet"
TITLE_KEY = "_lt_title_key"
PATH_KEY = "_lt_path_key"


def squash_title(text: pl.Expr) -> pl.Expr:
    """Lower-case letters and digits only, digit runs masked as "0"."""
    return (
        text.str.to_lowercase().str.replace_all(r"\d+", "0").str.replace_all(r"[^\p{L}\p{N}]+", "")
    )


def add_title_key(lf: pl.LazyFrame, title: str, site_name: str, out: str) -> pl.LazyFrame:
    """Add ``out``: the template key of a page title.

    Letters/digits only, digits masked, and the site's own name cut out, so "Best SEO Tips 2024 |
    seohub7" and "Best SEO tips 2023 - linkzone" share a key. Null when too little is left to be
    a template. Built in stages so each regex runs once per row.
    """
    squashed, name, pos = f"{out}_squashed", f"{out}_name", f"{out}_pos"
    lf = lf.with_columns(
        squash_title(pl.col(title)).alias(squashed), squash_title(pl.col(site_name)).alias(name)
    )
    lf = lf.with_columns(
        pl.when(pl.col(name).str.len_chars() >= 3)
        .then(pl.col(squashed).str.find(pl.col(name), literal=True))
        .alias(pos)
    )
    text, cut = pl.col(squashed), pl.col(pos)
    without = (
        pl.when(cut.is_not_null())
        .then(
            pl.concat_str(
                [text.str.slice(0, cut), text.str.slice(cut + pl.col(name).str.len_chars())]
            )
        )
        .otherwise(text)
    )
    lf = lf.with_columns(without.alias(out))
    return lf.with_columns(
        pl.when(pl.col(out).str.len_chars() >= MIN_TITLE_CHARS).then(pl.col(out)).alias(out)
    ).drop(squashed, name, pos)


# Paths that thousands of unrelated sites have (a links page, a blog index, a WordPress category
# or page 2): sharing one says nothing of a network, so they get no path key.
GENERIC_PATH = (
    r"^/?(?:(?:blog|news|about|about-us|contact|links|resources|useful-links|partners|friends|"
    r"sponsors|sitemap|index|home|default|forum|forums|archive|archives|search|page|tags?|"
    r"categor(?:y|ies)|links?-?page|link-?partners)(?:\.(?:s?html?|php|aspx?|cfm))?"
    r"|(?:[a-z-]+/)?page/0|(?:category|tag)/[a-z0-9-]+)$"
)


def path_key(path: pl.Expr) -> pl.Expr:
    """URL path pattern: lower-case, digits masked, trailing slash dropped; null for the root and
    for a generic path (:data:`GENERIC_PATH`)."""
    key = path.str.to_lowercase().str.replace_all(r"\d+", "0").str.strip_chars_end("/")
    return pl.when((key.str.len_chars() > 0) & ~key.str.contains(GENERIC_PATH)).then(key)


def _others(base: pl.LazyFrame, key: str, out: str) -> pl.LazyFrame:
    """(profile, non-null ``key``, other referring domains of the profile with that key)."""
    return (
        base.filter(pl.col(key).is_not_null())
        .group_by(PROFILE, key)
        .agg((pl.col(REF_DOMAIN).n_unique() - 1).cast(pl.Int32).alias(out))
    )


def prepare_network(lf: pl.LazyFrame, src: UrlParts) -> pl.LazyFrame:
    """Add the scratch IP, /24 subnet, title-template and path-pattern keys (row-wise; base)."""
    lf = lf.with_columns(pl.col(SOURCE_IP).str.strip_chars().str.to_lowercase().alias(IP_KEY))
    ip = pl.col(IP_KEY)
    lf = lf.with_columns(
        pl.when(ip.str.len_bytes() > 0).then(ip).alias(IP_KEY),
        ip.str.extract(r"^(\d{1,3}\.\d{1,3}\.\d{1,3})\.\d{1,3}$").alias(SUBNET_KEY),
        path_key(pl.col(src.path)).alias(PATH_KEY),
    )
    return add_title_key(lf, SOURCE_TITLE, SRC_NAME, TITLE_KEY)


_NETWORK_KEYS: dict[str, str] = {
    NET_IP_DOMAINS: IP_KEY,
    NET_SUBNET_DOMAINS: SUBNET_KEY,
    NET_TITLE_DOMAINS: TITLE_KEY,
    NET_PATH_DOMAINS: PATH_KEY,
}


def network_tables(base: pl.LazyFrame) -> dict[str, pl.LazyFrame]:
    """Per feature, the domains sharing each key within the profile (the whole prepared one)."""
    return {out: _others(base, key, out) for out, key in _NETWORK_KEYS.items()}


def network_lookups(tables: dict[str, pl.LazyFrame]) -> list[Lookup]:
    """The ``net_*`` features: each table of :func:`network_tables` looked up by the key
    :func:`prepare_network` put in the base frame."""
    return [Lookup(tables[out], (PROFILE, key)) for out, key in _NETWORK_KEYS.items()]
