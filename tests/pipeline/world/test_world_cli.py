"""``linktox world generate`` run through typer on a tiny world."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
import typer
from typer.testing import CliRunner

from features import schema
from pipeline.errors import LinktoxError
from pipeline.world import cli


@pytest.fixture()
def app() -> typer.Typer:
    # A stand-alone app: the root CLI registers the same function as `world generate`.
    application = typer.Typer()
    application.command("generate")(cli.generate)
    application.command("noop")(lambda: None)  # keeps "generate" a sub-command
    return application


def test_generate_writes_world_and_unlabelled_exports(app: typer.Typer, tmp_path: Path) -> None:
    args = ["generate", "--links", "2000", "--seed", "4", "--out", str(tmp_path / "w")]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    out = tmp_path / "w"
    names = {p.name for p in out.iterdir()}
    assert names == {cli.WORLD_FILE, cli.CANONICAL_FILE, cli.SEMRUSH_FILE, cli.AHREFS_FILE}
    world = pl.read_parquet(out / cli.WORLD_FILE)
    assert world.height == 2000
    assert {schema.LABEL, schema.TACTIC, schema.SITE} <= set(world.columns)
    first = (out / cli.WORLD_FILE).read_bytes()
    again = CliRunner().invoke(app, args)
    assert again.exit_code == 0
    assert (out / cli.WORLD_FILE).read_bytes() == first


def test_generate_one_site(app: typer.Typer, tmp_path: Path) -> None:
    args = ["generate", "--links", "500", "--out", str(tmp_path), "--site", "clean-saas"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    world = pl.read_parquet(tmp_path / cli.WORLD_FILE)
    assert world[schema.SITE].unique().to_list() == ["clean-saas"]


def test_unknown_site_is_a_user_error(app: typer.Typer, tmp_path: Path) -> None:
    args = ["generate", "--links", "50", "--out", str(tmp_path), "--site", "nope"]
    result = CliRunner().invoke(app, args)
    assert isinstance(result.exception, LinktoxError)
    assert "unknown site 'nope'" in str(result.exception)
    assert not any(tmp_path.iterdir())
