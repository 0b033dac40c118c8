"""`linktox score --report`: the report names the audited site, not the --own-domain entries."""

from __future__ import annotations

import re

from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.world import generate_world
from pipeline.world.exports import write_semrush_csv


def test_the_report_title_names_the_target_domains(tiny_bundle, tmp_path):
    export, report = tmp_path / "export.csv", tmp_path / "report.html"
    write_semrush_csv(generate_world(200, 8, sites=["local-plumber"]), export)
    result = CliRunner().invoke(app, [
        "score", str(export), "--out", str(tmp_path / "s.csv"), "--model", str(tiny_bundle),
        "--report", str(report), "--own-domain", "old-brand.example",
    ])  # fmt: skip
    assert result.exit_code == 0, result.output
    title = re.search(r"<title>(.*?)</title>", report.read_text(encoding="utf-8")).group(1)
    assert title == "Backlink audit: hartleyplumbing.co.uk"
