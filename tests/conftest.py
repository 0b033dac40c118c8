"""Fixtures shared across test folders."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.bundles import train_tiny_bundle


@pytest.fixture(scope="session")
def tiny_bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A tiny bundle folder, trained once per test session."""
    return train_tiny_bundle(tmp_path_factory.mktemp("tiny-bundle") / "bundle")
