"""The whole loop on small data, in a project folder of its own (tmp_path) laid out like the
repository, with its own MLflow store and no network: generate -> featurize -> train -> evaluate
-> register -> score -> review queue -> simulated reviewer -> import labels -> retrain -> compare
-> promote (and a refused promotion of a worse model). The user commands run from the project's
``data/`` folder with their defaults, as the README's walk-through does."""

from __future__ import annotations

import json
import os
from pathlib import Path

import mlflow
import polars as pl
import pytest
import yaml
from mlflow import MlflowClient
from sklearn.metrics import average_precision_score
from typer.testing import CliRunner

from features import schema
from models import registry, tracking
from models.bundle import Bundle
from models.cutoffs import to_score
from models.evaluation import PrimaryRule, primary_set, shared_held_out_sets
from models.registry import REGISTERED_MODEL
from models.score import feature_matrix
from pipeline import paths
from pipeline.cli import app
from pipeline.config import PARAMS_ENV
from tests.params import write_params

KNOWLEDGE = str(paths.at_root(paths.KNOWLEDGE))

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
evaluate:
  primary:
    min_reviewed_links: 60
    min_reviewed_per_class: 10
promote:
  bootstrap_resamples: 300
""")

runner = CliRunner()


def run(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, f"{args}: {result.output}\n{result.exception!r}"
    return result.output


@pytest.fixture(scope="module")
def workspace(tmp_path_factory):
    root = tmp_path_factory.mktemp("loop")
    (root / paths.ROOT_MARKER).write_text("stages: {}\n")  # marks the project root
    params = write_params(root / "params.yaml", SMALL_PARAMS)
    data = root / "data"
    data.mkdir()
    ws = {
        "root": root,
        "data": data,
        "params": params,
        "uri": f"sqlite:///{root / 'mlflow.db'}",
        "raw": data / "raw",
        "features": data / "features",
        "models": data / "models",
        "eval": data / "eval",
        "labels": data / "labels",
    }
    with pytest.MonkeyPatch.context() as mp:
        # The project's defaults, not the environment's (`make test` exports a tracking URI).
        for name in (paths.ROOT_ENV, paths.TRACKING_ENV, PARAMS_ENV):
            mp.delenv(name, raising=False)
        mp.setenv("COLUMNS", "200")
        mp.chdir(data)
        stages(ws)
        yield ws


@pytest.fixture(autouse=True)
def _no_tracking_env():
    """``mlflow.set_tracking_uri`` also exports ``MLFLOW_TRACKING_URI`` (for child processes),
    which a later command in this same process would take for the user's choice; each CLI run
    is a process of its own, so every test starts without it."""
    os.environ.pop(paths.TRACKING_ENV, None)


def stages(ws: dict, models: Path | None = None, evaluation: Path | None = None,
           params: Path | None = None) -> None:  # fmt: skip
    """The DVC stages as dvc.yaml runs them (explicit paths; the store is the project's)."""
    p = str(params or ws["params"])
    f, m, e = ws["features"], models or ws["models"], evaluation or ws["eval"]
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
    )  # fmt: skip
    run(
        "pipeline", "evaluate", "--bundle", str(m / "bundle"), "--split", str(m / "split.parquet"),
        "--world", str(f / "world.parquet"), "--holdout", str(f / "world_holdout.parquet"),
        "--reviewed", str(f / "reviewed.parquet"), "--out", str(e), "--params", p,
    )  # fmt: skip
    register(ws, m, e)


def register(ws: dict, models: Path, evaluation: Path, *extra: str) -> str:
    return run(
        "pipeline", "register", "--bundle", str(models / "bundle"),
        "--training", str(models / "training.json"), "--row-keys", str(models / "row_keys.parquet"),
        "--evaluation", str(evaluation), "--world", str(ws["features"] / "world.parquet"), *extra,
    )  # fmt: skip


def client(ws: dict) -> MlflowClient:
    mlflow.set_tracking_uri(ws["uri"])
    return MlflowClient(tracking_uri=ws["uri"])


def _carries_its_evaluation(c: MlflowClient, run_id: str) -> None:
    data = c.get_run(run_id).data
    metrics = json.loads((Path(c.download_artifacts(run_id, "eval/metrics.json"))).read_text())
    primary = metrics["primary_set"]
    assert data.metrics[f"{primary}_pr_auc"] == pytest.approx(metrics[primary]["pr_auc"])
    assert len([k for k in data.metrics if k.startswith(("test_", "unseen_site_"))]) > 30
    assert data.tags["primary_set"] == primary
    figures = {a.path for a in c.list_artifacts(run_id, "figures")}
    assert "figures/precision_recall.png" in figures


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
    assert {"git_commit", "bundle_md5", "data_md5.world_features"} <= set(run_data.tags)
    assert run_data.tags["mlflow.runName"].startswith("v1 · ")
    _carries_its_evaluation(c, versions[0].run_id)


def test_version_1_carries_its_metrics_on_a_fresh_store_when_evaluate_is_skipped(workspace):
    # A fresh clone: data/eval/ is committed and matches dvc.lock, so DVC skips `evaluate`; the
    # train stage's files are rebuilt and the register stage (which always runs) meets an empty
    # store. Version 1 must still carry the whole evaluation.
    ws = workspace
    fresh = f"sqlite:///{ws['root'] / 'fresh.db'}"
    register(ws, ws["models"], ws["eval"], "--tracking-uri", fresh)
    again = register(ws, ws["models"], ws["eval"], "--tracking-uri", fresh)  # a second repro
    c = MlflowClient(tracking_uri=fresh)
    versions = c.search_model_versions(f"name='{REGISTERED_MODEL}'")
    assert [str(v.version) for v in versions] == ["1"]  # the same bundle is never registered twice
    _carries_its_evaluation(c, versions[0].run_id)
    assert "registered before" in again and "already in its run" in again
    assert str(c.get_model_version_by_alias(REGISTERED_MODEL, "challenger").version) == "1"


def test_register_refuses_an_evaluation_of_another_bundle(workspace, tmp_path):
    ws = workspace
    other = tmp_path / "eval"
    other.mkdir()
    (other / paths.EVALUATED_FILE).write_text(json.dumps({"bundle_md5": "0" * 32}))
    result = runner.invoke(app, [
        "pipeline", "register", "--bundle", str(ws["models"] / "bundle"),
        "--training", str(ws["models"] / "training.json"),
        "--row-keys", str(ws["models"] / "row_keys.parquet"), "--evaluation", str(other),
        "--world", str(ws["features"] / "world.parquet"),
    ])  # fmt: skip
    assert result.exit_code != 0
    assert "measures another bundle" in result.output and "Traceback" not in result.output


def test_score_labels_every_link_and_explains_every_flag(workspace):
    # From data/, with the defaults: the project's store and params.
    output = run(
        "score", "raw/sample_export.csv", "--out", "scored.csv", "--domains", "domains.csv",
        "--disavow", "disavow.txt", "--report", "report.html",
    )  # fmt: skip
    assert "toxic" in output
    # It says which store it used (rich may wrap the line anywhere).
    assert str(workspace["root"] / "mlflow.db") in "".join(output.split())
    assert not (workspace["data"] / "mlflow.db").exists()
    scored = pl.read_csv("scored.csv", infer_schema_length=0)
    source = pl.read_csv(workspace["raw"] / "sample_export.csv", infer_schema_length=0)
    assert scored.height == source.height
    assert scored.get_column("source_url").to_list() == source.get_column("source_url").to_list()
    assert set(scored.get_column("label").unique()) <= {"whitelist", "review", "toxic"}
    flagged = scored.filter(pl.col("label") != "whitelist")
    assert flagged.height > 0
    assert (flagged.get_column("reasons").fill_null("").str.len_chars() > 0).all()
    lines = Path("disavow.txt").read_text(encoding="utf-8").splitlines()
    assert all(line.startswith(("domain:", "#", "http")) for line in lines if line)
    assert not any("shop" in line and "domain:" in line and "under" in line for line in lines)


def test_batch_size_changes_nothing_with_knowledge_tables(workspace, tmp_path):
    """The command tests' tiny bundle has no knowledge tables; this bundle does (category lists,
    popularity, the name model), and they are joined batch by batch: batches of 97 links or the
    whole export give the same bytes in the scored table and rollup, and the same disavow
    entries."""
    bundle = str(workspace["models"] / "bundle")
    outputs = {}
    for size in (97, 250_000):
        params = write_params(
            tmp_path / f"params-{size}.yaml", {**SMALL_PARAMS, "score": {"batch_size": size}}
        )
        out = tmp_path / str(size)
        run(
            "score", "raw/sample_export.csv", "--model", bundle, "--params", str(params),
            "--out", str(out / "s.csv"), "--domains", str(out / "d.csv"),
            "--disavow", str(out / "disavow.txt"),
        )  # fmt: skip
        entries = [
            line
            for line in (out / "disavow.txt").read_text().splitlines()
            if not line.startswith("#")
        ]
        outputs[size] = ((out / "s.csv").read_bytes(), (out / "d.csv").read_bytes(), entries)
    assert Bundle.load(workspace["models"] / "bundle").knowledge.domains.collect().height > 0
    assert outputs[97] == outputs[250_000] and outputs[97][2]


def test_missing_required_column_exits_non_zero_and_writes_nothing(workspace, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("target_url,anchor\nhttps://example.com/,hello\n")
    out = tmp_path / "scored.csv"
    result = runner.invoke(app, ["score", str(bad), "--out", str(out)])
    assert result.exit_code != 0
    assert "source_url" in result.output and "bad.csv" in result.output
    assert not out.exists()


def test_model_references_that_do_not_exist_say_what_does(workspace):
    other = runner.invoke(app, ["score", "raw/sample_export.csv", "--out", "x.csv",
                                "--model", "models:/other-model/1"])  # fmt: skip
    assert other.exit_code != 0
    assert "no registered model 'other-model'" in other.output
    assert REGISTERED_MODEL in other.output
    typo = runner.invoke(app, ["models", "promote", "@champoin"])
    assert typo.exit_code != 0
    assert "no alias @champoin" in typo.output and "@challenger (v1)" in typo.output
    assert "versions 1" in typo.output
    assert not Path("x.csv").exists()


def test_review_loop_retrains_compares_and_promotes(workspace):
    ws = workspace
    # The README's walk-through, from data/ with every default.
    run("score", "raw/sample_export.csv", "--out", "scored_for_queue.csv")
    run("review-queue", "scored_for_queue.csv", "--out", "queue.csv", "--size", "400")
    # A reviewer decides with the generator's truth for these links.
    truth = pl.read_parquet(ws["raw"] / "sample_truth.parquet").select(
        schema.SOURCE_URL, schema.TARGET_URL, schema.ANCHOR, pl.col(schema.LABEL).alias("truth")
    )
    filled = (
        pl.read_csv("queue.csv", infer_schema_length=0)
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
    filled.write_csv("queue.csv")
    imported = run("labels", "import", "queue.csv")
    # The project's store, not data/data/labels (rich may wrap the line anywhere).
    assert str(ws["labels"]) in "".join(imported.split())
    segments_before = sorted(p.name for p in ws["labels"].rglob("*.parquet"))
    run("labels", "import", "queue.csv")  # idempotent
    assert sorted(p.name for p in ws["labels"].rglob("*.parquet")) == segments_before
    assert segments_before
    assert not (ws["data"] / "data").exists()
    assert "alice" in run("labels", "stats")

    stages(ws)  # retrain with the reviewed labels
    c = client(ws)
    assert len(c.search_model_versions(f"name='{REGISTERED_MODEL}'")) == 2
    listed = run("models", "list")
    assert "judged on" in listed and "reviewed_test" in listed
    out = run("models", "compare")  # default: the two newest (no champion yet)
    assert "v1" in out and "v2" in out
    assert "reviewed_test" in out  # enough reviewed domains to hold some out
    assert out.strip().splitlines()[-1].startswith("verdict: v2 vs v1 on ")
    print(out)  # the side-by-side numbers, for the record (pytest -s shows them)
    run("models", "promote", "1")
    assert str(c.get_model_version_by_alias(REGISTERED_MODEL, "champion").version) == "1"
    result = runner.invoke(app, ["models", "promote", "2"])
    champion = str(c.get_model_version_by_alias(REGISTERED_MODEL, "champion").version)
    # The gate, checked against the plain PR-AUC difference on the frozen primary rows
    # (sklearn): it may refuse only a version whose PR-AUC is lower.
    primary, difference = _primary_difference(ws, "2", "1")
    assert primary in result.output
    if result.exit_code == 0:
        assert champion == "2"
    else:
        assert "refusing" in result.output and champion == "1"
        assert difference < 0
    run("score", "raw/sample_export.csv", "--out", "scored_again.csv")


def _primary_difference(ws: dict, candidate: str, incumbent: str) -> tuple[str, float]:
    """The primary set of the two versions' shared held-out rows, and the plain PR-AUC
    difference there (candidate - incumbent)."""
    registry.configure(ws["uri"])
    f = ws["features"]
    sets = shared_held_out_sets(
        pl.read_parquet(f / "world.parquet"),
        pl.read_parquet(f / "world_holdout.parquet"),
        pl.read_parquet(f / "reviewed.parquet"),
        [tracking.row_keys(v) for v in (candidate, incumbent)],
    )
    name = primary_set(sets, PrimaryRule(**SMALL_PARAMS["evaluate"]["primary"]))
    frame = sets[name]
    y = frame.get_column(schema.LABEL).to_numpy()
    values = []
    for version in (candidate, incumbent):
        bundle = Bundle.load(registry.download_version(version))
        p = bundle.predict_proba(feature_matrix(frame, bundle.feature_names))
        values.append(average_precision_score(y, to_score(p) / 100))
    return name, values[0] - values[1]


def test_promotion_of_a_worse_model_is_refused_unless_forced(workspace):
    ws = workspace
    c = client(ws)
    champion = str(c.get_model_version_by_alias(REGISTERED_MODEL, "champion").version)
    weak = ws["root"] / "weak.yaml"
    # One stump: a deliberately weak model, so the refusal has something to refuse.
    write_params(weak, {**SMALL_PARAMS, "train": {**SMALL_PARAMS["train"], "num_iterations": 1,
                                                  "num_leaves": 2}})  # fmt: skip
    weak_models, weak_eval = ws["root"] / "weak_models", ws["root"] / "weak_eval"
    f = ws["features"]
    run(
        "pipeline", "train", "--world", str(f / "world.parquet"),
        "--reviewed", str(f / "reviewed.parquet"), "--knowledge", KNOWLEDGE,
        "--out", str(weak_models), "--params", str(weak),
    )  # fmt: skip
    run(
        "pipeline", "evaluate", "--bundle", str(weak_models / "bundle"),
        "--split", str(weak_models / "split.parquet"), "--world", str(f / "world.parquet"),
        "--holdout", str(f / "world_holdout.parquet"), "--reviewed", str(f / "reviewed.parquet"),
        "--out", str(weak_eval), "--params", str(weak),
    )  # fmt: skip
    register(ws, weak_models, weak_eval)
    newest = max(int(v.version) for v in c.search_model_versions(f"name='{REGISTERED_MODEL}'"))
    refused = runner.invoke(app, ["models", "promote", str(newest)])
    assert refused.exit_code != 0
    assert "refusing" in refused.output and "is worse than" in refused.output
    assert str(c.get_model_version_by_alias(REGISTERED_MODEL, "champion").version) == champion
    forced = run("models", "promote", str(newest), "--force")
    assert "warning: --force: promoting" in forced
    assert str(c.get_model_version_by_alias(REGISTERED_MODEL, "champion").version) == str(newest)
