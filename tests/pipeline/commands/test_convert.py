"""`linktox convert`: a vendor export to canonical links, all or nothing."""

from __future__ import annotations

import polars as pl
from typer.testing import CliRunner

from features import schema
from pipeline.cli import app
from pipeline.world import generate_world
from pipeline.world.exports import write_semrush_csv

runner = CliRunner()


def test_converts_a_semrush_export_to_canonical_parquet(tmp_path):
    sample = generate_world(300, 5, sites=["clean-saas"])
    export, out = tmp_path / "semrush.csv", tmp_path / "links.parquet"
    write_semrush_csv(sample, export)
    result = runner.invoke(app, ["convert", str(export), "--out", str(out)])
    assert result.exit_code == 0, result.output
    links = pl.read_parquet(out)
    assert links.columns == list(schema.CANONICAL)
    assert links.height == sample.height
    assert links.get_column("source_url").sort().equals(sample.get_column("source_url").sort())


def test_a_bad_export_leaves_no_file(tmp_path):
    export, out = tmp_path / "links.csv", tmp_path / "links.parquet"
    export.write_text("target_url,anchor\nhttps://shop.example/,shoes\n")
    result = runner.invoke(app, ["convert", str(export), "--out", str(out)])
    assert result.exit_code != 0
    assert "source_url" in result.output and "Traceback" not in result.output
    assert not out.exists()


def test_only_parquet_is_written(tmp_path):
    result = runner.invoke(app, ["convert", str(tmp_path / "x.csv"), "--out", str(tmp_path / "x")])
    assert result.exit_code != 0 and ".parquet" in result.output
