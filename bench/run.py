"""Run every benchmark (``make bench``); each appends its table to ``bench/results/``.

The numbers are ratios against a baseline measured in the same run, since machines are noisy.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> None:
    for script, args in (
        ("featurize.py", ["--links", "1000000"]),
        ("score.py", ["--links", "1000000"]),
        # About 18 minutes on 2 cores: the bounded-memory check.
        ("score.py", ["--links", "10000000", "--pages-per-link", "50"]),
    ):
        subprocess.run([sys.executable, str(HERE / script), *args], check=True)


if __name__ == "__main__":
    main()
