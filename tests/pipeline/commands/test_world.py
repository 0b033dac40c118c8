"""``linktox world generate``: the generate stage's files, with overrides, through typer."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

from features import schema
from pipeline import paths
from pipeline.cli import app
from pipeline.world.files import FILES

SMALL = ["--links", "1500", "--holdout-links", "300", "--sample-links", "300"]


def _run(*args: str):
    return CliRunner().invoke(app, ["world", "generate", *SMALL, *args])


def test_writes_the_stage_files_deterministically(tmp_path: Path) -> None:
    result = _run("--seed", "4", "--out", str(tmp_path / "w"))
    assert result.exit_code == 0, result.output
    out = tmp_path / "w"
    assert {p.name for p in out.iterdir()} == set(FILES)
    world = pl.read_parquet(out / paths.WORLD_FILE)
    assert world.height == 1500
    assert {schema.LABEL, schema.TACTIC, schema.SITE} <= set(world.columns)
    first = {name: (out / name).read_bytes() for name in FILES}
    again = _run("--seed", "4", "--out", str(out))
    assert again.exit_code == 0
    assert {name: (out / name).read_bytes() for name in FILES} == first
    other = _run("--seed", "5", "--out", str(tmp_path / "other"))
    assert other.exit_code == 0
    assert (tmp_path / "other" / paths.WORLD_FILE).read_bytes() != first[paths.WORLD_FILE]


def test_seed_defaults_to_base_seed(tmp_path: Path) -> None:
    from pipeline.config import load_params

    seed = load_params().base.seed
    assert _run("--out", str(tmp_path / "a")).exit_code == 0
    assert _run("--seed", str(seed), "--out", str(tmp_path / "b")).exit_code == 0
    for name in FILES:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


def test_sample_of_one_site(tmp_path: Path) -> None:
    result = _run("--out", str(tmp_path), "--site", "clean-saas")
    assert result.exit_code == 0, result.output
    truth = pl.read_parquet(tmp_path / paths.SAMPLE_TRUTH_FILE)
    assert truth[schema.SITE].unique().to_list() == ["clean-saas"]


@pytest.mark.parametrize("site", ["nope"])
def test_unknown_site_is_a_one_line_error_and_writes_nothing(tmp_path: Path, site: str) -> None:
    result = _run("--out", str(tmp_path / "w"), "--site", site)
    assert result.exit_code == 2
    assert "unknown site 'nope'" in result.output
    assert not (tmp_path / "w").exists()
