"""The ``linktox`` command: one typer app with sub-apps for stages, the world, labels and models.

Every command is registered through :func:`_lazy`, which names the command, gives its one-line help
and a loader that imports the command's module. Nothing is imported until the command runs (or
its own ``--help`` is asked for): ``linktox --help`` lists the commands from their one-line helps
alone, and ``linktox labels stats`` never imports MLflow or LightGBM. (Importing every command, as
this file once did, cost four seconds before any command started.) Each loaded command is wrapped
by :func:`friendly`, which turns a :class:`LinktoxError` into a one-line message on stderr and a
non-zero exit, never a traceback.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import sys
from collections.abc import Callable, Iterator
from typing import Any

import typer
from typer.core import TyperCommand, TyperGroup

from pipeline.errors import LinktoxError

Loader = Callable[[], Callable[..., Any]]


class LazyCommand(TyperCommand):
    """A command known by name and one-line help until it runs; then its module is imported and
    the real typer command takes over (:meth:`LazyGroup.resolve_command`)."""

    def __init__(self, name: str, help: str, loader: Loader) -> None:
        super().__init__(name, help=help, short_help=help)
        self.loader = loader
        self._loaded: TyperCommand | None = None

    def load(self) -> TyperCommand:
        """The real command, built once by typer from the loaded function's signature."""
        if self._loaded is None:
            single = typer.Typer(add_completion=False, pretty_exceptions_enable=False)
            single.command(self.name)(friendly(self.loader()))
            loaded = typer.main.get_command(single)
            assert isinstance(loaded, TyperCommand)
            self._loaded = loaded
        return self._loaded

    def invoke(self, ctx: Any) -> Any:  # pragma: no cover - resolve_command loads first
        return self.load().invoke(ctx)


class LazyGroup(TyperGroup):
    """A typer group whose commands are :class:`LazyCommand` until one is resolved to run."""

    lazy: tuple[LazyCommand, ...] = ()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Commands first, then sub-groups, as typer orders eagerly registered ones.
        self.commands = {**{cmd.name: cmd for cmd in self.lazy if cmd.name}, **self.commands}

    def resolve_command(self, ctx: Any, args: list[str]) -> tuple[str | None, Any, list[str]]:
        name, cmd, rest = super().resolve_command(ctx, args)
        if isinstance(cmd, LazyCommand):
            cmd = cmd.load()
        return name, cmd, rest


def _group(**kwargs: Any) -> typer.Typer:
    """A typer app whose click group holds its own list of lazy commands."""
    cls = type("LazyGroup", (LazyGroup,), {"lazy": ()})
    return typer.Typer(cls=cls, no_args_is_help=True, **kwargs)


app = _group(
    name="linktox",
    help="Score backlinks for toxicity, explain every flag, and write Google disavow files.",
    pretty_exceptions_enable=False,
    add_completion=False,
)
pipeline_app = _group(help="DVC stages (dvc.yaml runs these).")
world_app = _group(help="The synthetic backlink world.")
labels_app = _group(help="The reviewed-label store.")
models_app = _group(help="Registered model versions: list, compare, promote.")
knowledge_app = _group(
    help="Open domain knowledge: public category lists, popularity, the domain-name model."
)
app.add_typer(pipeline_app, name="pipeline")
app.add_typer(world_app, name="world")
app.add_typer(labels_app, name="labels")
spark_app = _group(help="Score on Apache Spark (needs the extra: pip install 'linktox\\[spark]').")
app.add_typer(models_app, name="models")
app.add_typer(knowledge_app, name="knowledge")
app.add_typer(spark_app, name="spark")


@app.callback()
def _root(
    verbose: bool = typer.Option(False, "--verbose", "-v", help="Log debug messages."),
) -> None:
    from pipeline.logs import configure_logging

    configure_logging(logging.DEBUG if verbose else logging.INFO)


def friendly(func: Callable[..., Any]) -> Callable[..., Any]:
    """Wrap a command so that user errors print one line and exit non-zero."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except LinktoxError as exc:
            from pipeline.logs import error_console

            error_console().print(f"error: {exc}", markup=False, highlight=False, soft_wrap=True)
            raise typer.Exit(exc.exit_code) from None

    return wrapper


def _lazy(
    group: typer.Typer, name: str, help: str, *, hide_pyspark: bool = True
) -> Callable[[Loader], Loader]:
    """Register the decorated loader as command ``name`` of ``group``; ``help`` is the first
    paragraph of the command's docstring (tests/pipeline/test_cli.py checks they agree)."""

    def register(loader: Loader) -> Loader:
        cls = group.info.cls
        assert isinstance(cls, type) and issubclass(cls, LazyGroup)
        if hide_pyspark:
            # mlflow imports pyspark whenever it is installed; only `spark` commands need it.
            def hidden() -> Callable[..., Any]:
                with _hidden("pyspark"):
                    return loader()

            cls.lazy = (*cls.lazy, LazyCommand(name, help, hidden))
        else:
            cls.lazy = (*cls.lazy, LazyCommand(name, help, loader))
        return loader

    return register


@contextlib.contextmanager
def _hidden(module: str) -> Iterator[None]:
    """Make ``import module`` fail inside the block, unless it is imported already.

    mlflow imports pyspark whenever it is installed (90 modules, for Spark flavours linktox does
    not use); with the spark extra installed, every command would pay for it. Hidden while the
    commands are imported, pyspark is imported only by `linktox spark`, when it runs.
    """
    if module in sys.modules:
        yield
        return
    sys.modules[module] = None  # type: ignore[assignment]
    try:
        yield
    finally:
        if sys.modules.get(module, 0) is None:
            del sys.modules[module]


@_lazy(app, "score", "Score every link of an export: toxicity 0–100, label and reasons.")
def _score() -> Callable[..., Any]:
    from pipeline.commands.score import score

    return score


@_lazy(
    app,
    "convert",
    "Convert a vendor export to the canonical link table (Parquet), every row checked.",
)
def _convert() -> Callable[..., Any]:
    from pipeline.commands.convert import convert

    return convert


@_lazy(
    spark_app,
    "score",
    "Score canonical links on Apache Spark: the same scores, labels and reasons as `score`.",
    hide_pyspark=False,
)
def _spark_score() -> Callable[..., Any]:
    from pipeline.commands.spark import score

    return score


@_lazy(
    app,
    "diff",
    "New, lost and kept links and referring domains; the toxicity shift; a negative-SEO alert.",
)
def _diff() -> Callable[..., Any]:
    from pipeline.commands.diff import diff

    return diff


@_lazy(
    app,
    "gap",
    "Referring domains that link to your competitors and not to you, toxic and review ones "
    "left out.",
)
def _gap() -> Callable[..., Any]:
    from pipeline.commands.gap import gap

    return gap


@_lazy(
    app,
    "review-queue",
    "Write the links whose review would teach the model most: uncertain, varied, deterministic.",
)
def _review_queue() -> Callable[..., Any]:
    from pipeline.commands.review_queue import review_queue

    return review_queue


@_lazy(
    pipeline_app,
    "generate",
    "Generate the labeled world, a held-out world and an unlabeled sample export.",
)
def _generate() -> Callable[..., Any]:
    from pipeline.stages.generate import generate

    return generate


@_lazy(pipeline_app, "featurize", "Featurize the world, the held-out world and the reviewed links.")
def _featurize() -> Callable[..., Any]:
    from pipeline.stages.featurize import featurize

    return featurize


@_lazy(
    pipeline_app,
    "train",
    "Train, calibrate and pick cut-offs; write the bundle and what the register stage logs.",
)
def _train() -> Callable[..., Any]:
    from pipeline.stages.train import train

    return train


@_lazy(
    pipeline_app,
    "evaluate",
    "Measure the bundle on every held-out set; write metrics.json, plots and tables.",
)
def _evaluate() -> Callable[..., Any]:
    from pipeline.stages.evaluate import evaluate

    return evaluate


@_lazy(
    pipeline_app,
    "register",
    "Register the bundle (once) and attach its evaluation to its MLflow run (once).",
)
def _register_stage() -> Callable[..., Any]:
    from pipeline.stages.register import register

    return register


@_lazy(
    world_app,
    "generate",
    "Generate a labelled world, a held-out world and a sample export (canonical, Semrush, "
    "Ahrefs), with any size or seed overridden.",
)
def _world_generate() -> Callable[..., Any]:
    from pipeline.commands.world import generate

    return generate


@_lazy(
    labels_app,
    "import",
    "Add reviewed decisions to the label store; importing the same file twice changes nothing.",
)
def _labels_import() -> Callable[..., Any]:
    from pipeline.commands.labels import import_labels

    return import_labels


@_lazy(
    labels_app,
    "stats",
    "Show what the label store holds: labels, reviewers, source files, conflicts.",
)
def _labels_stats() -> Callable[..., Any]:
    from pipeline.commands.labels import stats

    return stats


@_lazy(
    models_app,
    "list",
    "List registered versions: aliases, the set each is judged on and its held-out metrics.",
)
def _models_list() -> Callable[..., Any]:
    from pipeline.commands.models import list_versions

    return list_versions


@_lazy(
    models_app,
    "compare",
    "Evaluate versions on held-out rows none of them trained on, and give a verdict.",
)
def _models_compare() -> Callable[..., Any]:
    from pipeline.commands.models import compare

    return compare


@_lazy(
    models_app,
    "promote",
    "Move @champion to a version, refusing one worse than the champion unless --force.",
)
def _models_promote() -> Callable[..., Any]:
    from pipeline.commands.models import promote

    return promote


@_lazy(models_app, "unalias", "Delete an alias (any name, so that a mistyped one can go).")
def _models_unalias() -> Callable[..., Any]:
    from pipeline.commands.models import unalias

    return unalias


@_lazy(
    knowledge_app,
    "build",
    "Build domains, popularity, held-out and name-model tables from local copies.",
)
def _knowledge_build() -> Callable[..., Any]:
    from pipeline.knowledge.cli import build

    return build


@_lazy(
    knowledge_app,
    "evaluate",
    "ROC-AUC of the name score (and name + lookups) on the held-out domains.",
)
def _knowledge_evaluate() -> Callable[..., Any]:
    from pipeline.knowledge.cli import evaluate

    return evaluate


def main() -> None:
    """Console-script entry point (see :mod:`pipeline.entry`, which handles signals first)."""
    app()
