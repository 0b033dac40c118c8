"""The ``linktox`` console script: signal handling first, then the (heavy) command modules.

Handlers are installed before anything else is imported, so a Ctrl-C in the first seconds (while
polars, LightGBM and MLflow load) prints one line instead of a traceback; the command then runs
in a worker thread (:func:`pipeline.cleanup.run`) so that a signal stops it within a second.
A bare handler comes first, before even :mod:`pipeline.cleanup` is imported: nothing can have
been written yet, so it only says so and exits. (Python's own start-up, before this module runs,
is the only moment left where Ctrl-C shows Python's traceback: some 20 ms.)
"""

from __future__ import annotations

import os
import signal
import sys
from types import FrameType


def _while_starting(signum: int, frame: FrameType | None) -> None:
    """Ctrl-C or SIGTERM before :func:`pipeline.cleanup.install`: nothing was written yet."""
    del frame
    name = "Ctrl-C" if signum == signal.SIGINT else signal.Signals(signum).name
    try:
        sys.stderr.write(f"linktox: interrupted by {name} while starting; nothing written\n")
        sys.stderr.flush()
    finally:
        os._exit(128 + signum)


def main() -> None:
    """Console-script entry point."""
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, _while_starting)
    from pipeline import cleanup

    cleanup.install()
    from pipeline.cli import app

    cleanup.run(app)


if __name__ == "__main__":
    main()
