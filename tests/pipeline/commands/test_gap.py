"""The `linktox gap` command: a run with its outputs, and its refusals."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.world import generate_world
from pipeline.world.exports import write_canonical_csv, write_semrush_csv

runner = CliRunner()


@pytest.fixture(scope="module")
def sites(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("gap")
    paths = {}
    for site, seed in (("clean-saas", 41), ("local-plumber", 42), ("trail-charity", 43)):
        paths[site] = folder / f"{site}.csv"
        write_semrush_csv(generate_world(300, seed, sites=[site]), paths[site])
    return paths


def _gap(*args: str):
    return runner.invoke(app, ["gap", *args])


def test_gap_writes_prospects_and_the_overlap_matrix(tiny_bundle, sites, tmp_path):
    out, overlap = tmp_path / "prospects.csv", tmp_path / "overlap.parquet"
    mine, *theirs = sites.values()
    result = _gap(str(mine), *map(str, theirs), "--model", str(tiny_bundle), "--out", str(out),
                  "--overlap", str(overlap))  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "Best prospects" in result.output and "Shared referring domains" in result.output
    prospects = pl.read_csv(out)
    assert prospects.height > 0 and (prospects.get_column("domain_label") != "toxic").all()
    scores = prospects.get_column("prospect_score").to_list()
    assert scores == sorted(scores, reverse=True)
    matrix = pl.read_parquet(overlap)
    assert matrix.columns == ["profile", "acmeanalytics.com", "hartleyplumbing.co.uk",
                              "opentrailstrust.org"]  # fmt: skip


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--min-competitors", "3"], "--min-competitors must be between 1 and 2"),
        (["--on-error", "maybe"], "--on-error"),
        (["--out", "p.txt"], "p.txt"),
    ],
)
def test_bad_options_are_refused(sites, extra, message):
    mine, *theirs = sites.values()
    result = _gap(str(mine), *map(str, theirs), *extra)
    assert result.exit_code != 0 and message in result.output and "Traceback" not in result.output


def test_more_than_five_competitors_are_refused(sites):
    mine, other, _ = sites.values()
    result = _gap(str(mine), *[str(other)] * 6)
    assert result.exit_code != 0 and "1 to 5 competitor exports, not 6" in result.output


def test_the_same_site_twice_is_refused(tiny_bundle, sites, tmp_path):
    mine, other, _ = sites.values()
    copy = tmp_path / "copy.csv"
    write_canonical_csv(generate_world(50, 9, sites=["local-plumber"]), copy)
    result = _gap(str(mine), str(other), str(copy), "--model", str(tiny_bundle))
    assert result.exit_code != 0 and "hartleyplumbing.co.uk" in result.output
    assert "one export per site" in result.output
