"""Moz Link Explorer (formerly Open Site Explorer) inbound-links exports.

Moz writes a few preamble lines above the header (``read`` finds the header by its column
names). ``URL`` is the linking page and ``Target URL`` the page linked to; older exports wrote
URLs without a scheme, so a schemeless URL gets ``http://``. The follow columns are combined
into nofollow: "Only rel=nofollow" means nofollow, "Only follow" means followed, and otherwise
"No Link Equity" stands for nofollow. Spam Score is Moz's own verdict and stays in the original
table, never a feature.
"""

from __future__ import annotations

import polars as pl

from features import schema
from pipeline.importers.spec import Fields, FormatSpec, LinkMapping

NAME = "moz"

SIGNATURE: tuple[str, ...] = (
    "URL", "Title", "Anchor Text", "Spam Score", "Page Authority", "Domain Authority",
    "Number of Domains Linking to this Page", "Number of Domains Linking to Domain", "Origin",
    "Target URL", "Link Equity", "No Link Equity", "Only rel=nofollow", "Only follow", "301",
)  # fmt: skip


def with_scheme(url: pl.Expr) -> pl.Expr:
    """``www.example.com/page`` -> ``http://www.example.com/page``; other values unchanged."""
    schemeless = url.str.contains(r"^[\p{L}\p{N}_-]+(?:\.[\p{L}\p{N}_-]+)+(?::\d+)?(?:[/?#]|$)")
    return pl.when(schemeless).then(pl.lit("http://") + url).otherwise(url)


def _nofollow(fields: Fields) -> pl.Expr | None:
    only_nofollow = fields.flag("Only rel=nofollow")
    only_follow = fields.flag("Only follow")
    no_equity = fields.flag("No Link Equity")
    equity = fields.flag("Link Equity")
    candidates = [
        None if only_nofollow is None else pl.when(only_nofollow).then(pl.lit(True)),
        None if only_follow is None else pl.when(only_follow).then(pl.lit(False)),
        no_equity,
        None if equity is None else ~equity,
    ]
    present = [expr for expr in candidates if expr is not None]
    return pl.coalesce(*present) if present else None


def _link_type(fields: Fields) -> pl.Expr | None:
    redirect = fields.flag("301")
    return None if redirect is None else pl.when(redirect).then(pl.lit("redirect"))


def links(fields: Fields, site: str | None) -> LinkMapping:
    """Map a Moz Link Explorer export onto the canonical columns."""
    del site  # the export names its target URLs
    return {
        schema.SOURCE_URL: fields.require(
            schema.SOURCE_URL, "URL", "Source URL", "Linking URL", transform=with_scheme
        ),
        schema.TARGET_URL: fields.require(schema.TARGET_URL, "Target URL", transform=with_scheme),
        schema.SOURCE_TITLE: fields.column("Title"),
        schema.ANCHOR: fields.column("Anchor Text"),
        schema.PAGE_AUTHORITY: fields.column("Page Authority"),
        schema.DOMAIN_AUTHORITY: fields.column("Domain Authority"),
        schema.FIRST_SEEN: fields.column("First Seen", "Date First Seen"),
        schema.LAST_SEEN: fields.column("Last Seen", "Date Last Seen"),
        schema.NOFOLLOW: _nofollow(fields),
        schema.LINK_TYPE: _link_type(fields),
    }


SPEC = FormatSpec(NAME, "Moz Link Explorer", SIGNATURE, links)
