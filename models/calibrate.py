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


Method = Literal["isotonic", "centered_isotonic", "sigmoid"]


def _centered(x: np.ndarray, y: np.ndarray, p: np.ndarray, w: np.ndarray) -> tuple[np.ndarray, ...]:
    """Centered isotonic regression (Oron & Flournoy, 2017): one point per isotonic block, at
    the weighted mean raw probability of the block's links, with the block's rate.

    Interpolating between these points keeps the map monotone and calibrated on average, but
    strictly increasing between blocks, so links with different raw scores get different scores
    instead of collapsing onto the block's plateau (a review pile cut-offs cannot split).
    """
    # Blocks of the step function: consecutive thresholds with the same fitted rate.
    value = np.interp(p, x, y)
    rates, block = np.unique(value, return_inverse=True)
    weight = np.bincount(block, weights=w)
    centers = np.bincount(block, weights=w * p) / weight
    return centers, rates


class Calibrator:
    """Isotonic, centered isotonic or sigmoid (Platt) calibration fitted on validation data.

    Args:
        method: ``isotonic`` (a monotone step function; needs a few thousand validation links),
            ``centered_isotonic`` (the same blocks, joined by straight lines between their
            centres, so scores do not pile up on plateaus) or ``sigmoid`` (two parameters;
            steadier on small validation sets).
    """

    def __init__(self, method: Method = "isotonic") -> None:
        self.method = method

    def fit(
        self, p: np.ndarray, y: np.ndarray, sample_weight: np.ndarray | None = None
    ) -> Calibrator:
        """Learn the map from raw probability ``p`` to the observed toxic rate."""
        # scikit-learn is needed to fit, not to score: imported here, not with the module.
        from sklearn.isotonic import IsotonicRegression
        from sklearn.linear_model import LogisticRegression

        if self.method in ("isotonic", "centered_isotonic"):
            iso = IsotonicRegression(y_min=0.0, y_max=1.0, out_of_bounds="clip")
            iso.fit(p, y, sample_weight=sample_weight)
            self.x_ = np.asarray(iso.X_thresholds_, dtype=float)
            self.y_ = np.asarray(iso.y_thresholds_, dtype=float)
            if self.method == "centered_isotonic":
                w = np.ones(len(p)) if sample_weight is None else np.asarray(sample_weight)
                self.x_, self.y_ = _centered(self.x_, self.y_, np.asarray(p, dtype=float), w)
        else:
            lr = LogisticRegression(C=1e6)
            lr.fit(_logit(p).reshape(-1, 1), y, sample_weight=sample_weight)
            self.a_ = float(lr.coef_[0, 0])
            self.b_ = float(lr.intercept_[0])
        return self

    def predict(self, p: np.ndarray) -> np.ndarray:
        """Calibrated probability for raw probabilities ``p``."""
        if self.method in ("isotonic", "centered_isotonic"):
            # Same as IsotonicRegression.predict with out_of_bounds="clip" (for isotonic).
            return np.interp(p, self.x_, self.y_)
        return 1.0 / (1.0 + np.exp(-(self.a_ * _logit(p) + self.b_)))

    def to_dict(self) -> dict[str, Any]:
        """The fitted state as JSON-ready numbers."""
        if self.method in ("isotonic", "centered_isotonic"):
            return {"method": self.method, "x": self.x_.tolist(), "y": self.y_.tolist()}
        return {"method": "sigmoid", "a": self.a_, "b": self.b_}

    @classmethod
    def from_dict(cls, state: dict[str, Any]) -> Calibrator:
        """Rebuild a fitted calibrator from :meth:`to_dict`."""
        cal = cls(method=state["method"])
        if cal.method in ("isotonic", "centered_isotonic"):
            cal.x_ = np.asarray(state["x"], dtype=float)
            cal.y_ = np.asarray(state["y"], dtype=float)
        else:
            cal.a_ = float(state["a"])
            cal.b_ = float(state["b"])
        return cal
