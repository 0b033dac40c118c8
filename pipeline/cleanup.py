"""Ctrl-C and SIGTERM: stop within a second, remove temporary files, say what was not written.

Scoring spends most of its time inside polars and LightGBM, native code that does not return to
the interpreter for seconds at a time, so a Python signal handler in the thread doing the work
would only run when a batch is done (about 20 s on a large export). :func:`run` therefore runs
the command in a worker thread while the main thread waits; the handlers installed by
:func:`install` run in the main thread at once: they remove every registered temporary path
(the spill folder of :mod:`pipeline.stream`, the staging files of
:func:`pipeline.errors.atomic_path`), print one line naming the outputs not written, and end
the process with ``128 + signal number`` (130 for Ctrl-C, 143 for SIGTERM), without waiting for
the worker. Renames into place hold :data:`lock`, so an output is either in place and reported
written, or absent and reported not written, never half.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import sys
import threading
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from types import FrameType
from typing import Any

lock = threading.RLock()
_temporary: dict[Path, None] = {}  # insertion-ordered set
_planned: dict[Path, None] = {}
_written: dict[Path, None] = {}
# How long a handler waits for a rename in progress before cleaning up anyway.
_LOCK_WAIT_S = 2.0
_POLL_S = 0.1


def register(path: Path) -> None:
    """Remove ``path`` (file or folder) if the command is interrupted."""
    with lock:
        _temporary[Path(path)] = None


def unregister(path: Path) -> None:
    """``path`` is gone or has been renamed into place: nothing to remove any more."""
    with lock:
        _temporary.pop(Path(path), None)


def plan(paths: Iterable[Path | None]) -> None:
    """The outputs this command will write (for the interruption message)."""
    with lock:
        for path in paths:
            if path is not None:
                _planned[Path(path)] = None


def written(path: Path) -> None:
    """``path`` is in place (called under :data:`lock` by the atomic rename)."""
    with lock:
        _written[Path(path)] = None


def written_paths() -> list[Path]:
    """Outputs in place so far, in the order they were written."""
    with lock:
        return list(_written)


def reset() -> None:
    """Forget everything (a new command in the same process, e.g. tests)."""
    with lock:
        _temporary.clear()
        _planned.clear()
        _written.clear()


def remove_temporary() -> list[Path]:
    """Remove every registered temporary path now; return those removed."""
    removed = []
    for path in list(_temporary):
        with contextlib.suppress(OSError):
            if path.is_dir():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)
            removed.append(path)
        _temporary.pop(path, None)
    return removed


def interruption_message(signum: int) -> str:
    """One line: which signal, what was written and what was not, temporary files removed."""
    name = "Ctrl-C" if signum == signal.SIGINT else signal.Signals(signum).name
    missing = [path for path in _planned if path not in _written]
    done = [path for path in _planned if path in _written]
    if missing:
        parts = [f"not written: {', '.join(str(path) for path in missing)}"]
        if done:
            parts.append(f"written: {', '.join(str(path) for path in done)}")
        what = "; ".join(parts)
    else:
        what = "nothing left half-written"
    return f"linktox: interrupted by {name}; {what}; temporary files removed"


def _handler(signum: int, frame: FrameType | None) -> None:
    del frame
    acquired = lock.acquire(timeout=_LOCK_WAIT_S)  # let a rename in progress finish
    try:
        remove_temporary()
        message = interruption_message(signum)
    finally:
        if acquired:
            lock.release()
    with contextlib.suppress(OSError, ValueError):
        sys.stderr.write(message + "\n")
        sys.stderr.flush()
    os._exit(128 + signum)


def install() -> None:
    """Handle SIGINT and SIGTERM as described above (main thread only)."""
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, _handler)


def run(command: Callable[[], Any]) -> None:
    """Run ``command`` (a typer app) in a worker thread, so that signals are handled at once;
    exit with its exit code."""
    outcome: dict[str, Any] = {"code": 0}

    def work() -> None:
        try:
            command()
        except SystemExit as exc:  # click exits through SystemExit in standalone mode
            outcome["code"] = exc.code
        except BaseException as exc:  # re-raised in the main thread, traceback intact
            outcome["error"] = exc

    worker = threading.Thread(target=work, name="linktox-command", daemon=True)
    worker.start()
    while worker.is_alive():
        worker.join(_POLL_S)
    # The command is over and its outputs are in place or removed. Python's shutdown resets a
    # Python-level handler to the default action, so a Ctrl-C in those last milliseconds would
    # kill the process by signal (exit -2, no message); an ignored signal stays ignored.
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, signal.SIG_IGN)
    if "error" in outcome:
        raise outcome["error"]
    sys.exit(outcome["code"])


@contextlib.contextmanager
def temporary(path: Path) -> Iterator[Path]:
    """Register ``path`` for removal on interruption while the block runs."""
    register(path)
    try:
        yield path
    finally:
        unregister(path)
