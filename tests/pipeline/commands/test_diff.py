"""The `linktox diff` command: two vendor exports of one site, refusals, pre-scored input."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.world import generate_world
from pipeline.world.exports import write_ahrefs_tsv, write_canonical_csv, write_semrush_csv

runner = CliRunner()


@pytest.fixture(scope="module")
def exports(tmp_path_factory) -> tuple[Path, Path]:
    """One site twice: links first seen by 2024 (Semrush), links still alive in 2025 (Ahrefs)."""
    folder = tmp_path_factory.mktemp("diff")
    world = generate_world(600, 31, sites=["clean-saas"])
    old, new = folder / "old.csv", folder / "new.tsv"
    write_semrush_csv(world.filter(pl.col("first_seen") <= pl.date(2024, 12, 31)), old)
    write_ahrefs_tsv(world.filter(pl.col("last_seen") >= pl.date(2025, 1, 1)), new)
    return old, new


def _diff(*args: str):
    return runner.invoke(app, ["diff", *args])


def test_diff_of_two_vendor_exports(tiny_bundle, exports, tmp_path):
    old, new = exports
    out, domains, report = tmp_path / "links.parquet", tmp_path / "d.csv", tmp_path / "r.html"
    result = _diff(str(old), str(new), "--model", str(tiny_bundle), "--out", str(out),
                   "--domains", str(domains), "--report", str(report))  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "Toxicity shift" in result.output and "Negative-SEO check" in result.output
    links = pl.read_parquet(out)
    assert set(links.get_column("status")) == {"new", "lost", "kept"}
    kept = links.filter(pl.col("status") == "kept")
    assert kept.get_column("old_score").is_not_null().all()
    assert kept.get_column("new_score").is_not_null().all()
    assert pl.read_csv(domains).get_column("status").n_unique() == 3
    html = report.read_text(encoding="utf-8")
    assert "Changes since old.csv" in html and "Backlink audit: acmeanalytics.com" in html


def test_a_scored_table_diffs_like_its_export(tiny_bundle, exports, tmp_path):
    old, new = exports
    scored_old = tmp_path / "old_scored.csv"
    scoring = runner.invoke(app, ["score", str(old), "--out", str(scored_old),
                                  "--model", str(tiny_bundle)])  # fmt: skip
    assert scoring.exit_code == 0, scoring.output
    tables = []
    for first in (old, scored_old):
        out = tmp_path / f"{first.stem}.parquet"
        result = _diff(str(first), str(new), "--model", str(tiny_bundle), "--out", str(out))
        assert result.exit_code == 0, result.output
        tables.append(pl.read_parquet(out).drop("first_seen"))
    assert tables[0].equals(tables[1])


def test_exports_of_two_sites_are_refused_and_nothing_is_written(tiny_bundle, tmp_path):
    paths = []
    for site, seed in (("clean-saas", 1), ("local-plumber", 2)):
        path = tmp_path / f"{site}.csv"
        write_canonical_csv(generate_world(80, seed, sites=[site]), path)
        paths.append(path)
    out = tmp_path / "out.csv"
    result = _diff(*map(str, paths), "--model", str(tiny_bundle), "--out", str(out))
    assert result.exit_code != 0 and "Traceback" not in result.output
    assert "acmeanalytics.com" in result.output and "linktox gap" in result.output
    assert not out.exists()


def test_a_bad_output_name_is_refused_before_scoring(tmp_path):
    result = _diff("missing-old.csv", "missing-new.csv", "--out", str(tmp_path / "x.xlsx"))
    assert (
        result.exit_code != 0 and "x.xlsx" in result.output and ".csv or .parquet" in result.output
    )
    result = _diff("a.csv", "b.csv", "--report", str(tmp_path / "r.pdf"))
    assert result.exit_code != 0 and "r.pdf" in result.output
