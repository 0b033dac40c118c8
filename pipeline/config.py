"""Typed, frozen views of ``params.yaml``: loaded once at the edge, validated, then passed down.

An unknown key anywhere is an error, so a typo in ``params.yaml`` never silently falls back to a
default.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

DEFAULT_PARAMS = Path("params.yaml")


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class BaseConfig(_Frozen):
    seed: int = 42


class GenerateConfig(_Frozen):
    links: int = Field(120_000, gt=0)
    holdout_links: int = Field(40_000, gt=0)
    sample_links: int = Field(20_000, gt=0)
    sample_site: str = "shop-under-attack"


class FeaturizeConfig(_Frozen):
    burst_window_days: int = Field(7, gt=0)


class SplitConfig(_Frozen):
    test_size: float = Field(0.15, gt=0, lt=0.5)
    valid_size: float = Field(0.15, gt=0, lt=0.5)
    holdout_site: str | None = None


class CalibrationConfig(_Frozen):
    method: Literal["isotonic", "sigmoid"] = "isotonic"


class CutoffConfig(_Frozen):
    toxic_precision: float = Field(0.90, gt=0, le=1)
    max_toxic_whitelisted: float = Field(0.10, ge=0, lt=1)
    use_default_bands: bool = False
    default_review: float = Field(45, ge=0, le=100)
    default_toxic: float = Field(60, ge=0, le=100)

    @model_validator(mode="after")
    def _ordered(self) -> CutoffConfig:
        if self.default_review > self.default_toxic:
            raise ValueError("default_review must not exceed default_toxic")
        return self


class ReviewedConfig(_Frozen):
    weight: float = Field(5.0, gt=0)
    min_test_domains: int = Field(20, ge=2)
    test_size: float = Field(0.3, gt=0, lt=1)


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

    objective: Literal["binary"] = "binary"
    learning_rate: float = Field(0.05, gt=0)
    num_iterations: int = Field(600, gt=0)
    num_leaves: int = Field(31, gt=1)
    max_depth: int = -1
    min_data_in_leaf: int = Field(40, ge=1)
    feature_fraction: float = Field(0.8, gt=0, le=1)
    bagging_fraction: float = Field(0.8, gt=0, le=1)
    bagging_freq: int = Field(1, ge=0)
    lambda_l2: float = Field(1.0, ge=0)
    min_gain_to_split: float = Field(0.0, ge=0)
    num_threads: int = Field(2, ge=1)
    early_stopping_rounds: int = Field(50, ge=1)
    split: SplitConfig = SplitConfig()
    calibration: CalibrationConfig = CalibrationConfig()
    cutoffs: CutoffConfig = CutoffConfig()
    reviewed: ReviewedConfig = ReviewedConfig()

    def lgbm_params(self, seed: int) -> dict[str, Any]:
        """LightGBM parameters, with the settings that make a model file byte-reproducible."""
        params = {key: getattr(self, key) for key in LGBM_KEYS}
        params.update(
            seed=seed,
            deterministic=True,
            force_row_wise=True,
            verbosity=-1,
            metric=["average_precision", "binary_logloss"],
        )
        return params


class EvaluateConfig(_Frozen):
    calibration_bins: int = Field(10, ge=2)


class ScoreConfig(_Frozen):
    batch_size: int = Field(250_000, gt=0)
    reasons: int = Field(3, ge=1, le=10)


class Params(_Frozen):
    base: BaseConfig = BaseConfig()
    generate: GenerateConfig = GenerateConfig()
    featurize: FeaturizeConfig = FeaturizeConfig()
    train: TrainConfig = TrainConfig()
    evaluate: EvaluateConfig = EvaluateConfig()
    score: ScoreConfig = ScoreConfig()


class ParamsError(ValueError):
    """``params.yaml`` is missing, unreadable or does not validate."""


def load_params(path: Path = DEFAULT_PARAMS) -> Params:
    """Read and validate ``params.yaml``; a missing file means all defaults."""
    if not path.exists():
        return Params()
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        return Params.model_validate(raw)
    except (yaml.YAMLError, ValidationError) as exc:
        first = str(exc).strip().splitlines()
        raise ParamsError(f"{path}: invalid parameters: {' '.join(first[:3])}") from exc
