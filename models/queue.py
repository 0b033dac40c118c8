"""The review-queue policy: which scored links a reviewer should look at first.

A reviewer's time is the scarcest input of the label loop, so the queue asks for the decisions
that teach the model most (active learning by uncertainty sampling) while keeping the sample
varied enough to be worth training on:

1. **Uncertain first.** The calibrated score is a probability times 100, so the model is least
   sure where ``toxicity_score`` is 50 (probability 0.5), which is also the middle of the default
   review band. Candidates are ordered by ``|toxicity_score - 50|``, smallest first.
2. **Spread over referring domains.** Links of one domain tend to share one verdict; at most
   ``per_domain`` links per ``ref_domain`` are taken (the most uncertain ones of that domain).
3. **Spread over reasons.** The queue is filled round-robin over the first listed reason (the
   strongest push towards toxic) as users count reasons, with its numbers masked
   (:func:`models.explain.reason_pattern`: "1,037 outbound links on the page" and "1,066
   outbound links on the page" are one reason), so one reason cannot fill the queue; within a
   round the most uncertain links come first. Links without a reason (whitelisted ones) form
   one group.
4. **Deterministic.** Ties are broken by a seeded hash of the row's content, then by row
   position, so one seed always yields the same queue (for one polars version: polars does not
   promise hash values across versions) and different seeds reshuffle ties.

Pure polars, no I/O.
"""

from __future__ import annotations

import polars as pl

from features.columns import REF_DOMAIN
from models.columns import REASON_SEPARATOR, REASONS, TOXICITY_SCORE
from models.explain import reason_pattern

# The decision boundary: calibrated probability 0.5 on the 0-100 score scale.
BOUNDARY = 50.0

# Helper columns; the prefix keeps them clear of any vendor column name.
_ROW = "__queue_row"
_DISTANCE = "__queue_distance"
_TIE = "__queue_tie"
_REASON = "__queue_reason"
_DOMAIN_RANK = "__queue_domain_rank"
_ROUND = "__queue_round"

_U64_MASK = (1 << 64) - 1


def select_review_queue(
    scored: pl.DataFrame, size: int, seed: int, *, per_domain: int = 3
) -> pl.DataFrame:
    """Pick up to ``size`` scored links whose review would teach the model most.

    Args:
        scored: Scored links with at least ``toxicity_score`` (numeric, 0-100) and ``ref_domain``;
            ``reasons`` (``"; "``-joined) is used when present. Rows without a score are skipped.
        size: Maximum number of links in the queue.
        seed: Seed of the tie-breaking hash.
        per_domain: Maximum number of links per referring domain.

    Returns:
        The chosen rows with the input's columns, in priority order (review the first first).

    Raises:
        ValueError: On a negative ``size``, ``per_domain`` below 1 or a missing required column.
    """
    if size < 0:
        raise ValueError(f"size must be >= 0, got {size}")
    if per_domain < 1:
        raise ValueError(f"per_domain must be >= 1, got {per_domain}")
    missing = [name for name in (TOXICITY_SCORE, REF_DOMAIN) if name not in scored.columns]
    if missing:
        raise ValueError(f"scored frame lacks column(s): {', '.join(missing)}")

    columns = scored.columns
    score = pl.col(TOXICITY_SCORE).cast(pl.Float64)
    if REASONS in columns:
        first_reason = (
            pl.col(REASONS)
            .cast(pl.String)
            .str.split(REASON_SEPARATOR)
            .list.first()
            .str.strip_chars()
            .fill_null("")
        )
        first_reason = reason_pattern(first_reason)
    else:
        first_reason = pl.lit("")

    chosen = (
        scored.lazy()
        .with_row_index(_ROW)
        .with_columns(
            (score - BOUNDARY).abs().alias(_DISTANCE),
            # Content hash, not row position: the same links tie-break the same way in any file.
            pl.struct(columns).hash(seed=seed & _U64_MASK).alias(_TIE),
            first_reason.alias(_REASON),
        )
        .filter(pl.col(_DISTANCE).is_not_null() & pl.col(_DISTANCE).is_not_nan())
        .sort(_DISTANCE, _TIE, _ROW)
        # Position within the domain in priority order; keep the domain's most uncertain links.
        .with_columns(pl.int_range(pl.len()).over(REF_DOMAIN).alias(_DOMAIN_RANK))
        .filter(pl.col(_DOMAIN_RANK) < per_domain)
        # Round number within the reason group: round 0 holds each reason's best link, and so on.
        .with_columns(pl.int_range(pl.len()).over(_REASON).alias(_ROUND))
        .sort(_ROUND, _DISTANCE, _TIE, _ROW)
        .head(size)
        .select(columns)
    )
    return chosen.collect()
