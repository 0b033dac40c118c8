"""The ``linktox`` command: one typer app with sub-apps for stages, the world, labels and models.

Every command is registered through :func:`_command`, which turns a :class:`LinktoxError` into a
one-line message on stderr and a non-zero exit, never a traceback.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any

import typer

from pipeline.errors import LinktoxError
from pipeline.logs import configure_logging, error_console

app = typer.Typer(
    name="linktox",
    help="Score backlinks for toxicity, explain every flag, and write Google disavow files.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
pipeline_app = typer.Typer(help="DVC stages (dvc.yaml runs these).", no_args_is_help=True)
world_app = typer.Typer(help="The synthetic backlink world.", no_args_is_help=True)
labels_app = typer.Typer(help="The reviewed-label store.", no_args_is_help=True)
models_app = typer.Typer(
    help="Registered model versions: list, compare, promote.", no_args_is_help=True
)
app.add_typer(pipeline_app, name="pipeline")
app.add_typer(world_app, name="world")
app.add_typer(labels_app, name="labels")
app.add_typer(models_app, name="models")


@app.callback()
def _root(
    verbose: bool = typer.Option(False, "--verbose", "-v", help="Log debug messages."),
) -> None:
    configure_logging(logging.DEBUG if verbose else logging.INFO)


def friendly(func: Callable[..., Any]) -> Callable[..., Any]:
    """Wrap a command so that user errors print one line and exit non-zero."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except LinktoxError as exc:
            error_console().print(f"error: {exc}", markup=False, highlight=False, soft_wrap=True)
            raise typer.Exit(exc.exit_code) from None

    return wrapper


def _command(group: typer.Typer, name: str, func: Callable[..., Any]) -> None:
    group.command(name)(friendly(func))


def _register() -> None:
    # Imported here so that `linktox --help` stays quick and modules stay importable alone.
    from pipeline.commands import labels, models, review_queue, score, world
    from pipeline.stages import evaluate, featurize, generate, register, train

    _command(pipeline_app, "generate", generate.generate)
    _command(pipeline_app, "featurize", featurize.featurize)
    _command(pipeline_app, "train", train.train)
    _command(pipeline_app, "evaluate", evaluate.evaluate)
    _command(pipeline_app, "register", register.register)
    _command(world_app, "generate", world.generate)
    _command(app, "score", score.score)
    _command(app, "review-queue", review_queue.review_queue)
    _command(labels_app, "import", labels.import_labels)
    _command(labels_app, "stats", labels.stats)
    _command(models_app, "list", models.list_versions)
    _command(models_app, "compare", models.compare)
    _command(models_app, "promote", models.promote)
    _command(models_app, "unalias", models.unalias)


_register()


def main() -> None:
    """Console-script entry point."""
    app()
