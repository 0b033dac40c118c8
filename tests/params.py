"""Parameters files for tests: the repository's ``params.yaml`` with some values overridden.

``params.yaml`` is the one source of every setting, so a test never writes a partial file; it
states only what it changes.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from pipeline import paths


def _merge(base: dict[str, Any], overrides: Mapping[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in overrides.items():
        if isinstance(value, Mapping) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


def write_params(path: Path, overrides: Mapping[str, Any]) -> Path:
    """Write the repository's params with ``overrides`` merged in (nested keys), to ``path``."""
    base = yaml.safe_load(paths.at_root(paths.PARAMS).read_text(encoding="utf-8"))
    path.write_text(yaml.safe_dump(_merge(base, overrides), sort_keys=False), encoding="utf-8")
    return path
