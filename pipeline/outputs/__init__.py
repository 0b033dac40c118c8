"""Outputs of ``linktox score``: scored table, domain rollup, disavow file, summary, HTML report.

Every writer is atomic (all or nothing) and every function takes the frame plus the names of the
columns it needs (defaults in :mod:`pipeline.outputs.columns`).
"""

from __future__ import annotations

from pipeline.outputs.columns import (
    ANCHOR,
    ANCHOR_CLASS,
    DOMAIN_LABEL,
    LABEL,
    LABELS,
    REASON_SEPARATOR,
    REASONS,
    REF_DOMAIN,
    REVIEW,
    ROLLUP_COLUMNS,
    SOURCE_URL,
    TOXIC,
    TOXICITY_SCORE,
    WHITELIST,
)
from pipeline.outputs.disavow import (
    MAX_BYTES,
    MAX_LINES,
    MAX_URL_CHARS,
    DisavowEntries,
    build_disavow,
    check_disavow,
    normalise_entries,
    parse_disavow,
    write_disavow,
)
from pipeline.outputs.report import check_report_path, render_report, write_report
from pipeline.outputs.rollup import (
    DOMAIN_TOXIC_SHARE,
    domain_rollup,
    normalised_domain,
    sort_rollup,
    write_rollup,
)
from pipeline.outputs.summary import (
    SummaryStats,
    profile_level,
    render_summary,
    summary_stats,
    summary_tables,
)
from pipeline.outputs.table import (
    append_scored,
    guard_frame,
    table_format,
    write_scored,
    write_scored_batches,
)

__all__ = [
    "ANCHOR",
    "ANCHOR_CLASS",
    "DOMAIN_LABEL",
    "DOMAIN_TOXIC_SHARE",
    "LABEL",
    "LABELS",
    "MAX_BYTES",
    "MAX_LINES",
    "MAX_URL_CHARS",
    "REASONS",
    "REASON_SEPARATOR",
    "REF_DOMAIN",
    "REVIEW",
    "ROLLUP_COLUMNS",
    "SOURCE_URL",
    "TOXIC",
    "TOXICITY_SCORE",
    "WHITELIST",
    "DisavowEntries",
    "SummaryStats",
    "append_scored",
    "build_disavow",
    "check_disavow",
    "check_report_path",
    "domain_rollup",
    "guard_frame",
    "normalise_entries",
    "normalised_domain",
    "parse_disavow",
    "profile_level",
    "render_report",
    "render_summary",
    "sort_rollup",
    "summary_stats",
    "summary_tables",
    "table_format",
    "write_disavow",
    "write_report",
    "write_rollup",
    "write_scored",
    "write_scored_batches",
]
