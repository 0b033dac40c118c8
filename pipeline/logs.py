"""Logging and consoles, configured once at the entry point (library code only uses ``logging``)."""

from __future__ import annotations

import functools
import logging

from rich.console import Console
from rich.logging import RichHandler


@functools.cache
def console() -> Console:
    """The console for tables and progress bars (stdout)."""
    return Console()


@functools.cache
def error_console() -> Console:
    """The console for one-line errors and logs (stderr)."""
    return Console(stderr=True)


def configure_logging(level: int = logging.INFO) -> None:
    """Send log records to stderr through rich; quiet the chattiest dependencies."""
    logging.basicConfig(
        level=level,
        format="%(message)s",
        datefmt="[%X]",
        handlers=[RichHandler(console=error_console(), show_path=False, rich_tracebacks=False)],
        force=True,
    )
    for noisy in ("alembic", "mlflow", "urllib3", "git", "numba", "matplotlib"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
