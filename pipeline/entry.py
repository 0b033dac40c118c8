"""The ``linktox`` console script: signal handling first, then the (heavy) command modules.

Handlers are installed before anything else is imported, so a Ctrl-C in the first seconds (while
polars, LightGBM and MLflow load) prints one line instead of a traceback; the command then runs
in a worker thread (:func:`pipeline.cleanup.run`) so that a signal stops it within a second.
A bare handler comes first, before even :mod:`pipeline.cleanup` is imported: nothing can have
been written yet, so it only says so and exits. (Python's own start-up, before this module runs,
is the only moment left where Ctrl-C shows Python's traceback: some 20 ms.)

A command that succeeds ends the process at once, once its output is flushed
(:func:`_exit_now`): its files are written and renamed into place, its temporary folders
removed, so all that Python's own shutdown would add is freeing every object of polars, numpy
and LightGBM, a quarter of a second of a small export's two. A failing command exits the usual
way.
"""

from __future__ import annotations

import contextlib
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

    try:
        cleanup.run(app)
    except SystemExit as exc:
        if exc.code not in (None, 0):
            raise
    _exit_now()


def _exit_now() -> None:
    """Flush what the command printed and logged, then end the process with status 0 without
    Python's shutdown (see the module docstring)."""
    import logging

    logging.shutdown()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a closed pipe: nothing more to show
            stream.flush()
    os._exit(0)


if __name__ == "__main__":
    main()
