"""Typed, frozen views of ``params.yaml``: loaded once at the edge, validated, then passed down.

``params.yaml`` is the one source of every setting: the classes below hold its types and bounds,
not defaults, so a value has one home. An unknown or missing key anywhere is an error, so a typo
never silently falls back to a default. The file is ``--params``, else ``$LINKTOX_PARAMS``, else
``params.yaml`` at the project root (:mod:`pipeline.paths`).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from pipeline import paths
from pipeline.errors import LinktoxError

PARAMS_ENV = "LINKTOX_PARAMS"


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class BaseConfig(_Frozen):
    seed: int


class GenerateConfig(_Frozen):
    links: int = Field(gt=0)
    holdout_links: int = Field(gt=0)
    sample_links: int = Field(gt=0)
    sample_site: str


class FeaturizeConfig(_Frozen):
    burst_window_days: int = Field(gt=0)
    url_only_share: float = Field(ge=0, lt=1)
    unlisted_share: float = Field(ge=0, lt=1)


class SplitConfig(_Frozen):
    test_size: float = Field(gt=0, lt=0.5)
    valid_size: float = Field(gt=0, lt=0.5)
    holdout_site: str | None


class CalibrationConfig(_Frozen):
    method: Literal["isotonic", "centered_isotonic", "sigmoid"]


class CutoffConfig(_Frozen):
    toxic_precision: float = Field(gt=0, le=1)
    max_toxic_whitelisted: float = Field(ge=0, lt=1)
    use_default_bands: bool
    default_review: float = Field(ge=0, le=100)
    default_toxic: float = Field(ge=0, le=100)
    max_review_share: float = Field(gt=0, le=1)
    truth: Literal["labels", "clean"]

    @model_validator(mode="after")
    def _ordered(self) -> CutoffConfig:
        if self.default_review > self.default_toxic:
            raise ValueError("default_review must not exceed default_toxic")
        return self


class ReviewedConfig(_Frozen):
    weight: float = Field(gt=0)
    min_test_domains: int = Field(ge=2)
    test_size: float = Field(gt=0, lt=1)


LGBM_KEYS = (
    "objective",
    "learning_rate",
    "num_iterations",
    "num_leaves",
    "max_depth",
    "min_data_in_leaf",
    "feature_fraction",
    "bagging_fraction",
    "bagging_freq",
    "lambda_l2",
    "min_gain_to_split",
    "num_threads",
)


class TrainConfig(_Frozen):
    """LightGBM's parameters under their own names, plus the split, calibration and cut-offs."""

    objective: Literal["binary"]
    learning_rate: float = Field(gt=0)
    num_iterations: int = Field(gt=0)
    num_leaves: int = Field(gt=1)
    max_depth: int
    min_data_in_leaf: int = Field(ge=1)
    feature_fraction: float = Field(gt=0, le=1)
    bagging_fraction: float = Field(gt=0, le=1)
    bagging_freq: int = Field(ge=0)
    lambda_l2: float = Field(ge=0)
    min_gain_to_split: float = Field(ge=0)
    num_threads: int = Field(ge=1)
    early_stopping_rounds: int = Field(ge=1)
    split: SplitConfig
    calibration: CalibrationConfig
    cutoffs: CutoffConfig
    monotone: dict[str, Literal[-1, 1]]
    reviewed: ReviewedConfig

    def lgbm_params(self, seed: int, feature_names: Sequence[str]) -> dict[str, Any]:
        """LightGBM parameters, with the settings that make a model file byte-reproducible and
        the monotone directions aligned with ``feature_names``.

        Raises:
            ParamsError: a ``monotone`` key that is not a model feature (a typo would silently
                leave the direction unenforced).
        """
        unknown = sorted(set(self.monotone) - set(feature_names))
        if unknown:
            raise ParamsError(f"train.monotone: {', '.join(unknown)} is not a model feature")
        params = {key: getattr(self, key) for key in LGBM_KEYS}
        if self.monotone:
            params["monotone_constraints"] = [self.monotone.get(n, 0) for n in feature_names]
        params.update(
            seed=seed,
            deterministic=True,
            force_row_wise=True,
            verbosity=-1,
            metric=["average_precision", "binary_logloss"],
        )
        return params


class PrimaryConfig(_Frozen):
    min_reviewed_links: int = Field(ge=1)
    min_reviewed_per_class: int = Field(ge=1)


class EvaluateConfig(_Frozen):
    calibration_bins: int = Field(ge=2)
    primary: PrimaryConfig
    toxic_cutoffs: tuple[Annotated[float, Field(gt=0, lt=100)], ...] = Field(min_length=1)


class PromoteConfig(_Frozen):
    bootstrap_resamples: int = Field(ge=100)
    confidence: float = Field(gt=0.5, lt=1)


class ScoreConfig(_Frozen):
    batch_size: int = Field(gt=0)
    reasons: int = Field(ge=1, le=10)


class Params(_Frozen):
    base: BaseConfig
    generate: GenerateConfig
    featurize: FeaturizeConfig
    train: TrainConfig
    evaluate: EvaluateConfig
    promote: PromoteConfig
    score: ScoreConfig


class ParamsError(LinktoxError):
    """``params.yaml`` is missing, unreadable or does not validate."""


def params_path(explicit: Path | None = None) -> Path:
    """The parameters file: ``explicit``, else ``$LINKTOX_PARAMS``, else the project's."""
    if explicit is not None:
        return explicit
    env = os.environ.get(PARAMS_ENV)
    return Path(env) if env else paths.at_root(paths.PARAMS)


def load_params(path: Path | None = None) -> Params:
    """Read and validate the parameters file (see :func:`params_path`)."""
    path = params_path(path)
    if not path.is_file():
        raise ParamsError(f"{path}: parameters file not found")
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        return Params.model_validate(raw)
    except (yaml.YAMLError, ValidationError) as exc:
        first = str(exc).strip().splitlines()
        raise ParamsError(f"{path}: invalid parameters: {' '.join(first[:3])}") from exc
