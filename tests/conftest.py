"""Fixtures shared across test folders."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.bundles import train_tiny_bundle


@pytest.fixture(scope="session")
def tiny_bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A tiny bundle folder, trained once per test session."""
    return train_tiny_bundle(tmp_path_factory.mktemp("tiny-bundle") / "bundle")


@pytest.fixture(autouse=True)
def _linktox_log_levels() -> Iterator[None]:
    """A benchmark's ``main`` quiets linktox's loggers for its own output
    (``bench.real.linktox_adapter.quiet``); a test that runs one must not silence the log lines
    that later tests read in a command's output."""
    loggers = [logging.getLogger(name) for name in ("pipeline", "features", "models")]
    levels = [logger.level for logger in loggers]
    yield
    for logger, level in zip(loggers, levels, strict=True):
        logger.setLevel(level)
