"""The ``linktox`` console script: signal handling first, then the (heavy) command modules.

Handlers are installed before anything else is imported, so a Ctrl-C in the first seconds (while
polars, LightGBM and MLflow load) prints one line instead of a traceback; the command then runs
in a worker thread (:func:`pipeline.cleanup.run`) so that a signal stops it within a second.
"""

from __future__ import annotations


def main() -> None:
    """Console-script entry point."""
    from pipeline import cleanup

    cleanup.install()
    from pipeline.cli import app

    cleanup.run(app)


if __name__ == "__main__":
    main()
