from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from pydantic import ValidationError
from typer.testing import CliRunner

from pipeline import paths
from pipeline.cli import app
from pipeline.config import PARAMS_ENV, ParamsError, load_params, params_path

REPO_PARAMS = paths.at_root(paths.PARAMS)


def _write(tmp_path: Path, edit) -> Path:
    raw = yaml.safe_load(REPO_PARAMS.read_text(encoding="utf-8"))
    edit(raw)
    path = tmp_path / "params.yaml"
    path.write_text(yaml.safe_dump(raw), encoding="utf-8")
    return path


def test_the_repository_params_file_validates():
    params = load_params(REPO_PARAMS)
    from features.build import FEATURE_COLUMNS

    lgbm = params.train.lgbm_params(params.base.seed, FEATURE_COLUMNS)
    assert lgbm["seed"] == params.base.seed
    assert lgbm["deterministic"] and lgbm["force_row_wise"]
    constraints = dict(zip(FEATURE_COLUMNS, lgbm["monotone_constraints"], strict=True))
    assert constraints["dom_money_anchor_share"] == 1 and constraints["rel_topic_score"] == -1
    assert constraints["src_domain_authority"] == 0  # never constrained: authority is no intent


def test_a_monotone_key_that_is_no_feature_is_an_error():
    from features.build import FEATURE_COLUMNS

    params = load_params(REPO_PARAMS)
    typo = params.train.model_copy(update={"monotone": {"dom_money_share": 1}})
    with pytest.raises(ParamsError, match="dom_money_share"):
        typo.lgbm_params(1, FEATURE_COLUMNS)


def test_unknown_key_is_an_error(tmp_path):
    path = _write(tmp_path, lambda raw: raw["train"].update(learning_rat=0.1))
    with pytest.raises(ParamsError, match="learning_rat"):
        load_params(path)


def test_missing_key_is_an_error_not_a_default(tmp_path):
    path = _write(tmp_path, lambda raw: raw["train"].pop("learning_rate"))
    with pytest.raises(ParamsError, match="learning_rate"):
        load_params(path)


def test_out_of_range_value_is_an_error(tmp_path):
    path = _write(tmp_path, lambda raw: raw["train"]["cutoffs"].update(toxic_precision=1.5))
    with pytest.raises(ParamsError, match="toxic_precision"):
        load_params(path)


def test_a_toxic_cutoff_outside_the_score_range_is_an_error(tmp_path):
    path = _write(tmp_path, lambda raw: raw["evaluate"].update(toxic_cutoffs=[40, 120]))
    with pytest.raises(ParamsError, match="toxic_cutoffs"):
        load_params(path)


def test_absent_file_is_an_error(tmp_path):
    with pytest.raises(ParamsError, match=r"absent\.yaml: parameters file not found"):
        load_params(tmp_path / "absent.yaml")


def test_file_is_found_from_a_subfolder_and_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.chdir(REPO_PARAMS.parent / "data")
    assert params_path() == REPO_PARAMS
    other = _write(tmp_path, lambda raw: raw["base"].update(seed=7))
    monkeypatch.setenv(PARAMS_ENV, str(other))
    assert load_params().base.seed == 7


def test_config_objects_are_frozen():
    params = load_params(REPO_PARAMS)
    with pytest.raises(ValidationError, match="frozen"):
        params.base.seed = 1  # type: ignore[misc]


def test_a_typo_in_params_is_a_one_line_cli_error(tmp_path):
    path = _write(tmp_path, lambda raw: raw["base"].update(sed=1))
    result = CliRunner().invoke(app, ["world", "generate", "--params", str(path), "--out",
                                      str(tmp_path / "w")])  # fmt: skip
    assert result.exit_code == 2
    assert result.output.startswith("error: ") and "sed" in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "w").exists()
