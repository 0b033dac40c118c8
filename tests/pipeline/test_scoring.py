"""The one scoring path of score, diff and gap: exports scored as `score` scores them, and
tables `score` wrote read back with their scores (no model loaded)."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.config import load_params
from pipeline.errors import InputError
from pipeline.scoring import PRESCORED, SCORED_COLUMNS, ModelLoader, score_export
from pipeline.world import generate_world
from pipeline.world.exports import write_semrush_csv

CFG = load_params()


class NoModel(ModelLoader):
    def __init__(self) -> None:
        super().__init__(None, None)

    def __call__(self):
        raise AssertionError("a scored table must not need a model")


@pytest.fixture(scope="module")
def export(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("scoring") / "semrush.csv"
    world = generate_world(400, 21, sites=["shop-under-attack"])
    anchors = world.get_column("anchor").scatter(0, '=HYPERLINK("http://x.xyz")')
    write_semrush_csv(world.with_columns(anchors), path)
    return path


def test_an_export_is_scored_exactly_as_linktox_score_scores_it(tiny_bundle, export, tmp_path):
    out = tmp_path / "scored.parquet"
    result = CliRunner().invoke(app, ["score", str(export), "--out", str(out),
                                      "--model", str(tiny_bundle)])  # fmt: skip
    assert result.exit_code == 0, result.output
    written = pl.read_parquet(out)
    scored = score_export(export, ModelLoader(str(tiny_bundle), None), CFG, progress=False)
    assert scored.links.columns == list(SCORED_COLUMNS)
    assert scored.target_domains == ("strideandpace.com",)
    for column in ("ref_domain", "toxicity_score", "label", "reasons"):
        assert scored.links.get_column(column).to_list() == written.get_column(column).to_list()


def test_a_table_written_by_score_is_read_with_its_scores(tiny_bundle, export, tmp_path):
    out = tmp_path / "scored.csv"
    result = CliRunner().invoke(app, ["score", str(export), "--out", str(out),
                                      "--model", str(tiny_bundle)])  # fmt: skip
    assert result.exit_code == 0, result.output
    again = score_export(out, NoModel(), CFG)
    fresh = score_export(export, ModelLoader(str(tiny_bundle), None), CFG, progress=False)
    assert again.scored_by == PRESCORED and again.target_domains == fresh.target_domains
    for column in ("source_url", "anchor", "ref_domain", "source_host", "toxicity_score", "label",
                   "reasons"):  # fmt: skip
        assert again.links.get_column(column).to_list() == fresh.links.get_column(column).to_list()
    assert fresh.links.get_column("source_host").is_not_null().all()  # the rollup's platform guard
    assert again.links.get_column("anchor").str.starts_with("=HYPERLINK").any()  # guard undone


def test_a_scored_table_with_a_bad_score_names_the_row(tmp_path):
    links = generate_world(5, 2, sites=["clean-saas"]).drop("label", "tactic", "site")
    scored = links.with_columns(
        pl.lit("example.com").alias("ref_domain"),
        pl.Series("toxicity_score", ["1.0", "2.0", "high", "4.0", "5.0"]),
        pl.lit("whitelist").alias("label"),
        pl.lit("").alias("reasons"),
    )
    path = tmp_path / "scored.csv"
    scored.write_csv(path)
    with pytest.raises(InputError, match=r"scored\.csv: data row 3: column 'toxicity_score' "
                                         r"holds 'high'"):  # fmt: skip
        score_export(path, NoModel(), CFG)
    bad_label = scored.with_columns(
        pl.lit("1.0").alias("toxicity_score"), pl.lit("bad").alias("label")
    )
    bad_label.write_csv(path)
    with pytest.raises(InputError, match=r"scored\.csv: .*'bad'.*whitelist, review, toxic"):
        score_export(path, NoModel(), CFG)
