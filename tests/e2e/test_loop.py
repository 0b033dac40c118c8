"""The whole loop on small data in tmp_path, with a temporary MLflow store and no network:
generate -> featurize -> train -> evaluate -> score -> review queue -> simulated reviewer ->
import labels -> retrain -> compare -> promote (and a refused promotion of a worse model)."""

from __future__ import annotations

import json
from pathlib import Path

import mlflow
import polars as pl
import pytest
import yaml
from mlflow import MlflowClient
from typer.testing import CliRunner

from features import schema
from models import registry
from models.bundle import Bundle
from models.compare import PRIMARY_METRIC, is_worse
from models.evaluation import evaluate_set, held_out_sets, primary_set
from models.registry import REGISTERED_MODEL
from pipeline import paths
from pipeline.cli import app
from tests.params import write_params

SMALL_PARAMS = yaml.safe_load("""
base:
  seed: 7
generate:
  links: 6000
  holdout_links: 2000
  sample_links: 1500
  sample_site: shop-under-attack
train:
  learning_rate: 0.1
  num_iterations: 150
  num_leaves: 15
  min_data_in_leaf: 20
  early_stopping_rounds: 20
  split:
    test_size: 0.2
    valid_size: 0.25
    holdout_site: shop-under-attack
  cutoffs:
    toxic_precision: 0.9
    max_toxic_whitelisted: 0.05
  reviewed:
    weight: 5.0
    min_test_domains: 20
    test_size: 0.4
""")

runner = CliRunner()
KNOWLEDGE = str(paths.at_root(paths.KNOWLEDGE))


def run(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, f"{args}: {result.output}\n{result.exception!r}"
    return result.output


@pytest.fixture(scope="module")
def workspace(tmp_path_factory) -> dict[str, Path | str]:
    root = tmp_path_factory.mktemp("loop")
    params = root / "params.yaml"
    write_params(params, SMALL_PARAMS)
    uri = f"sqlite:///{root / 'mlflow.db'}"
    ws = {
        "root": root,
        "params": params,
        "uri": uri,
        "raw": root / "raw",
        "features": root / "features",
        "models": root / "models",
        "eval": root / "eval",
        "labels": root / "labels",
    }
    stages(ws)
    return ws


def stages(ws: dict) -> None:
    p, uri = str(ws["params"]), str(ws["uri"])
    f, m = ws["features"], ws["models"]
    run("pipeline", "generate", "--out", str(ws["raw"]), "--knowledge", KNOWLEDGE, "--params", p)
    run(
        "pipeline", "featurize",
        "--world", str(ws["raw"] / "world.parquet"),
        "--holdout", str(ws["raw"] / "world_holdout.parquet"),
        "--labels", str(ws["labels"]), "--knowledge", KNOWLEDGE, "--out", str(f), "--params", p,
    )  # fmt: skip
    run(
        "pipeline", "train", "--world", str(f / "world.parquet"),
        "--reviewed", str(f / "reviewed.parquet"), "--knowledge", KNOWLEDGE, "--out", str(m),
        "--params", p,
        "--tracking-uri", uri,
    )  # fmt: skip
    run(
        "pipeline", "evaluate", "--bundle", str(m / "bundle"), "--split", str(m / "split.parquet"),
        "--world", str(f / "world.parquet"), "--holdout", str(f / "world_holdout.parquet"),
        "--reviewed", str(f / "reviewed.parquet"), "--out", str(ws["eval"]), "--params", p,
        "--tracking-uri", uri,
    )  # fmt: skip


def client(ws: dict) -> MlflowClient:
    mlflow.set_tracking_uri(ws["uri"])
    return MlflowClient(tracking_uri=ws["uri"])


def test_stages_write_metrics_plots_and_a_registered_version(workspace):
    metrics = json.loads((workspace["eval"] / "metrics.json").read_text())
    for name in ("test", "unseen_site", "holdout_world"):
        assert 0.5 < metrics[name]["roc_auc"] <= 1.0
        assert 0.0 <= metrics[name]["ece"] <= 1.0
    assert (workspace["eval"] / "plots" / "precision_recall_unseen_site.csv").is_file()
    assert (workspace["eval"] / "plots" / "feature_importance.csv").is_file()
    c = client(workspace)
    versions = c.search_model_versions(f"name='{REGISTERED_MODEL}'")
    assert len(versions) == 1
    run_data = c.get_run(versions[0].run_id).data
    assert "train.learning_rate" in run_data.params
    assert "unseen_site_pr_auc" in run_data.metrics
    assert {"git_commit", "bundle_md5", "data_md5.world_features"} <= set(run_data.tags)


def test_score_labels_every_link_and_explains_every_flag(workspace):
    root, uri = workspace["root"], workspace["uri"]
    export = workspace["raw"] / "sample_export.csv"
    out = root / "scored.csv"
    output = run(
        "score", str(export), "--out", str(out), "--domains", str(root / "domains.csv"),
        "--disavow", str(root / "disavow.txt"), "--report", str(root / "report.html"),
        "--params", str(workspace["params"]), "--tracking-uri", uri,
    )  # fmt: skip
    assert "toxic" in output
    scored = pl.read_csv(out, infer_schema_length=0)
    source = pl.read_csv(export, infer_schema_length=0)
    assert scored.height == source.height
    assert scored.get_column("source_url").to_list() == source.get_column("source_url").to_list()
    assert set(scored.get_column("label").unique()) <= {"whitelist", "review", "toxic"}
    flagged = scored.filter(pl.col("label") != "whitelist")
    assert flagged.height > 0
    assert (flagged.get_column("reasons").fill_null("").str.len_chars() > 0).all()
    lines = (root / "disavow.txt").read_text(encoding="utf-8").splitlines()
    assert all(line.startswith(("domain:", "#", "http")) for line in lines if line)
    assert not any("shop" in line and "domain:" in line and "under" in line for line in lines)


def test_missing_required_column_exits_non_zero_and_writes_nothing(workspace, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("target_url,anchor\nhttps://example.com/,hello\n")
    out = tmp_path / "scored.csv"
    result = runner.invoke(
        app, ["score", str(bad), "--out", str(out), "--tracking-uri", workspace["uri"]]
    )
    assert result.exit_code != 0
    assert "source_url" in result.output and "bad.csv" in result.output
    assert not out.exists()


def test_review_loop_retrains_compares_and_promotes(workspace):
    ws, root, uri = workspace, workspace["root"], workspace["uri"]
    scored = root / "scored_for_queue.csv"
    run(
        "score", str(ws["raw"] / "sample_export.csv"), "--out", str(scored),
        "--params", str(ws["params"]), "--tracking-uri", uri,
    )  # fmt: skip
    queue = root / "queue.csv"
    run("review-queue", str(scored), "--out", str(queue), "--size", "400")
    # A reviewer decides with the generator's truth for these links.
    truth = pl.read_parquet(ws["raw"] / "sample_truth.parquet").select(
        schema.SOURCE_URL, schema.TARGET_URL, schema.ANCHOR, pl.col(schema.LABEL).alias("truth")
    )
    filled = (
        pl.read_csv(queue, infer_schema_length=0)
        .drop("decision", "reviewer")
        .join(
            truth,
            on=[schema.SOURCE_URL, schema.TARGET_URL, schema.ANCHOR],
            how="left",
            nulls_equal=True,
        )
        .with_columns(
            pl.when(pl.col("truth") == 1)
            .then(pl.lit("toxic"))
            .otherwise(pl.lit("keep"))
            .alias("decision"),
            pl.lit("alice").alias("reviewer"),
        )
        .drop("truth")
    )
    filled.write_csv(queue)
    run("labels", "import", str(queue), "--store", str(ws["labels"]))
    segments_before = sorted(p.name for p in ws["labels"].rglob("*.parquet"))
    run("labels", "import", str(queue), "--store", str(ws["labels"]))  # idempotent
    assert sorted(p.name for p in ws["labels"].rglob("*.parquet")) == segments_before
    assert segments_before

    stages(ws)  # retrain with the reviewed labels
    c = client(ws)
    assert len(c.search_model_versions(f"name='{REGISTERED_MODEL}'")) == 2
    out = run("models", "compare", "1", "2", "--features", str(ws["features"]),
              "--split", str(ws["models"] / "split.parquet"), "--params", str(ws["params"]),
              "--tracking-uri", uri)  # fmt: skip
    assert "v1" in out and "v2" in out
    assert "reviewed_test" in out  # enough reviewed domains to hold some out
    print(out)  # the side-by-side numbers, for the record (pytest -s shows them)
    run("models", "promote", "1", "--features", str(ws["features"]),
        "--split", str(ws["models"] / "split.parquet"), "--tracking-uri", uri)  # fmt: skip
    assert str(c.get_model_version_by_alias(REGISTERED_MODEL, "champion").version) == "1"
    result = runner.invoke(app, ["models", "promote", "2", "--features", str(ws["features"]),
                                 "--split", str(ws["models"] / "split.parquet"),
                                 "--tracking-uri", uri])  # fmt: skip
    champion = str(c.get_model_version_by_alias(REGISTERED_MODEL, "champion").version)
    # The gate's verdict, computed here independently: v2 is promoted exactly when its primary
    # metric on the primary held-out set is not below v1's.
    expected_promoted = not is_worse(*(_primary_metric(ws, v) for v in ("2", "1")))
    if expected_promoted:
        assert result.exit_code == 0, result.output
        assert champion == "2"
    else:
        assert result.exit_code != 0 and "refusing" in result.output
        assert champion == "1"


def _primary_metric(ws: dict, version: str) -> float:
    """The promotion metric of a registered version on the primary held-out set."""
    f = ws["features"]
    sets = held_out_sets(
        pl.read_parquet(f / "world.parquet"),
        pl.read_parquet(f / "world_holdout.parquet"),
        pl.read_parquet(f / "reviewed.parquet"),
        pl.read_parquet(ws["models"] / "split.parquet"),
    )
    name = primary_set(sets)
    registry.configure(ws["uri"])
    bundle = Bundle.load(registry.download_version(version))
    return evaluate_set(name, sets[name], bundle).metrics[PRIMARY_METRIC]


def test_promotion_of_a_worse_model_is_refused_unless_forced(workspace):
    ws, uri = workspace, workspace["uri"]
    c = client(ws)
    champion = str(c.get_model_version_by_alias(REGISTERED_MODEL, "champion").version)
    weak = ws["root"] / "weak.yaml"
    # One stump: a deliberately weak model, so the refusal has something to refuse.
    write_params(weak, {**SMALL_PARAMS, "train": {**SMALL_PARAMS["train"], "num_iterations": 1,
                                                  "num_leaves": 2}})  # fmt: skip
    weak_models = ws["root"] / "weak_models"
    f = ws["features"]
    run(
        "pipeline", "train", "--world", str(f / "world.parquet"),
        "--reviewed", str(f / "reviewed.parquet"), "--knowledge", KNOWLEDGE,
        "--out", str(weak_models),
        "--params", str(weak), "--tracking-uri", uri,
    )  # fmt: skip
    newest = max(int(v.version) for v in c.search_model_versions(f"name='{REGISTERED_MODEL}'"))
    args = ["models", "promote", str(newest), "--features", str(f),
            "--split", str(ws["models"] / "split.parquet"), "--tracking-uri", uri]  # fmt: skip
    refused = runner.invoke(app, args)
    assert refused.exit_code != 0
    assert "refusing" in refused.output
    assert str(c.get_model_version_by_alias(REGISTERED_MODEL, "champion").version) == champion
    run(*args, "--force")
    assert str(c.get_model_version_by_alias(REGISTERED_MODEL, "champion").version) == str(newest)
