"""The pyfunc wrapper MLflow stores: same scores and labels as the bundle itself."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pandas as pd

from models.cutoffs import CutoffGoals, label_array, to_score
from models.mlflow_model import LinktoxPyfunc
from models.train import fit_bundle
from tests.models.conftest import FEATURES, make_data


def test_predict_matches_the_bundle_and_load_context_reads_the_artifact(lgbm_params, tmp_path):
    X, y, _ = make_data(4000, seed=21)
    bundle, _ = fit_bundle(
        X[:2000], y[:2000], X[2000:], y[2000:],
        feature_names=FEATURES, params=lgbm_params, early_stopping_rounds=10,
        calibration_method="isotonic", goals=CutoffGoals(0.9, 0.05, False, 45.0, 60.0, 1.0),
    )  # fmt: skip
    bundle.save(tmp_path / "bundle")

    model = LinktoxPyfunc()
    model.load_context(SimpleNamespace(artifacts={"bundle": str(tmp_path / "bundle")}))
    frame = pd.DataFrame(X[:300], columns=list(FEATURES))
    # Column order must not matter: the wrapper selects the bundle's features by name.
    out = model.predict(None, frame[list(reversed(FEATURES))])
    expected = to_score(bundle.predict_proba(X[:300]))
    np.testing.assert_allclose(out["toxicity_score"].to_numpy(), expected)
    assert list(out["label"]) == list(label_array(expected, bundle.cutoffs))
    assert set(out["label"]) <= {"whitelist", "review", "toxic"}
