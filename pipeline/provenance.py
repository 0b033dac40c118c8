"""Provenance for MLflow: the git commit and the DVC-style content hashes of stage inputs."""

from __future__ import annotations

import hashlib
import subprocess
from pathlib import Path


def git_commit() -> str:
    """The current commit (with ``-dirty`` when the tree has changes), or ``unknown``."""
    try:
        sha = subprocess.run(
            ["git", "rev-parse", "HEAD"], capture_output=True, text=True, check=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return f"{sha}-dirty" if dirty else sha


def md5_file(path: Path) -> str:
    """MD5 of a file's bytes: the hash DVC records for a file output."""
    digest = hashlib.md5()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def md5_tree(path: Path) -> str:
    """A stable hash of a file or of every file under a directory (names and bytes)."""
    if path.is_file():
        return md5_file(path)
    digest = hashlib.md5()
    if path.is_dir():
        for child in sorted(
            p for p in path.rglob("*") if p.is_file() and not p.name.startswith(".")
        ):
            digest.update(str(child.relative_to(path)).encode())
            digest.update(md5_file(child).encode())
    return digest.hexdigest()
