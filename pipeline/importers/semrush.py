"""Semrush: Backlink Analytics exports (current and older headers) and Backlink Audit exports.

Semrush writes booleans as TRUE/FALSE (WAHR/FALSCH and friends after a European Excel re-save,
often with ``;`` as the delimiter), the link type as one flag column per type (Text, Frame,
Form, Image), and ``Page ascore``, the Authority Score of the source page, which maps to
page_authority. Backlink Audit exports have no published header; they are accepted by alias and
their own Toxicity Score and status columns stay in the original table, never a feature.
"""

from __future__ import annotations

from features import schema
from pipeline.importers import values
from pipeline.importers.spec import Fields, FormatSpec, LinkMapping

NAME = "semrush"
LEGACY_NAME = "semrush_legacy"
AUDIT_NAME = "semrush_audit"

SIGNATURE: tuple[str, ...] = (
    "Page ascore", "Source title", "Source url", "Target url", "Anchor", "External links",
    "Internal links", "Nofollow", "Sponsored", "Ugc", "Text", "Frame", "Form", "Image",
    "Sitewide", "First seen", "Last seen", "New link", "Lost link",
)  # fmt: skip
LEGACY_SIGNATURE: tuple[str, ...] = (
    "Page score", "Page trust score", "Source title", "Source url", "Target url", "Anchor",
    "External links", "Internal links", "Nofollow", "Frame", "Form", "Image", "Sitewide",
    "First seen", "Last seen",
)  # fmt: skip
AUDIT_SIGNATURE: tuple[str, ...] = (
    "Source title", "Source url", "Target url", "Anchor", "Toxicity Score", "Toxic Score",
    "Toxic markers", "First seen", "Last seen", "Nofollow", "Status",
    # a real Backlink Audit style export (see /shared/reference/export-formats.md)
    "Domain Authority Score", "Page Authority Score", "Source Page Title", "Source Domain",
    "Anchor Type", "Link Type", "No Follow", "Comment",
)  # fmt: skip

SOURCE_URL_ALIASES = ("Source url", "Source URL", "Referring URL")
TARGET_URL_ALIASES = ("Target url", "Target URL")
LINK_TYPE_FLAGS: dict[str, tuple[str, ...]] = {
    "image": ("Image",),
    "frame": ("Frame",),
    "form": ("Form",),
    "text": ("Text",),
}


def _common(fields: Fields) -> dict:
    """Columns shared by every Semrush backlinks export."""
    return {
        schema.SOURCE_URL: fields.require(schema.SOURCE_URL, *SOURCE_URL_ALIASES),
        schema.TARGET_URL: fields.require(schema.TARGET_URL, *TARGET_URL_ALIASES),
        schema.ANCHOR: fields.column("Anchor", "Anchor text"),
        schema.SOURCE_TITLE: fields.column("Source title", "Source Page Title"),
        schema.NOFOLLOW: fields.column("Nofollow", "No Follow"),
        schema.FIRST_SEEN: fields.column("First seen"),
        schema.LAST_SEEN: fields.column("Last seen"),
    }


def backlinks_links(fields: Fields, site: str | None) -> LinkMapping:
    """Map a Backlink Analytics export (either header) onto the canonical columns."""
    del site  # the export names its target URLs
    return {
        **_common(fields),
        schema.PAGE_AUTHORITY: fields.column("Page ascore", "Page AS", "Page score"),
        schema.DOMAIN_AUTHORITY: fields.column("Domain ascore", "Domain AS"),
        schema.EXTERNAL_LINKS: fields.column("External links"),
        schema.INTERNAL_LINKS: fields.column("Internal links"),
        schema.UGC: fields.column("Ugc", "UGC"),
        schema.SPONSORED: fields.column("Sponsored"),
        schema.SITEWIDE: fields.column("Sitewide"),
        schema.LINK_TYPE: values.link_type_from_flags(fields.flags(LINK_TYPE_FLAGS)),
    }


def audit_links(fields: Fields, site: str | None) -> LinkMapping:
    """Map a Backlink Audit export onto the canonical columns (Semrush's toxicity is kept aside)."""
    del site
    return {
        **_common(fields),
        schema.PAGE_AUTHORITY: fields.column("Page ascore", "Page AS", "Page Authority Score"),
        schema.DOMAIN_AUTHORITY: fields.column(
            "Domain ascore", "Domain AS", "Authority Score", "Domain Authority Score"
        ),
        schema.UGC: fields.column("Ugc", "UGC"),
        schema.SPONSORED: fields.column("Sponsored"),
        schema.SITEWIDE: fields.column("Sitewide"),
        schema.LINK_TYPE: values.link_type_from_flags(fields.flags(LINK_TYPE_FLAGS)),
    }


SPEC = FormatSpec(NAME, "Semrush Backlinks", SIGNATURE, backlinks_links)
LEGACY_SPEC = FormatSpec(
    LEGACY_NAME, "Semrush Backlinks (older export)", LEGACY_SIGNATURE, backlinks_links
)
AUDIT_SPEC = FormatSpec(AUDIT_NAME, "Semrush Backlink Audit", AUDIT_SIGNATURE, audit_links)
