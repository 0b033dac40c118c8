"""User-facing errors and safe writes: bad input never leaves a traceback or a partial file."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from models.errors import LinktoxError

__all__ = ["InputError", "LinktoxError", "atomic_path", "write_text_atomic"]


class InputError(LinktoxError):
    """The input file is missing, unreadable or not what linktox expects.

    The message must name the file and, where known, the row or column and what was expected.
    """


@contextlib.contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; rename it into place only if the block succeeds.

    A crash, a Ctrl-C or an error inside the block leaves ``path`` as it was (absent or old); a
    SIGINT/SIGTERM handled by :mod:`pipeline.cleanup` removes the staging file too.
    """
    from pipeline import cleanup

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    cleanup.register(tmp)
    try:
        yield tmp
        # mkstemp creates 0600 files; give the result the permissions a plain open() would.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        with cleanup.lock:  # an interruption sees the file either in place or not at all
            os.replace(tmp, path)
            cleanup.unregister(tmp)
            cleanup.written(path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        cleanup.unregister(tmp)


def write_text_atomic(path: Path, text: str) -> None:
    """Write UTF-8 text all at once or not at all."""
    with atomic_path(path) as tmp:
        tmp.write_text(text, encoding="utf-8")
