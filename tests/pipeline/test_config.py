from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from pipeline.config import ParamsError, load_params


def test_the_repository_params_file_validates():
    params = load_params(Path(__file__).parents[2] / "params.yaml")
    lgbm = params.train.lgbm_params(params.base.seed)
    assert lgbm["seed"] == params.base.seed
    assert lgbm["deterministic"] and lgbm["force_row_wise"]


def test_unknown_key_is_an_error(tmp_path):
    path = tmp_path / "params.yaml"
    path.write_text("train:\n  learning_rat: 0.1\n")
    with pytest.raises(ParamsError, match="learning_rat"):
        load_params(path)


def test_out_of_range_value_is_an_error(tmp_path):
    path = tmp_path / "params.yaml"
    path.write_text("train:\n  cutoffs:\n    toxic_precision: 1.5\n")
    with pytest.raises(ParamsError, match="toxic_precision"):
        load_params(path)


def test_config_objects_are_frozen(tmp_path):
    params = load_params(tmp_path / "absent.yaml")
    with pytest.raises(ValidationError, match="frozen"):
        params.base.seed = 1  # type: ignore[misc]
