"""Names of the columns linktox adds to a scored table, and the reason separator.

Defined once here (a light module: no LightGBM, no MLflow) and imported by scoring, the review
queue, the outputs and the label store.
"""

from __future__ import annotations

TOXICITY_SCORE = "toxicity_score"  # Float64, 0-100, one decimal
LABEL = "label"  # String: whitelist / review / toxic
REASONS = "reasons"  # String: reasons joined by REASON_SEPARATOR; "" for whitelist
REASON_SEPARATOR = "; "
