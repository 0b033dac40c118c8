"""Column names and label values the outputs read and write.

The scored frame carries the vendor's original columns plus the linktox columns below. Label
values and the reason separator come from ``models`` (light modules: no LightGBM is imported);
the score and label column names mirror ``models.score`` (a test guards against drift).
"""

from __future__ import annotations

from models.cutoffs import LABELS, REVIEW, TOXIC, WHITELIST
from models.explain import REASON_SEPARATOR

# linktox columns of the scored frame.
TOXICITY_SCORE = "toxicity_score"  # Float64, 0-100, one decimal
LABEL = "label"  # String: whitelist / review / toxic
REASONS = "reasons"  # String: reasons joined by REASON_SEPARATOR; "" for whitelist

PROBLEM = "problem"  # String: why a row has no score, or what was not understood; "" if clean
UNSCORED = "unscored"  # the label of a row that could not be scored (not a model label)
# How ``problem`` marks an exact repeat of an earlier row ("repeats line 2: ...").
REPEAT_NOTE = "repeats {} {}: counted once, scored as that row"
REPEAT_PREFIX = "repeats "

# Helper columns (may or may not be written to the scored table).
REF_DOMAIN = "ref_domain"  # registrable domain of the referring page
SOURCE_URL = "source_url"
ANCHOR_CLASS = "anchor_class"
ANCHOR = "anchor"  # shown in the report's link table when the frame carries it

__all__ = ["LABELS", "REASON_SEPARATOR", "REVIEW", "TOXIC", "WHITELIST"]  # re-exported

# Columns of the referring-domain rollup (one row per REF_DOMAIN).
LINKS = "links"
WORST_SCORE = "worst_score"
MEAN_SCORE = "mean_score"
TOXIC_LINKS = "toxic_links"
REVIEW_LINKS = "review_links"
WHITELIST_LINKS = "whitelist_links"
TOXIC_SHARE = "toxic_share"  # share of the domain's links labelled toxic, 0-1
DOMAIN_LABEL = "domain_label"
TOP_REASONS = "top_reasons"
PLATFORM = "platform"  # the hosting platform a site sits on ("weebly.com"), "" for none
DISAVOW = "disavow"  # what the disavow file lists for the site: "domain", "urls" or ""
DISAVOW_URLS = "disavow_urls"  # how many of its URLs the disavow file lists
PROTECTED = "protected"  # "own", "whitelisted", "spared" (covers a protected site) or ""
SOURCE_HOST = "source_host"  # host of the referring page (for the platform guard)

# Values of DISAVOW and PROTECTED.
BY_DOMAIN = "domain"
BY_URLS = "urls"
OWN = "own"
WHITELISTED = "whitelisted"
SPARED = "spared"

LABEL_COUNT_COLUMNS: dict[str, str] = {
    WHITELIST: WHITELIST_LINKS,
    REVIEW: REVIEW_LINKS,
    TOXIC: TOXIC_LINKS,
}

ROLLUP_COLUMNS: tuple[str, ...] = (
    REF_DOMAIN,
    PLATFORM,
    LINKS,
    WORST_SCORE,
    MEAN_SCORE,
    TOXIC_LINKS,
    REVIEW_LINKS,
    WHITELIST_LINKS,
    TOXIC_SHARE,
    DOMAIN_LABEL,
    DISAVOW,
    DISAVOW_URLS,
    PROTECTED,
    TOP_REASONS,
)
