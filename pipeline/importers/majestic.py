"""Majestic Site Explorer backlinks exports.

Flags (FlagNoFollow, FlagImageLink, ...) are empty for false, and some exports mark true with
``+``. Trust Flow is Majestic's quality score and is per URL: SourceTrustFlow is the trust of the
linking page, so it maps to page_authority, and domain_authority stays null (the export has no
per-domain score of the source). Citation Flow and topical Trust Flow stay in the original
table. Source First Found Date is first_seen and Source Crawl Date, the last crawl that saw the
link, is last_seen.
"""

from __future__ import annotations

from features import schema
from pipeline.importers import values
from pipeline.importers.spec import Fields, FormatSpec, LinkMapping

NAME = "majestic"

SIGNATURE: tuple[str, ...] = (
    "Target URL", "Source URL", "Anchor Text", "Source Crawl Date", "Source First Found Date",
    "FlagNoFollow", "FlagImageLink", "FlagRedirect", "FlagFrame", "FlagOldCrawl",
    "FlagAltText", "FlagMention", "SourceCitationFlow", "SourceTrustFlow",
    "TargetCitationFlow", "TargetTrustFlow", "SourceTopicalTrustFlow_Topic_0",
    "SourceTopicalTrustFlow_Value_0", "RefDomainTopicalTrustFlow_Topic_0",
    "RefDomainTopicalTrustFlow_Value_0",
)  # fmt: skip

LINK_TYPE_FLAGS: dict[str, tuple[str, ...]] = {
    "image": ("FlagImageLink",),
    "redirect": ("FlagRedirect",),
    "frame": ("FlagFrame",),
}


def links(fields: Fields, site: str | None) -> LinkMapping:
    """Map a Majestic backlinks export onto the canonical columns."""
    del site  # the export names its target URLs
    return {
        schema.SOURCE_URL: fields.require(schema.SOURCE_URL, "Source URL", "SourceURL"),
        schema.TARGET_URL: fields.require(schema.TARGET_URL, "Target URL", "TargetURL"),
        schema.ANCHOR: fields.column("Anchor Text", "AnchorText"),
        schema.SOURCE_TITLE: fields.column("Source Title", "SourceTitle"),
        schema.NOFOLLOW: fields.column("FlagNoFollow", empty=False),
        schema.FIRST_SEEN: fields.column("Source First Found Date", "FirstIndexedDate"),
        schema.LAST_SEEN: fields.column("Source Crawl Date", "LastSeenDate"),
        schema.PAGE_AUTHORITY: fields.column("SourceTrustFlow"),
        schema.LINK_TYPE: values.link_type_from_flags(
            fields.flags(LINK_TYPE_FLAGS, empty=False), default="text"
        ),
    }


SPEC = FormatSpec(NAME, "Majestic Backlinks", SIGNATURE, links)
