"""The LightGBM toxicity classifier, with scikit-learn's estimator contract.

``__init__`` only stores its arguments; fitted state ends in ``_``; ``fit`` returns ``self``.
Early stopping uses LightGBM's callback, and the booster is saved in LightGBM's text format.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Mapping, Sequence
from typing import Any, Literal

import lightgbm as lgb
import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin

from models.bundle import Bundle
from models.calibrate import Calibrator
from models.cutoffs import CutoffGoals, Cutoffs, choose_cutoffs, default_cutoffs, to_score
from models.score import policy_proba

log = logging.getLogger(__name__)


class ToxicityClassifier(ClassifierMixin, BaseEstimator):
    """Gradient-boosted trees on link features, stopped early on a validation set.

    A scikit-learn classifier: ``get_params``/``set_params`` and ``clone`` work, ``classes_`` is
    ``[0, 1]``, ``predict_proba`` returns ``(n, 2)`` and ``predict`` the more likely class.

    Args:
        params: LightGBM parameters under LightGBM's own names (``num_iterations`` included).
        feature_names: the model's input columns, in order.
        early_stopping_rounds: rounds without improvement of the first validation metric.
    """

    def __init__(
        self,
        params: Mapping[str, Any],
        feature_names: Sequence[str],
        early_stopping_rounds: int = 50,
    ) -> None:
        self.params = params
        self.feature_names = feature_names
        self.early_stopping_rounds = early_stopping_rounds

    def fit(
        self,
        X: np.ndarray,
        y: np.ndarray,
        *,
        sample_weight: np.ndarray | None = None,
        eval_set: tuple[np.ndarray, np.ndarray] | None = None,
        eval_weight: np.ndarray | None = None,
    ) -> ToxicityClassifier:
        """Train; with ``eval_set`` stop when the validation metric stops improving."""
        params = dict(self.params)
        num_round = int(params.pop("num_iterations", 100))
        names = list(self.feature_names)
        train_set = lgb.Dataset(
            X, label=y, weight=sample_weight, feature_name=names, free_raw_data=True
        )
        valid_sets = [train_set]
        valid_names = ["train"]
        callbacks: list[Any] = []
        self.evals_result_: dict[str, dict[str, list[float]]] = {}
        if eval_set is not None:
            X_val, y_val = eval_set
            valid_sets.append(
                lgb.Dataset(X_val, label=y_val, weight=eval_weight, reference=train_set)
            )
            valid_names.append("valid")
            callbacks.append(
                lgb.early_stopping(
                    self.early_stopping_rounds, first_metric_only=True, verbose=False
                )
            )
        callbacks.append(lgb.record_evaluation(self.evals_result_))
        self.classes_ = np.array([0, 1])
        self.n_features_in_ = len(names)
        self.booster_ = lgb.train(
            params,
            train_set,
            num_boost_round=num_round,
            valid_sets=valid_sets,
            valid_names=valid_names,
            callbacks=callbacks,
        )
        # The returned booster holds only the best trees; the recorded curves show how many
        # rounds were boosted before early stopping.
        curves = self.evals_result_.get("valid") or self.evals_result_.get("train") or {}
        boosted = max((len(values) for values in curves.values()), default=0)
        self.trained_iterations_ = int(boosted or self.booster_.current_iteration())
        self.best_iteration_ = int(self.booster_.best_iteration or self.trained_iterations_)
        if eval_set is not None and self.trained_iterations_ < num_round:
            log.info(
                "boosted %d of at most %d rounds (num_iterations), stopping after %d rounds "
                "without a better validation score; the model keeps the best %d trees",
                self.trained_iterations_,
                num_round,
                self.early_stopping_rounds,
                self.best_iteration_,
            )
        else:
            log.info(
                "boosted all %d rounds (num_iterations); the model keeps the best %d trees",
                self.trained_iterations_,
                self.best_iteration_,
            )
        return self

    def toxic_proba(self, X: np.ndarray) -> np.ndarray:
        """Uncalibrated probability of toxic (class 1), from the best iteration: shape ``(n,)``."""
        return np.asarray(self.booster_.predict(X, num_iteration=self.best_iteration_))

    def predict_proba(self, X: np.ndarray) -> np.ndarray:
        """Uncalibrated class probabilities, scikit-learn's shape ``(n, 2)``."""
        p = self.toxic_proba(X)
        return np.column_stack([1.0 - p, p])

    def predict(self, X: np.ndarray) -> np.ndarray:
        """The more likely class (0 or 1) of each row."""
        return (self.toxic_proba(X) >= 0.5).astype(int)

    def model_string(self) -> str:
        """The booster in LightGBM's text format, cut at the best iteration."""
        return self.booster_.model_to_string(num_iteration=self.best_iteration_)


# --- fitting a whole bundle -------------------------------------------------------------------


def fit_bundle(
    X_train: np.ndarray,
    y_train: np.ndarray,
    X_valid: np.ndarray,
    y_valid: np.ndarray,
    *,
    feature_names: Sequence[str],
    params: Mapping[str, Any],
    early_stopping_rounds: int,
    calibration_method: Literal["isotonic", "centered_isotonic", "sigmoid"],
    goals: CutoffGoals,
    w_train: np.ndarray | None = None,
    w_valid: np.ndarray | None = None,
    truth_valid: np.ndarray | None = None,
    cutoff_rows: np.ndarray | None = None,
    metadata: Mapping[str, Any] | None = None,
) -> tuple[Bundle, ToxicityClassifier]:
    """Train the booster, calibrate it and choose cut-offs, all on validation data.

    Class imbalance is handled by *not* reweighting classes: the booster sees the natural toxic
    rate, early stopping watches PR-AUC (which focuses on the toxic class), and calibration
    maps scores to the natural rate, so that ``score / 100`` stays a probability.

    Calibration learns the reviewers' labels (``y_valid``: "the chance a reviewer calls it
    toxic"); the cut-offs' goals are judged against ``truth_valid`` where it is known (the
    noise-free truth of synthetic links, a reviewer's decision for reviewed ones), else
    ``y_valid``. ``cutoff_rows`` (a boolean mask of validation rows) limits the cut-off choice
    to the links users see most (full exports), while early stopping and calibration use all.
    """
    clf = ToxicityClassifier(params, feature_names, early_stopping_rounds).fit(
        X_train,
        y_train,
        sample_weight=w_train,
        eval_set=(X_valid, y_valid),
        eval_weight=w_valid,
    )
    raw_valid = clf.toxic_proba(X_valid)
    calibrator = Calibrator(calibration_method).fit(raw_valid, y_valid, sample_weight=w_valid)
    if goals.use_default_bands:
        cutoffs = default_cutoffs(goals.default_review, goals.default_toxic)
    else:
        scores = to_score(calibrator.predict(raw_valid))
        truth = y_valid if truth_valid is None else truth_valid
        keep = np.ones(len(scores), dtype=bool) if cutoff_rows is None else cutoff_rows
        cutoffs = _choose(scores[keep], np.asarray(truth)[keep], goals)
    meta = dict(metadata or {})
    meta.update(best_iteration=clf.best_iteration_)
    bundle = Bundle(
        model_text=clf.model_string(),
        calibrator=calibrator,
        cutoffs=cutoffs,
        feature_names=tuple(feature_names),
        metadata=meta,
    )
    if not goals.use_default_bands:
        keep = np.ones(len(X_valid), dtype=bool) if cutoff_rows is None else cutoff_rows
        truth = y_valid if truth_valid is None else truth_valid
        bundle = cutoffs_as_users_see(bundle, X_valid[keep], np.asarray(truth)[keep], goals)
    return bundle, clf


# Rounds of choosing the cut-offs on the scores users see (see cutoffs_as_users_see).
POLICY_ROUNDS = 4


def cutoffs_as_users_see(
    bundle: Bundle, X: np.ndarray, truth: np.ndarray, goals: CutoffGoals
) -> Bundle:
    """``bundle`` with cut-offs chosen on the scores after the never-alone policy
    (:func:`models.score.policy_proba`), which is what users see and evaluation judges.

    The policy whitelists a link whose score, relevance taken out, falls under the review
    cut-off, so the scores depend on the cut-offs being chosen: they are chosen again on the
    scores the previous ones give, until they repeat (at most :data:`POLICY_ROUNDS` rounds).
    Without this the goals held before the policy and not after: toxic links flagged on
    relevance alone were whitelisted on top of the ``max_toxic_whitelisted`` allowed.
    """
    seen = {(bundle.cutoffs.review, bundle.cutoffs.toxic)}
    for _ in range(POLICY_ROUNDS):
        cutoffs = _choose(to_score(policy_proba(X, bundle, shown=False)), truth, goals)
        bundle = dataclasses.replace(bundle, cutoffs=cutoffs)
        if (cutoffs.review, cutoffs.toxic) in seen:
            break
        seen.add((cutoffs.review, cutoffs.toxic))
    return bundle


def _choose(scores: np.ndarray, truth: np.ndarray, goals: CutoffGoals) -> Cutoffs:
    """:func:`models.cutoffs.choose_cutoffs` with the goals of ``goals``."""
    return choose_cutoffs(
        scores,
        truth,
        toxic_precision=goals.toxic_precision,
        max_toxic_whitelisted=goals.max_toxic_whitelisted,
        default_review=goals.default_review,
        default_toxic=goals.default_toxic,
        max_review_share=goals.max_review_share,
    )
