"""Run every benchmark (``make bench``); each appends its table to ``bench/results/``.

The numbers are ratios against a baseline measured in the same run, since machines are noisy.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    for module, args in (
        ("bench.cli", []),
        ("bench.score_small", []),
        ("bench.peer", ["--links", "200000"]),
        ("bench.featurize", ["--links", "1000000"]),
        ("bench.score", ["--links", "1000000"]),
        # The bounded-memory check: the longest run. Its disavow file would be over Google's
        # 2 MB, which linktox refuses (a non-zero exit), so the step leaves it out.
        ("bench.score", ["--links", "10000000", "--pages-per-link", "50", "--no-disavow"]),
    ):
        subprocess.run([sys.executable, "-m", module, *args], check=True, cwd=ROOT)


if __name__ == "__main__":
    main()
