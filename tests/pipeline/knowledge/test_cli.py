"""``linktox knowledge build`` / ``evaluate`` through the root CLI."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.knowledge.sources import KnowledgeSources


def build_args(sources: KnowledgeSources, out: Path) -> list[str]:
    return [
        "knowledge",
        "build",
        "--ut1",
        str(sources.ut1),
        "--blocklist",
        str(sources.blocklist),
        "--matomo",
        str(sources.matomo),
        "--referrer-spam-blocker",
        str(sources.referrer_spam_blocker),
        "--majestic",
        str(sources.majestic),
        "--out",
        str(out),
        "--seed",
        "7",
        "--heldout-popular",
        "12",
    ]


def test_build_then_evaluate(sources: KnowledgeSources, tmp_path: Path) -> None:
    out = tmp_path / "knowledge"
    result = CliRunner().invoke(app, build_args(sources, out))
    assert result.exit_code == 0, result.output
    report = json.loads((out / "report.json").read_text())
    assert report["seed"] == 7
    assert report["heldout"]["legit"] >= 12
    evaluated = CliRunner().invoke(app, ["knowledge", "evaluate", "--dir", str(out)])
    assert evaluated.exit_code == 0, evaluated.output
    measured = json.loads(evaluated.stdout)
    assert measured["auc_name"] == report["heldout_evaluation"]["auc_name"]


def test_bad_source_is_a_one_line_error(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere"
    result = CliRunner().invoke(
        app, ["knowledge", "build", "--ut1", str(missing), "--out", str(tmp_path / "k")]
    )
    assert result.exit_code == 2
    assert "nowhere: not a directory" in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "k").exists()


def test_evaluate_without_tables_is_a_one_line_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["knowledge", "evaluate", "--dir", str(tmp_path)])
    assert result.exit_code == 2
    assert "domains.parquet: missing" in result.output
