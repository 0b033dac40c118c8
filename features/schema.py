"""The canonical link table: one row per backlink, shared by the world, the importers and features.

Every vendor export is mapped onto these columns. Only ``source_url`` and ``target_url`` are
required; every other column may be missing or null in a real export, and everything downstream
copes with that (a missing column becomes a null column through :func:`conform`).
"""

from __future__ import annotations

import polars as pl

# Required columns.
SOURCE_URL = "source_url"
TARGET_URL = "target_url"

# Link attributes (optional in real exports).
ANCHOR = "anchor"
SOURCE_TITLE = "source_title"
NOFOLLOW = "nofollow"
UGC = "ugc"
SPONSORED = "sponsored"
LINK_TYPE = "link_type"
SITEWIDE = "sitewide"
FIRST_SEEN = "first_seen"
LAST_SEEN = "last_seen"
PAGE_AUTHORITY = "page_authority"
DOMAIN_AUTHORITY = "domain_authority"
EXTERNAL_LINKS = "external_links"
INTERNAL_LINKS = "internal_links"

# Optional enrichment columns: many exports do not carry them at all.
SOURCE_IP = "source_ip"
SOURCE_COUNTRY = "source_country"
SOURCE_LANGUAGE = "source_language"
DOMAIN_TRAFFIC = "domain_traffic"
LEFT_CONTEXT = "left_context"
RIGHT_CONTEXT = "right_context"

# Training-only columns: the truth, never a feature.
LABEL = "label"
TACTIC = "tactic"
SITE = "site"  # which synthetic target site a world link points at (splits hold one out)
VIEW = "view"  # how a training link was seen: FULL_VIEW (an export's columns) or URL_ONLY_VIEW
FULL_VIEW, URL_ONLY_VIEW = "full", "url_only"

LINK_TYPES: tuple[str, ...] = ("text", "image", "redirect", "frame", "form")

REQUIRED: tuple[str, ...] = (SOURCE_URL, TARGET_URL)

CANONICAL: dict[str, pl.DataType] = {
    SOURCE_URL: pl.String(),
    TARGET_URL: pl.String(),
    ANCHOR: pl.String(),
    SOURCE_TITLE: pl.String(),
    NOFOLLOW: pl.Boolean(),
    UGC: pl.Boolean(),
    SPONSORED: pl.Boolean(),
    LINK_TYPE: pl.String(),
    SITEWIDE: pl.Boolean(),
    FIRST_SEEN: pl.Date(),
    LAST_SEEN: pl.Date(),
    PAGE_AUTHORITY: pl.Float64(),
    DOMAIN_AUTHORITY: pl.Float64(),
    EXTERNAL_LINKS: pl.Int64(),
    INTERNAL_LINKS: pl.Int64(),
    SOURCE_IP: pl.String(),
    SOURCE_COUNTRY: pl.String(),
    SOURCE_LANGUAGE: pl.String(),
    DOMAIN_TRAFFIC: pl.Float64(),
    LEFT_CONTEXT: pl.String(),
    RIGHT_CONTEXT: pl.String(),
}

TRUTH: dict[str, pl.DataType] = {LABEL: pl.Int8(), TACTIC: pl.String(), SITE: pl.String()}


def conform(links: pl.LazyFrame) -> pl.LazyFrame:
    """Give a link table every canonical column with its canonical dtype.

    Missing optional columns are added as nulls so that features see one shape; extra columns
    (a vendor's originals, the truth) are kept after the canonical ones, untouched.
    """
    names = links.collect_schema().names()
    canonical = [
        (pl.col(name) if name in names else pl.lit(None)).cast(dtype).alias(name)
        for name, dtype in CANONICAL.items()
    ]
    extra = [pl.col(name) for name in names if name not in CANONICAL]
    return links.select(*canonical, *extra)


# What a URL-only export (Google Search Console's "Latest links") carries: the linking page, the
# crawl date and, through --site, the site's home page as the target.
URL_ONLY_KEPT: tuple[str, ...] = (SOURCE_URL, TARGET_URL, LAST_SEEN)


def url_only(links: pl.LazyFrame) -> pl.LazyFrame:
    """The same links as a URL-only export would give them: every attribute but the linking
    page and its crawl date missing, the target the site's home page. Truth columns and any
    column outside the canonical table are kept."""
    home = pl.col(TARGET_URL).str.extract(r"^([A-Za-z][A-Za-z0-9+.\-]*://[^/?#]+)") + "/"
    dropped = [name for name in CANONICAL if name not in URL_ONLY_KEPT]
    return conform(
        links.with_columns(pl.coalesce(home, pl.col(TARGET_URL)).alias(TARGET_URL)).drop(
            dropped, strict=False
        )
    )
