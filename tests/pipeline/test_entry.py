"""pipeline.entry: a command that succeeds ends the process without Python's shutdown, and
nothing it printed or logged is lost; one that fails exits the usual way."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def _linktox(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pipeline.entry", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=120,
    )


def test_help_to_a_pipe_is_whole_after_the_quick_exit():
    # stdout to a pipe is block-buffered: what the command printed must all be there.
    proc = _linktox("--help")
    assert proc.returncode == 0
    assert "Usage:" in proc.stdout
    for command in ("score", "review-queue", "models", "pipeline"):
        assert command in proc.stdout


def test_a_failing_command_exits_non_zero_with_its_one_line_error(tmp_path):
    proc = _linktox("score", str(tmp_path / "missing.csv"), "--out", str(tmp_path / "o.csv"))
    assert proc.returncode != 0
    assert "missing.csv" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert not (tmp_path / "o.csv").exists()
