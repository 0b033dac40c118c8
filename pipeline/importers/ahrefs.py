"""Ahrefs Site Explorer Backlinks exports (v3, and the older v2 column names).

Ahrefs writes UTF-16 LE with a BOM, tab-separated (handled by ``read``); users also re-save it
as UTF-8 CSV or open it as .xlsx. The column set follows the export options, so only the
referring page URL and the target URL are required. Domain rating maps to domain_authority,
UR (URL Rating) to page_authority. The v2 export called the target ``Link URL`` and the
context ``TextPre``/``TextPost``.
"""

from __future__ import annotations

import polars as pl

from features import schema
from pipeline.importers import values
from pipeline.importers.spec import Fields, FormatSpec, LinkMapping

NAME = "ahrefs"

SIGNATURE: tuple[str, ...] = (
    # Site Explorer v3
    "Referring page title", "Referring page URL", "Language", "Platform",
    "Referring page HTTP code", "Domain rating", "UR", "Domain traffic", "Referring domains",
    "Linked domains", "External links", "Page traffic", "Keywords", "Target URL",
    "Left context", "Anchor", "Right context", "Type", "Content", "Nofollow", "UGC", "Sponsored",
    "Rendered", "Raw", "Is spam", "Lost status", "Drop reason", "Discovered status",
    "Page category", "Page type", "Author", "First seen", "Last seen", "Lost", "Links in group",
    # v2 names
    "Link URL", "TextPre", "Link Anchor", "TextPost", "URL Rating", "URL Rating (desc)",
    "Backlink Status", "Last Check", "Day Lost",
)  # fmt: skip

SOURCE_URL_ALIASES = ("Referring page URL", "Referring URL", "Referring page")
TARGET_URL_ALIASES = ("Target URL", "Link URL")

# Type: link kind (href, redirect, frame, form, image); Content: whether, or as what, the link
# sits in the page's content ("image" marks an image link in some exports).
TYPE_COLUMN = "Type"
CONTENT_COLUMN = "Content"


def _link_type(fields: Fields) -> pl.Expr | None:
    kinds = [
        values.link_type_from_words(expr)
        for expr in (fields.text(TYPE_COLUMN), fields.text(CONTENT_COLUMN))
        if expr is not None
    ]
    if not kinds:
        return None
    # An image flag in either column wins: an image link may also be typed "href".
    is_image = pl.any_horizontal(*(kind == "image" for kind in kinds)).fill_null(False)
    return pl.when(is_image).then(pl.lit("image")).otherwise(pl.coalesce(*kinds))


def _nofollow(fields: Fields) -> pl.Expr | None:
    """v2 exports had no Nofollow column but wrote dofollow/nofollow in Type."""
    kind = fields.text(TYPE_COLUMN)
    if kind is None:
        return None
    return (
        pl.when(kind.str.contains(r"(?i)\bnofollow\b"))
        .then(pl.lit(True))
        .when(kind.str.contains(r"(?i)\b(?:dofollow|follow)\b"))
        .then(pl.lit(False))
    )


def links(fields: Fields, site: str | None) -> LinkMapping:
    """Map an Ahrefs Backlinks export onto the canonical columns."""
    del site  # the export names its target URLs
    return {
        schema.SOURCE_URL: fields.require(schema.SOURCE_URL, *SOURCE_URL_ALIASES),
        schema.TARGET_URL: fields.require(schema.TARGET_URL, *TARGET_URL_ALIASES),
        schema.SOURCE_TITLE: fields.column("Referring page title"),
        schema.SOURCE_LANGUAGE: fields.column("Language"),
        schema.DOMAIN_AUTHORITY: fields.column("Domain rating", "DR"),
        schema.PAGE_AUTHORITY: fields.column("UR", "URL Rating", "URL Rating (desc)"),
        schema.DOMAIN_TRAFFIC: fields.column("Domain traffic"),
        schema.EXTERNAL_LINKS: fields.column("External links"),
        schema.LEFT_CONTEXT: fields.column("Left context", "TextPre"),
        schema.ANCHOR: fields.column("Anchor", "Link Anchor"),
        schema.RIGHT_CONTEXT: fields.column("Right context", "TextPost"),
        schema.NOFOLLOW: fields.column("Nofollow") or _nofollow(fields),
        schema.UGC: fields.column("UGC"),
        schema.SPONSORED: fields.column("Sponsored"),
        schema.FIRST_SEEN: fields.column("First seen"),
        schema.LAST_SEEN: fields.column("Last seen", "Last Check"),
        schema.LINK_TYPE: _link_type(fields),
    }


SPEC = FormatSpec(NAME, "Ahrefs Backlinks", SIGNATURE, links)
