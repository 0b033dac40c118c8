"""The `linktox score` command on a tiny bundle trained here (no registry, no network)."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

from features.build import FEATURE_COLUMNS, build_features
from features.schema import LABEL
from models.score import feature_matrix
from models.train import fit_bundle
from pipeline.cli import app
from pipeline.world import generate_world
from pipeline.world.exports import write_canonical_csv, write_semrush_csv

runner = CliRunner()


@pytest.fixture(scope="module")
def bundle_dir(tmp_path_factory) -> Path:
    feats = build_features(generate_world(4000, 3).lazy()).collect()
    half = feats.height // 2
    train, valid = feats.head(half), feats.tail(feats.height - half)
    bundle, _ = fit_bundle(
        feature_matrix(train, FEATURE_COLUMNS),
        train.get_column(LABEL).to_numpy(),
        feature_matrix(valid, FEATURE_COLUMNS),
        valid.get_column(LABEL).to_numpy(),
        feature_names=FEATURE_COLUMNS,
        params={"objective": "binary", "num_iterations": 40, "num_leaves": 7, "verbosity": -1,
                "seed": 1, "deterministic": True, "force_row_wise": True, "num_threads": 1},
        early_stopping_rounds=10,
        calibration_method="isotonic",
        cutoff_goals={"toxic_precision": 0.9, "max_toxic_whitelisted": 0.1,
                      "default_review": 45.0, "default_toxic": 60.0},
        use_default_bands=False,
    )  # fmt: skip
    path = tmp_path_factory.mktemp("bundle") / "bundle"
    bundle.save(path)
    return path


@pytest.fixture(scope="module")
def sample() -> pl.DataFrame:
    return generate_world(600, 5, sites=["shop-under-attack"])


def _score(*args: str):
    return runner.invoke(app, ["score", *args])


def test_scores_a_semrush_export_and_keeps_its_columns(bundle_dir, sample, tmp_path):
    export = tmp_path / "semrush.csv"
    write_semrush_csv(sample, export)
    out = tmp_path / "scored.parquet"
    result = _score(str(export), "--out", str(out), "--model", str(bundle_dir))
    assert result.exit_code == 0, result.output
    scored = pl.read_parquet(out)
    assert scored.height == sample.height
    assert {"Source url", "Anchor", "toxicity_score", "label", "reasons"} <= set(scored.columns)
    assert scored.get_column("toxicity_score").is_between(0, 100).all()
    flagged = scored.filter(pl.col("label") != "whitelist")
    assert (flagged.get_column("reasons").str.len_chars() > 0).all()
    assert (scored.filter(pl.col("label") == "whitelist").get_column("reasons") == "").all()


def test_missing_required_column_names_column_and_file_and_writes_nothing(bundle_dir, tmp_path):
    export = tmp_path / "links.csv"
    export.write_text("target_url,anchor\nhttps://shop.example/,shoes\n")
    out = tmp_path / "scored.csv"
    result = _score(str(export), "--out", str(out), "--model", str(bundle_dir))
    assert result.exit_code != 0
    assert "source_url" in result.output and "links.csv" in result.output
    assert "Traceback" not in result.output
    assert not out.exists()


def test_a_refused_disavow_file_leaves_no_output_at_all(bundle_dir, sample, tmp_path):
    export = tmp_path / "export.csv"
    write_canonical_csv(sample, export)
    previous = tmp_path / "old.txt"
    previous.write_text("domain:ok.example\nthis is not a disavow line\n")
    out, domains = tmp_path / "scored.csv", tmp_path / "domains.csv"
    result = _score(
        str(export), "--out", str(out), "--model", str(bundle_dir), "--domains", str(domains),
        "--disavow", str(tmp_path / "disavow.txt"), "--merge", str(previous),
    )  # fmt: skip
    assert result.exit_code != 0
    assert "old.txt" in result.output and "line 2" in result.output
    assert not out.exists() and not domains.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["export.csv", "old.txt"]


def test_disavow_never_lists_the_sites_own_domain(bundle_dir, sample, tmp_path):
    export = tmp_path / "export.csv"
    write_canonical_csv(sample, export)
    disavow = tmp_path / "disavow.txt"
    result = _score(
        str(export), "--out", str(tmp_path / "s.csv"), "--model", str(bundle_dir),
        "--disavow", str(disavow),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    target = sample.get_column("target_url").str.extract(r"//(?:www\.)?([^/]+)").unique()
    lines = disavow.read_text(encoding="utf-8").splitlines()
    assert not {f"domain:{d}" for d in target} & set(lines)
    assert all(line.startswith(("#", "domain:", "http")) for line in lines)


def test_unknown_on_error_mode_is_refused(bundle_dir, tmp_path):
    result = _score(
        str(tmp_path / "x.csv"), "--out", str(tmp_path / "o.csv"), "--on-error", "maybe"
    )
    assert result.exit_code != 0 and "--on-error" in result.output
