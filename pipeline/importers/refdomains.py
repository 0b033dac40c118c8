"""Referring-domain exports: one row per referring domain, no source URLs, no target URLs.

Users often have only the referring-domains list (Semrush "Referring Domains", Ahrefs "Referring
domains", Majestic "Ref Domains"; Search Console's "Top linking sites" is the same kind, see
:mod:`pipeline.importers.gsc`). Each domain becomes a link from its home page
(``https://domain/``) to the site given with ``--site``, and goes through the one featurize and
score path as any export: the features that need only the domain (its name, TLD, authority,
IP, country, dates) are there, the link-level ones (anchor, link attributes, the linking page)
are absent, and the summary says so. The rollup and the disavow file are the outputs that
matter for such an export.

Headers: Semrush's is from a real export (``Domain ascore,Domain,Backlinks,IP Address,Country,
First seen,Last seen``); Ahrefs' and Majestic's follow their column names as documented and as
older exports wrote them, accepted by alias.
"""

from __future__ import annotations

import polars as pl

from features import schema
from pipeline.importers import values
from pipeline.importers.spec import Fields, FormatSpec, LinkMapping

SEMRUSH_NAME = "semrush_refdomains"
AHREFS_NAME = "ahrefs_refdomains"
MAJESTIC_NAME = "majestic_refdomains"

DOMAIN_ALIASES: tuple[str, ...] = ("Domain", "Referring domain", "Referring Domain", "RefDomain")

SEMRUSH_SIGNATURE: tuple[str, ...] = (
    "Domain ascore", "Domain", "Backlinks", "IP Address", "Country", "First seen", "Last seen",
)  # fmt: skip
AHREFS_SIGNATURE: tuple[str, ...] = (
    "Domain", "Domain rating", "DR", "Domain traffic", "Dofollow ref. domains",
    "Dofollow linked domains", "Links to target", "New links", "Lost links", "Dofollow links",
    "First seen", "Lost", "Linked domains",
)  # fmt: skip
MAJESTIC_SIGNATURE: tuple[str, ...] = (
    "Domain", "AlexaRank", "Matches", "RefDomains", "ExtBackLinks", "IndexedURLs",
    "CrawledURLs", "FirstCrawled", "LastSuccessfulCrawl", "IP", "SubNet", "CountryCode", "TLD",
    "CitationFlow", "TrustFlow",
)  # fmt: skip


def _target(site: str | None) -> pl.Expr:
    if site is None:  # read_export checks --site before mapping; keep the mapping total anyway
        raise ValueError("a referring-domains export needs the site's URL")
    return pl.lit(site, dtype=pl.String)


def _home_page(fields: Fields) -> LinkMapping:
    return {
        schema.SOURCE_URL: fields.require(
            schema.SOURCE_URL, *DOMAIN_ALIASES, transform=values.host_to_url
        ),
    }


def semrush(fields: Fields, site: str | None) -> LinkMapping:
    """Semrush Referring Domains: Authority Score, IP and country of each domain."""
    return {
        **_home_page(fields),
        schema.TARGET_URL: _target(site),
        schema.DOMAIN_AUTHORITY: fields.column("Domain ascore", "Domain AS", "Authority Score"),
        schema.SOURCE_IP: fields.column("IP Address", "IP"),
        schema.SOURCE_COUNTRY: fields.column("Country"),
        schema.FIRST_SEEN: fields.column("First seen"),
        schema.LAST_SEEN: fields.column("Last seen"),
    }


def ahrefs(fields: Fields, site: str | None) -> LinkMapping:
    """Ahrefs Referring domains: Domain Rating and traffic of each domain."""
    return {
        **_home_page(fields),
        schema.TARGET_URL: _target(site),
        schema.DOMAIN_AUTHORITY: fields.column("Domain rating", "DR"),
        schema.DOMAIN_TRAFFIC: fields.column("Domain traffic", "Traffic"),
        schema.FIRST_SEEN: fields.column("First seen"),
        schema.LAST_SEEN: fields.column("Last seen", "Last check"),
    }


def majestic(fields: Fields, site: str | None) -> LinkMapping:
    """Majestic Ref Domains: Trust Flow (here the domain's), IP and country of each domain."""
    return {
        **_home_page(fields),
        schema.TARGET_URL: _target(site),
        schema.DOMAIN_AUTHORITY: fields.column("TrustFlow", "Trust Flow"),
        schema.SOURCE_IP: fields.column("IP"),
        schema.SOURCE_COUNTRY: fields.column("CountryCode", "Country"),
        schema.FIRST_SEEN: fields.column("FirstCrawled", "First Crawled"),
        schema.LAST_SEEN: fields.column("LastSuccessfulCrawl", "Last Crawled"),
    }


SEMRUSH_SPEC = FormatSpec(
    SEMRUSH_NAME, "Semrush Referring Domains", SEMRUSH_SIGNATURE, semrush,
    needs_site=True, level="domain",
)  # fmt: skip
AHREFS_SPEC = FormatSpec(
    AHREFS_NAME, "Ahrefs Referring domains", AHREFS_SIGNATURE, ahrefs,
    needs_site=True, level="domain",
)  # fmt: skip
MAJESTIC_SPEC = FormatSpec(
    MAJESTIC_NAME, "Majestic Ref Domains", MAJESTIC_SIGNATURE, majestic,
    needs_site=True, level="domain",
)  # fmt: skip
