"""Names of the MLflow runs of registered versions: what tells them apart in the MLflow UI."""

from __future__ import annotations

from models.tracking import DVC_EXP_ENV, TrainingLog, _run_name


def _training(reviewed: int, rate: float | None) -> TrainingLog:
    params = {"train.num_leaves": 31} | ({} if rate is None else {"train.learning_rate": rate})
    return TrainingLog(
        params=params, valid_curves={}, best_iteration=70, trained_iterations=120,
        train_links=1000, reviewed_links=reviewed, data_md5={},
    )  # fmt: skip


def test_a_run_is_named_by_version_reviewed_links_and_learning_rate(monkeypatch) -> None:
    monkeypatch.delenv(DVC_EXP_ENV, raising=False)
    assert _run_name("3", _training(1200, 0.05)) == "v3 · 1,200 reviewed links · lr 0.05"
    assert _run_name("1", _training(0, None)) == "v1 · 0 reviewed links"


def test_a_run_of_dvc_exp_run_is_named_after_the_experiment(monkeypatch) -> None:
    # `dvc exp run` sets DVC_EXP_NAME for the stages it runs.
    monkeypatch.setenv(DVC_EXP_ENV, "shock-tola")
    name = _run_name("4", _training(200, 0.03))
    assert name == "v4 · exp shock-tola · 200 reviewed links · lr 0.03"


def test_an_empty_experiment_name_is_left_out(monkeypatch) -> None:
    monkeypatch.setenv(DVC_EXP_ENV, "")
    assert _run_name("2", _training(5, 0.1)) == "v2 · 5 reviewed links · lr 0.1"
