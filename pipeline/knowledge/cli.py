"""``linktox knowledge build`` and ``linktox knowledge evaluate``: a typer sub-app."""

from __future__ import annotations

import functools
import json
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer

from pipeline.errors import LinktoxError
from pipeline.knowledge.build import HELDOUT_POPULAR, build_knowledge
from pipeline.knowledge.evaluate import evaluate_heldout
from pipeline.knowledge.load import DEFAULT_DIR, load_heldout, load_knowledge
from pipeline.knowledge.sources import KnowledgeSources
from pipeline.logs import console, error_console

logger = logging.getLogger(__name__)

app = typer.Typer(
    help="Open domain knowledge: public category lists, popularity, the domain-name model.",
    no_args_is_help=True,
)


def _friendly(func: Callable[..., Any]) -> Callable[..., Any]:
    """One-line errors, as pipeline.cli does (not imported from there: it imports this app)."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except LinktoxError as exc:
            error_console().print(f"error: {exc}", markup=False, highlight=False, soft_wrap=True)
            raise typer.Exit(exc.exit_code) from None

    return wrapper


def build(
    ut1: Annotated[
        Path | None, typer.Option("--ut1", help="Checkout of olbat/ut1-blacklists.")
    ] = None,
    blocklist: Annotated[
        Path | None, typer.Option("--blocklist", help="Checkout of blocklistproject/Lists.")
    ] = None,
    matomo: Annotated[
        Path | None, typer.Option("--matomo", help="Checkout of matomo-org/referrer-spam-list.")
    ] = None,
    referrer_spam_blocker: Annotated[
        Path | None,
        typer.Option(
            "--referrer-spam-blocker", help="Checkout of Stevie-Ray/referrer-spam-blocker."
        ),
    ] = None,
    majestic: Annotated[
        Path | None, typer.Option("--majestic", help="Majestic Million CSV (top rows).")
    ] = None,
    out: Annotated[Path, typer.Option(help="Directory for the tables.")] = DEFAULT_DIR,
    seed: Annotated[
        int, typer.Option(help="Seed of the popular hold-out draw and the model.")
    ] = 42,
    heldout_popular: Annotated[
        int, typer.Option(min=0, help="How many popular domains to draw for the held-out set.")
    ] = HELDOUT_POPULAR,
) -> None:
    """Build domains, popularity, held-out and name-model tables from local copies."""
    sources = KnowledgeSources(
        ut1=ut1,
        blocklist=blocklist,
        matomo=matomo,
        referrer_spam_blocker=referrer_spam_blocker,
        majestic=majestic,
    )
    result = build_knowledge(sources, out, seed, heldout_popular=heldout_popular)
    logger.info("wrote %s", result.out_dir)


def evaluate(
    directory: Annotated[
        Path, typer.Option("--dir", file_okay=False, help="Knowledge directory.")
    ] = DEFAULT_DIR,
) -> None:
    """ROC-AUC of the name score (and name + lookups) on the held-out domains."""
    result = evaluate_heldout(load_knowledge(directory), load_heldout(directory))
    console().print_json(json.dumps(result, sort_keys=True))


app.command("build")(_friendly(build))
app.command("evaluate")(_friendly(evaluate))
