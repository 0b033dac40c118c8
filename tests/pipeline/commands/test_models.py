"""``linktox models list|promote|unalias`` from a project's subfolder, on a store of two tiny
versions (comparisons on real held-out data are the e2e loop's business)."""

from __future__ import annotations

import os
from pathlib import Path

import mlflow
import pandas as pd
import pytest
from mlflow import MlflowClient
from typer.testing import CliRunner

from features.build import FEATURE_COLUMNS, build_features
from features.schema import LABEL
from models import registry
from models.cutoffs import CutoffGoals
from models.score import feature_matrix
from models.train import fit_bundle
from pipeline import paths
from pipeline.cli import app
from pipeline.config import PARAMS_ENV
from pipeline.world import generate_world
from tests.params import write_params

runner = CliRunner()


@pytest.fixture(autouse=True)
def _project_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    # The project's defaults, not the environment's (`make test` exports a tracking URI, and
    # mlflow.set_tracking_uri exports one too).
    for name in (paths.ROOT_ENV, paths.TRACKING_ENV, PARAMS_ENV):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("COLUMNS", "250")
    yield
    os.environ.pop(paths.TRACKING_ENV, None)


def _project(root: Path) -> Path:
    (root / paths.ROOT_MARKER).write_text("stages: {}\n")
    write_params(root / "params.yaml", {})
    (root / "data").mkdir()
    return root


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    """A project with two registered versions (the same tiny bundle) in its mlflow.db."""
    root = _project(tmp_path_factory.mktemp("project"))
    feats = build_features(generate_world(3000, 4).lazy()).collect()
    half = feats.height // 2
    bundle, _ = fit_bundle(
        feature_matrix(feats.head(half), FEATURE_COLUMNS),
        feats.head(half).get_column(LABEL).to_numpy(),
        feature_matrix(feats.tail(half), FEATURE_COLUMNS),
        feats.tail(half).get_column(LABEL).to_numpy(),
        feature_names=FEATURE_COLUMNS,
        params={"objective": "binary", "num_iterations": 20, "num_leaves": 7, "verbosity": -1,
                "seed": 1, "deterministic": True, "force_row_wise": True, "num_threads": 1},
        early_stopping_rounds=5,
        calibration_method="isotonic",
        goals=CutoffGoals(0.9, 0.1, False, 45.0, 60.0, max_review_share=1.0),
    )  # fmt: skip
    bundle_dir = root / "data" / "models" / "bundle"
    bundle.save(bundle_dir)
    example = pd.DataFrame(
        feature_matrix(feats.head(5), FEATURE_COLUMNS), columns=list(FEATURE_COLUMNS)
    )
    registry.configure(f"sqlite:///{root / 'mlflow.db'}", create=True)
    for _ in range(2):
        with mlflow.start_run(experiment_id=registry.ensure_experiment()):
            version = registry.log_bundle(bundle_dir, example)
    registry.set_alias(registry.CHALLENGER, version)
    os.environ.pop(paths.TRACKING_ENV, None)
    return root


def _store(root: Path) -> MlflowClient:
    return MlflowClient(tracking_uri=f"sqlite:///{root / 'mlflow.db'}")


def test_list_from_a_subfolder_uses_and_names_the_projects_store(project, monkeypatch):
    monkeypatch.chdir(project / "data")
    result = runner.invoke(app, ["models", "list"])
    assert result.exit_code == 0, result.output
    assert f"MLflow store: sqlite:///{project / 'mlflow.db'}" in result.output
    assert "judged on" in result.output and "@challenger" in result.output
    assert not (project / "data" / "mlflow.db").exists()


def test_a_missing_store_is_named_and_never_created(tmp_path, monkeypatch):
    root = _project(tmp_path)
    monkeypatch.chdir(root / "data")
    for args in (["models", "list"], ["models", "promote", "1"], ["models", "unalias", "x"]):
        result = runner.invoke(app, args)
        assert result.exit_code == 2, result.output
        assert f"no MLflow database at {root / 'mlflow.db'}" in result.output
    assert not list(root.rglob("mlflow.db"))


def test_outside_a_project_the_error_says_what_was_looked_for(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["models", "list"])
    assert result.exit_code == 2, result.output
    assert "not inside a linktox project: no dvc.yaml in" in result.output
    assert "Traceback" not in result.output


def test_only_linktox_aliases_can_be_set(project, monkeypatch):
    monkeypatch.chdir(project / "data")
    for alias in ("Champion", "staging"):
        result = runner.invoke(app, ["models", "promote", "2", "--alias", alias])
        assert result.exit_code == 2, result.output
        assert f"unknown alias {alias!r}" in result.output and "@champion" in result.output
    moved = runner.invoke(app, ["models", "promote", "2", "--alias", "challenger"])
    assert moved.exit_code == 2 and "moved by training" in moved.output
    assert set(_store(project).get_registered_model(registry.REGISTERED_MODEL).aliases) == {
        "challenger"
    }


def test_a_stray_alias_is_shown_and_can_be_removed(project, monkeypatch):
    monkeypatch.chdir(project / "data")
    _store(project).set_registered_model_alias(registry.REGISTERED_MODEL, "Champion", "2")
    listed = runner.invoke(app, ["models", "list"])
    assert "@Champion is not a linktox alias" in listed.output
    assert "linktox models unalias Champion" in listed.output
    removed = runner.invoke(app, ["models", "unalias", "Champion"])
    assert removed.exit_code == 0, removed.output
    assert "removed @Champion (it pointed at version 2)" in removed.output
    aliases = _store(project).get_registered_model(registry.REGISTERED_MODEL).aliases
    assert "Champion" not in aliases
    gone = runner.invoke(app, ["models", "unalias", "Champion"])
    assert gone.exit_code == 2 and "no alias @Champion" in gone.output


def test_the_first_promotion_needs_no_comparison(project, monkeypatch):
    monkeypatch.chdir(project / "data")
    first = runner.invoke(app, ["models", "promote", "v1"])
    assert first.exit_code == 0, first.output
    assert "@champion -> version 1 (the first champion)" in first.output
    again = runner.invoke(app, ["models", "promote", "1"])
    assert "version 1 already holds @champion" in again.output
    missing = runner.invoke(app, ["models", "promote", "7"])
    assert missing.exit_code == 2
    assert "has no version 7" in missing.output and "versions 1, 2" in missing.output
    _store(project).delete_registered_model_alias(registry.REGISTERED_MODEL, "champion")


def test_scoring_remembers_the_resolved_version_until_the_store_changes(project, monkeypatch):
    # Scoring without --model resolves @champion (else the newest version) through MLflow once;
    # while the SQLite store is unchanged the answer is given again without MLflow, and any
    # write to the store (an alias set in MLflow itself here) makes the next call ask again.
    from pipeline.scoring import load_bundle

    monkeypatch.chdir(project / "data")

    def refuse(*args, **kwargs):
        raise AssertionError("MLflow asked again")

    _, first = load_bundle(None, None)
    assert first == f"{registry.REGISTERED_MODEL} version 2"  # the newest: no @champion yet
    with monkeypatch.context() as patched:
        patched.setattr(registry, "configure", refuse)
        bundle, again = load_bundle(None, None)
    assert again == first and bundle.feature_names
    _store(project).set_registered_model_alias(registry.REGISTERED_MODEL, "champion", "1")
    try:
        with monkeypatch.context() as patched:
            patched.setattr(registry, "configure", refuse)
            with pytest.raises(AssertionError, match="MLflow asked again"):
                load_bundle(None, None)
        _, now = load_bundle(None, None)
        assert now == f"{registry.REGISTERED_MODEL} version 1 (@champion)"
    finally:
        _store(project).delete_registered_model_alias(registry.REGISTERED_MODEL, "champion")


def test_promoting_or_removing_an_alias_leaves_the_answer_remembered(project, monkeypatch):
    # linktox's own writes to the store resolve the default again while MLflow is open, so the
    # next `linktox score` answers without importing MLflow, with the version just chosen.
    from pipeline.scoring import load_bundle

    monkeypatch.chdir(project / "data")

    def refuse(*args, **kwargs):
        raise AssertionError("MLflow asked again")

    promoted = runner.invoke(app, ["models", "promote", "1"])
    assert promoted.exit_code == 0, promoted.output
    try:
        with monkeypatch.context() as patched:
            patched.setattr(registry, "configure", refuse)
            _, now = load_bundle(None, None)
        assert now == f"{registry.REGISTERED_MODEL} version 1 (@champion)"
        removed = runner.invoke(app, ["models", "unalias", "champion"])
        assert removed.exit_code == 0, removed.output
        with monkeypatch.context() as patched:
            patched.setattr(registry, "configure", refuse)
            _, after = load_bundle(None, None)
        assert after == f"{registry.REGISTERED_MODEL} version 2"
    finally:
        model = _store(project).get_registered_model(registry.REGISTERED_MODEL)
        if "champion" in model.aliases:
            _store(project).delete_registered_model_alias(registry.REGISTERED_MODEL, "champion")
