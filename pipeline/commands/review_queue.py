"""``linktox review-queue``: the scored links a reviewer should judge next, as a CSV to fill in.

The queue keeps every column of the scored rows (so reviewers see the vendor's data, the score
and the reasons) and adds ``decision`` and ``reviewer`` (empty) and ``scope`` (``link``; set it to
``domain`` to judge the whole referring domain). ``linktox labels import`` reads it back.
Which links are chosen is :func:`models.queue.select_review_queue`'s business.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import polars as pl
import typer
from rich.markup import escape
from rich.table import Table

from features.columns import REF_DOMAIN
from models.columns import REASON_SEPARATOR, REASONS, TOXICITY_SCORE
from models.explain import reason_pattern
from models.queue import select_review_queue as select
from pipeline.config import load_params, params_path
from pipeline.errors import InputError, atomic_path
from pipeline.formulas import guard_frame, unguard_frame
from pipeline.labels.schema import DECISION, REVIEWER, SCOPE, SCOPE_LINK
from pipeline.logs import console
from pipeline.options import ParamsOption, SeedOption
from pipeline.outputs.columns import PROBLEM, REPEAT_PREFIX

REQUIRED_COLUMNS: tuple[str, ...] = (TOXICITY_SCORE, REF_DOMAIN)
PER_DOMAIN = 3


def read_scored(path: Path) -> pl.DataFrame:
    """Read a file written by ``linktox score`` (CSV or Parquet) for queue selection.

    CSV cells are read as text, so the vendor's columns come back exactly as written, minus the
    formula guard. ``toxicity_score`` is parsed to Float64.

    Raises:
        InputError: Missing/empty/unreadable file, missing column, or a score that is not a
            number from 0 to 100 (the message names file, column and line).
    """
    path = Path(path)
    if not path.is_file():
        raise InputError(f"{path}: file not found")
    try:
        if path.suffix.lower() == ".parquet":
            scored = pl.read_parquet(path)
        else:
            scored = pl.read_csv(path, infer_schema=False)
    except pl.exceptions.NoDataError as exc:
        raise InputError(
            f"{path}: the file is empty; expected the output of `linktox score`"
        ) from exc
    except Exception as exc:  # polars raises several kinds for a malformed file
        raise InputError(f"{path}: cannot read the scored file ({exc})") from exc
    for name in REQUIRED_COLUMNS:
        if name not in scored.columns:
            raise InputError(
                f"{path}: missing column {name!r}; expected the output of `linktox score`"
            )
    if scored.is_empty():
        raise InputError(f"{path}: no rows; expected the output of `linktox score`")
    if path.suffix.lower() != ".parquet":  # only CSV text carries the formula guard
        scored = unguard_frame(scored)

    text = pl.col(TOXICITY_SCORE).cast(pl.String).str.strip_chars()
    number = text.cast(pl.Float64, strict=False)
    bad = (
        scored.with_row_index("__row")
        .filter(
            ((text.fill_null("") != "") & number.is_null())
            | ~number.is_between(0, 100)
            | number.is_nan()
        )
        .head(1)
    )
    if not bad.is_empty():
        row = int(bad["__row"][0])
        where = f"row {row + 1}" if path.suffix.lower() == ".parquet" else f"line {row + 2}"
        raise InputError(
            f"{path}: {where}: column {TOXICITY_SCORE!r}: {bad[TOXICITY_SCORE][0]!r} is not a "
            "score from 0 to 100"
        )
    return scored.with_columns(number.alias(TOXICITY_SCORE))


def _distinct_links(frame: pl.DataFrame) -> pl.DataFrame:
    """Rows a reviewer can judge: not unscored, and not a repeat of an earlier row (its first
    copy stands for it), so that one link is never queued twice."""
    if PROBLEM not in frame.columns:
        return frame
    problem = pl.col(PROBLEM).cast(pl.String).fill_null("")
    return frame.filter(~problem.str.starts_with(REPEAT_PREFIX))


def queue_frame(chosen: pl.DataFrame) -> pl.DataFrame:
    """The queue as reviewers get it: chosen rows plus the columns they fill in.

    Any ``decision``/``reviewer``/``scope`` columns already present (a re-queued queue) are reset:
    a queue asks for fresh decisions, and earlier ones live in the label store.
    """
    return chosen.drop(DECISION, REVIEWER, SCOPE, strict=False).with_columns(
        pl.lit("").alias(DECISION), pl.lit("").alias(REVIEWER), pl.lit(SCOPE_LINK).alias(SCOPE)
    )


def _summary(queue: pl.DataFrame, candidates: int, out: Path, seed: int) -> Table:
    table = Table(title="Review queue", show_header=False)
    table.add_column("what")
    table.add_column("value", justify="right")
    scores = queue[TOXICITY_SCORE]
    table.add_row("links to review", f"{queue.height} of {candidates} scored")
    table.add_row("referring domains", str(queue[REF_DOMAIN].n_unique()))
    if queue.height:
        low, high = (
            scores.cast(pl.Float64).to_numpy().min(),
            scores.cast(pl.Float64).to_numpy().max(),
        )
        table.add_row("score range", f"{low:.1f} – {high:.1f}")
    if REASONS in queue.columns:
        # Counted as the queue spreads them: numbers masked ("N outbound links on the page").
        first = pl.col(REASONS).str.split(REASON_SEPARATOR).list.first().str.strip_chars()
        top = (
            queue.select(reason_pattern(first.fill_null("")).alias("r"))
            .group_by("r")
            .len()
            .sort("len", "r", descending=[True, False])
        )
        table.add_row("first reasons (numbers masked)", str(top.height))
        for reason, count in top.head(5).iter_rows():
            table.add_row(f"  {escape(reason) or '(none)'}", str(count))
    table.add_row("seed", str(seed))
    table.add_row("written to", escape(str(out)))
    return table


def review_queue(
    scored: Annotated[
        Path, typer.Argument(help="Scored CSV or Parquet written by `linktox score`.")
    ],
    out: Annotated[
        Path,
        typer.Option(
            help="Queue CSV to write; reviewers fill 'decision' (toxic / not_toxic), 'reviewer' "
            "and optionally 'scope' (link / domain)."
        ),
    ],
    size: Annotated[int, typer.Option(help="How many links to queue.", min=1)] = 200,
    seed: SeedOption = None,
    params: ParamsOption = None,
) -> None:
    """Write the links whose review would teach the model most: uncertain, varied, deterministic."""
    # Read even when --seed is given, so that a wrong --params is an error, never ignored.
    cfg = load_params(params)
    if seed is None:
        seed = cfg.base.seed
    console().print(f"parameters: {escape(str(params_path(params).resolve()))}")
    if out.suffix.lower() != ".csv":
        raise InputError(f"{out}: the queue is a CSV for spreadsheets; give a name ending in .csv")
    frame = _distinct_links(read_scored(scored))
    candidates = frame.filter(pl.col(TOXICITY_SCORE).is_not_null()).height
    queue = queue_frame(select(frame, size, seed, per_domain=PER_DOMAIN))
    with atomic_path(out) as tmp:
        guard_frame(queue).write_csv(tmp)
    console().print(_summary(queue, candidates, out, seed))
