"""MLflow "model from code" wrapper, so a registered version is a servable pyfunc model.

MLflow copies this file next to the bundle artifacts; nothing is pickled. The pyfunc takes a table
of feature columns and returns the calibrated ``toxicity_score`` and ``label``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import mlflow
import mlflow.pyfunc
import pandas as pd
import polars as pl

from models.bundle import Bundle
from models.cutoffs import label_array, to_score
from models.score import feature_matrix


class LinktoxPyfunc(mlflow.pyfunc.PythonModel):  # type: ignore[name-defined]
    """Scores feature rows with the bundle stored as the ``bundle`` artifact."""

    def load_context(self, context: Any) -> None:
        self.bundle = Bundle.load(Path(context.artifacts["bundle"]))

    def predict(self, context: Any, model_input: pd.DataFrame, params: Any = None) -> pd.DataFrame:
        frame = pl.from_pandas(model_input)
        scores = to_score(
            self.bundle.predict_proba(feature_matrix(frame, self.bundle.feature_names))
        )
        return pd.DataFrame(
            {"toxicity_score": scores, "label": label_array(scores, self.bundle.cutoffs)}
        )


mlflow.models.set_model(LinktoxPyfunc())
