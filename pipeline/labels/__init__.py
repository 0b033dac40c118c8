"""The append-only reviewed-label store, split by job.

- :mod:`~pipeline.labels.schema`: columns, decision values and aliases;
- :mod:`~pipeline.labels.store`: immutable segments, content hashing, imports;
- :mod:`~pipeline.labels.reviewed_file`: reading a reviewed file into decisions;
- :mod:`~pipeline.labels.resolve`: one label per link, conflicts between reviewers.
"""

from pipeline.labels.resolve import (
    apply_labels,
    conflicts,
    domain_decisions,
    find_conflicts,
    latest_domain_decisions,
    resolve_decisions,
    resolve_labels,
)
from pipeline.labels.reviewed_file import ReviewedFile, load_reviewed_file
from pipeline.labels.schema import SEGMENT_SCHEMA
from pipeline.labels.store import ImportOutcome, import_file, read_decisions, segment_paths

__all__ = [
    "SEGMENT_SCHEMA",
    "ImportOutcome",
    "ReviewedFile",
    "apply_labels",
    "conflicts",
    "domain_decisions",
    "find_conflicts",
    "import_file",
    "latest_domain_decisions",
    "load_reviewed_file",
    "read_decisions",
    "resolve_decisions",
    "resolve_labels",
    "segment_paths",
]
