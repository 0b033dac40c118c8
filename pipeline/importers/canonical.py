"""The canonical link table as linktox writes it (CSV or Parquet), read back.

Columns carry exactly the canonical names; CSV booleans are true/false and dates ISO. Extra
columns (the truth of a synthetic world, a scored file's toxicity_score/label/reasons, a review
queue's decision/reviewer) are not links data and stay in the original table.
"""

from __future__ import annotations

from features import schema
from pipeline.importers.spec import Fields, FormatSpec, LinkMapping

NAME = "canonical"

SIGNATURE: tuple[str, ...] = tuple(schema.CANONICAL)


def links(fields: Fields, site: str | None) -> LinkMapping:
    """Map each canonical column found onto itself; only the two URLs are required."""
    del site  # the table names its target URLs
    mapping: dict = {name: fields.column(name) for name in schema.CANONICAL}
    for name in schema.REQUIRED:
        mapping[name] = fields.require(name, name)
    return mapping


SPEC = FormatSpec(NAME, "linktox canonical table", SIGNATURE, links)
