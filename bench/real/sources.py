"""Provenance of the local copies of the real data: which repository, which commit, which bytes.

The real data never enters this repository; the results name where it came from instead, so that
anyone can fetch the same commits and rerun. A local copy is a git work tree of the public
repository (``/work/real/<owner>__<name>``), so its commit is read from git.
"""

from __future__ import annotations

import hashlib
import subprocess
from pathlib import Path


def _git(folder: Path, *args: str) -> str | None:
    try:
        done = subprocess.run(
            ["git", "-C", str(folder), *args], capture_output=True, text=True, check=True
        )
    except (OSError, subprocess.CalledProcessError):
        return None
    return done.stdout.strip() or None


def md5(path: Path) -> str:
    """MD5 of a file's bytes."""
    digest = hashlib.md5()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def describe(path: Path) -> dict[str, str | None]:
    """Repository folder, commit, path inside it, and MD5 (files only) of a local input."""
    path = Path(path).resolve()
    folder = path if path.is_dir() else path.parent
    top = _git(folder, "rev-parse", "--show-toplevel")
    commit = _git(folder, "rev-parse", "HEAD") if top else None
    inside = str(path.relative_to(top)) if top else str(path)
    return {
        "repository": Path(top).name if top else None,
        "commit": commit,
        "path": inside,
        "md5": md5(path) if path.is_file() else None,
    }


def list_name(path: Path) -> str:
    """A short name for a list file: its repository folder (``owner__name``), else its stem."""
    info = describe(path)
    return info["repository"] or Path(path).stem


def display_path(path: Path) -> str:
    """A path relative to the linktox checkout when inside it (no machine-specific prefix)."""
    root = Path(__file__).resolve().parents[2]
    resolved = Path(path).resolve()
    return str(resolved.relative_to(root)) if resolved.is_relative_to(root) else str(path)
