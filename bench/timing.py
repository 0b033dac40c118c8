"""What the benchmarks share: run a command in its own process, report its wall time, CPU time
and peak memory; append a results table to ``bench/results/``.

Each command runs under a small wrapper process that starts it, waits, and reads its child's
resource usage, so the numbers are the command's own (interpreter start and imports included).
On a loaded machine wall time stretches while CPU time does not: both are reported, and every
goal is a ratio against a baseline measured in the same run.
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import subprocess
import sys
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
WORK = ROOT / "bench" / "tmp"

_WRAPPER = (
    "import resource, subprocess, sys, time, json\n"
    "t = time.perf_counter()\n"
    "p = subprocess.run(sys.argv[1:], capture_output=True, text=True)\n"
    "wall = time.perf_counter() - t\n"
    "u = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
    "sys.stderr.write(p.stderr)\n"
    "print(json.dumps({'wall': wall, 'cpu': u.ru_utime + u.ru_stime,\n"
    "                  'peak': u.ru_maxrss / 1024, 'rc': p.returncode}))\n"
)


@dataclass(frozen=True)
class Run:
    """One measured process: wall and CPU seconds, peak resident memory in MiB."""

    wall: float
    cpu: float
    peak: float


def measure(cmd: list[str], env: dict[str, str] | None = None, log: Path | None = None) -> Run:
    """Run ``cmd`` once; ``log`` receives its stderr. A failing command stops the benchmark."""
    proc = subprocess.run(
        [sys.executable, "-c", _WRAPPER, *cmd],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
    )
    if log is not None:
        log.write_text(proc.stderr, encoding="utf-8")
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    if out["rc"] != 0:
        raise SystemExit(f"{' '.join(cmd[:4])}... failed:\n{proc.stderr[-3000:]}")
    return Run(out["wall"], out["cpu"], out["peak"])


def median_of(
    cmd: list[str], repeat: int, env: dict[str, str] | None = None, log: Path | None = None
) -> Run:
    """Median wall and CPU time of ``repeat`` runs, and their largest peak memory."""
    runs = [measure(cmd, env, log) for _ in range(repeat)]
    return Run(
        statistics.median(r.wall for r in runs),
        statistics.median(r.cpu for r in runs),
        max(r.peak for r in runs),
    )


def interleaved(
    commands: list[tuple[list[str], dict[str, str] | None, Path | None]], repeat: int
) -> list[Run]:
    """:func:`median_of` for several commands run in turns (A, B, C, A, B, C, ...), so that a
    change of load on a shared machine weighs on every side alike; one Run per command."""
    runs: list[list[Run]] = [[] for _ in commands]
    for _ in range(repeat):
        for index, (cmd, env, log) in enumerate(commands):
            runs[index].append(measure(cmd, env, log))
    return [
        Run(
            statistics.median(r.wall for r in side),
            statistics.median(r.cpu for r in side),
            max(r.peak for r in side),
        )
        for side in runs
    ]


def compiled(source: Path | None = None) -> None:
    """Write the bytecode of a checkout's code before it is timed. Python writes it on an
    installed package's first import, so users' runs load it; where ``PYTHONDONTWRITEBYTECODE``
    is set (some CI and sandbox machines), every run would compile the project's modules from
    source again, about a tenth of a second that no user's second run pays."""
    root = source or ROOT
    folders = [
        str(root / name) for name in ("pipeline", "features", "models") if (root / name).is_dir()
    ]
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", *folders], check=True, capture_output=True
    )


def linktox(source: Path | None = None) -> tuple[list[str], dict[str, str]]:
    """The command that runs ``linktox`` from this checkout, or from ``source`` (another
    checkout of the code, say the commit before a change, run with this same environment), its
    bytecode written first (:func:`compiled`)."""
    # ``python -c`` puts the current folder first on sys.path: the source goes before it.
    first = f"sys.path.insert(0, {str(source)!r}); " if source else ""
    # The console script's entry point (older checkouts have only the CLI module).
    entry = "entry" if ((source or ROOT) / "pipeline" / "entry.py").is_file() else "cli"
    code = f"import sys; {first}sys.argv[0] = 'linktox'; from pipeline.{entry} import main; main()"
    compiled(source)
    return [sys.executable, "-c", code], {}


def machine() -> str:
    """When and where: the line under every results table."""
    load = os.getloadavg()[0]
    return (
        f"Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {platform.machine()}, "
        f"{os.cpu_count()} cores, Python {platform.python_version()}, "
        f"load average {load:.1f} at the start."
    )


def versus(this: Run, other: Run, label: str) -> list[str]:
    """Result lines comparing this checkout's run with another checkout's (``--source``)."""
    return [
        "",
        f"This checkout / {label}: wall {this.wall / other.wall:.2f}x, "
        f"CPU {this.cpu / other.cpu:.2f}x, peak memory {this.peak / other.peak:.2f}x.",
    ]


def append(results: Path, text: str) -> None:
    """Append a table to a results file and echo it."""
    results.parent.mkdir(parents=True, exist_ok=True)
    with results.open("a", encoding="utf-8") as handle:
        handle.write(text + "\n")
    sys.stdout.write(text)
