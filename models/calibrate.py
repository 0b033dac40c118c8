"""Calibration: turn raw model probabilities into "the chance a reviewer calls it toxic".

The fitted calibrator is plain numbers (isotonic breakpoints or a sigmoid's two coefficients), so it
travels with the model as JSON, never as a pickle.
"""

from __future__ import annotations

from typing import Any, Literal

import numpy as np

_EPS = 1e-6


def _logit(p: np.ndarray) -> np.ndarray:
    p = np.clip(p, _EPS, 1 - _EPS)
    return np.log(p / (1 - p))


class Calibrator:
    """Isotonic or sigmoid (Platt) calibration fitted on validation data.

    Args:
        method: ``isotonic`` (monotone, non-parametric; needs a few thousand validation links)
            or ``sigmoid`` (two parameters; steadier on small validation sets).
    """

    def __init__(self, method: Literal["isotonic", "sigmoid"] = "isotonic") -> None:
        self.method = method

    def fit(
        self, p: np.ndarray, y: np.ndarray, sample_weight: np.ndarray | None = None
    ) -> Calibrator:
        """Learn the map from raw probability ``p`` to the observed toxic rate."""
        # scikit-learn is needed to fit, not to score: imported here, not with the module.
        from sklearn.isotonic import IsotonicRegression
        from sklearn.linear_model import LogisticRegression

        if self.method == "isotonic":
            iso = IsotonicRegression(y_min=0.0, y_max=1.0, out_of_bounds="clip")
            iso.fit(p, y, sample_weight=sample_weight)
            self.x_ = np.asarray(iso.X_thresholds_, dtype=float)
            self.y_ = np.asarray(iso.y_thresholds_, dtype=float)
        else:
            lr = LogisticRegression(C=1e6)
            lr.fit(_logit(p).reshape(-1, 1), y, sample_weight=sample_weight)
            self.a_ = float(lr.coef_[0, 0])
            self.b_ = float(lr.intercept_[0])
        return self

    def predict(self, p: np.ndarray) -> np.ndarray:
        """Calibrated probability for raw probabilities ``p``."""
        if self.method == "isotonic":
            # Same as IsotonicRegression.predict with out_of_bounds="clip".
            return np.interp(p, self.x_, self.y_)
        return 1.0 / (1.0 + np.exp(-(self.a_ * _logit(p) + self.b_)))

    def to_dict(self) -> dict[str, Any]:
        """The fitted state as JSON-ready numbers."""
        if self.method == "isotonic":
            return {"method": "isotonic", "x": self.x_.tolist(), "y": self.y_.tolist()}
        return {"method": "sigmoid", "a": self.a_, "b": self.b_}

    @classmethod
    def from_dict(cls, state: dict[str, Any]) -> Calibrator:
        """Rebuild a fitted calibrator from :meth:`to_dict`."""
        cal = cls(method=state["method"])
        if cal.method == "isotonic":
            cal.x_ = np.asarray(state["x"], dtype=float)
            cal.y_ = np.asarray(state["y"], dtype=float)
        else:
            cal.a_ = float(state["a"])
            cal.b_ = float(state["b"])
        return cal
