"""models.bundle: the TreeSHAP cache beside the model is used when it is the model's own, and
never changes a number."""

from __future__ import annotations

import shutil
from pathlib import Path

import lightgbm as lgb
import numpy as np
import pytest

from models import bundle as bundle_module
from models.bundle import EXPLAINER_FILE, Bundle
from models.calibrate import Calibrator
from models.cutoffs import Cutoffs
from tests.models.conftest import FEATURES, make_data


def _bundle(lgbm_params: dict, seed: int) -> Bundle:
    X, y, _ = make_data(800, seed=seed)
    booster = lgb.train({**lgbm_params, "num_iterations": 15}, lgb.Dataset(X, label=y))
    calibrator = Calibrator(method="sigmoid").fit(booster.predict(X), y)
    return Bundle(
        model_text=booster.model_to_string(),
        calibrator=calibrator,
        cutoffs=Cutoffs(review=30.0, toxic=60.0),
        feature_names=FEATURES,
    )


@pytest.fixture
def saved(lgbm_params: dict, tmp_path: Path) -> tuple[Path, np.ndarray]:
    """A saved bundle and the contributions its model gives when its trees are read afresh."""
    bundle = _bundle(lgbm_params, seed=1)
    bundle.save(tmp_path / "bundle")
    X = make_data(300, seed=2)[0]
    return tmp_path / "bundle", Bundle(
        model_text=bundle.model_text,
        calibrator=bundle.calibrator,
        cutoffs=bundle.cutoffs,
        feature_names=bundle.feature_names,
    ).contributions(X)


def _reads_model_text(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Count the explainers built by reading the model text rather than the cache."""
    from models import treeshap

    calls: list[int] = []
    original = treeshap._tree_splits

    def counted(text: str) -> list:
        calls.append(1)
        return original(text)

    monkeypatch.setattr(treeshap, "_tree_splits", counted)
    return calls


def test_a_loaded_bundle_explains_from_its_cache_with_the_same_numbers(saved, monkeypatch):
    folder, expected = saved
    assert (folder / EXPLAINER_FILE).is_file()
    reads = _reads_model_text(monkeypatch)
    got = Bundle.load(folder).contributions(make_data(300, seed=2)[0])
    assert reads == []  # the cache was used
    assert np.array_equal(got, expected)


def test_a_cache_of_another_model_is_ignored(saved, lgbm_params, tmp_path, monkeypatch):
    folder, expected = saved
    other = tmp_path / "other"
    _bundle(lgbm_params, seed=7).save(other)
    shutil.copy(other / EXPLAINER_FILE, folder / EXPLAINER_FILE)
    reads = _reads_model_text(monkeypatch)
    got = Bundle.load(folder).contributions(make_data(300, seed=2)[0])
    assert reads == [1]
    assert np.array_equal(got, expected)


@pytest.mark.parametrize("damage", ["missing", "truncated", "not a zip"])
def test_a_missing_or_damaged_cache_falls_back_to_the_model_text(saved, damage, monkeypatch):
    folder, expected = saved
    path = folder / EXPLAINER_FILE
    if damage == "missing":
        path.unlink()
    elif damage == "truncated":
        path.write_bytes(path.read_bytes()[:200])
    else:
        path.write_text("tree\n", encoding="utf-8")
    reads = _reads_model_text(monkeypatch)
    got = Bundle.load(folder).contributions(make_data(300, seed=2)[0])
    assert reads == [1]
    assert np.array_equal(got, expected)


def test_the_cache_is_written_byte_for_byte_the_same(saved, tmp_path):
    folder, _ = saved
    Bundle.load(folder).save(tmp_path / "again")  # this time from the cache it read
    assert (tmp_path / "again" / EXPLAINER_FILE).read_bytes() == (
        folder / EXPLAINER_FILE
    ).read_bytes()


def test_reading_the_cache_refuses_pickled_objects(tmp_path):
    path = tmp_path / "x.npz"
    np.savez(path, model=np.array([object()], dtype=object))
    assert bundle_module._read_arrays(path) is None
