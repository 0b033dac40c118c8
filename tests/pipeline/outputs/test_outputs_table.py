"""Scored table writer: CSV formula neutralisation, Parquet as-is, atomic and streamed writes."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import polars as pl
import pytest

from pipeline.errors import LinktoxError
from pipeline.outputs import guard_frame, write_scored, write_scored_batches

DANGEROUS = ["=1+1", "+SUM(A1)", "-2+3", "@cmd", "\tx", "\rx"]
SAFE = ["plain", "a=b", " =not first", "", "'=already"]


def _frame() -> pl.DataFrame:
    n = len(DANGEROUS) + len(SAFE)
    return pl.DataFrame(
        {
            "anchor": DANGEROUS + SAFE,
            "delta": list(range(-n, 0)),  # negative numbers: data, not formulas
            "score": [-1.5] * n,
        }
    )


def _files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_dangerous_text_cells_are_prefixed_with_a_quote() -> None:
    out = guard_frame(_frame())
    anchors = out.get_column("anchor").to_list()
    assert anchors[: len(DANGEROUS)] == ["'" + cell for cell in DANGEROUS]
    assert anchors[len(DANGEROUS) :] == SAFE


def test_numeric_columns_and_nulls_are_untouched() -> None:
    frame = _frame().with_columns(pl.lit(None, dtype=pl.String).alias("empty"))
    out = guard_frame(frame)
    assert out.get_column("delta").equals(frame.get_column("delta"))
    assert out.get_column("score").dtype == pl.Float64
    assert out.get_column("empty").null_count() == frame.height


def test_categorical_text_is_neutralised_too() -> None:
    frame = pl.DataFrame({"c": pl.Series(["=x", "y"], dtype=pl.Categorical)})
    assert guard_frame(frame).get_column("c").to_list() == ["'=x", "y"]


def test_csv_is_written_neutralised(tmp_path: Path) -> None:
    path = tmp_path / "scored.csv"
    write_scored(_frame(), path)
    back = pl.read_csv(path, schema_overrides={"anchor": pl.String})
    assert back.get_column("anchor").str.starts_with("'").sum() == len(DANGEROUS) + 1
    assert back.get_column("delta").to_list() == _frame().get_column("delta").to_list()
    assert "\n-1.5\n" in path.read_text().replace(",", "\n")  # the number is written bare


def test_parquet_keeps_values_as_is(tmp_path: Path) -> None:
    path = tmp_path / "scored.parquet"
    write_scored(_frame(), path)
    assert pl.read_parquet(path).equals(_frame())


def test_other_extensions_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "scored.xlsx"
    with pytest.raises(LinktoxError, match=r"scored\.xlsx.*\.csv or \.parquet"):
        write_scored(_frame(), path)
    assert _files(tmp_path) == []


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_batches_equal_one_write(tmp_path: Path, suffix: str) -> None:
    frame = _frame()
    whole, streamed = tmp_path / f"whole{suffix}", tmp_path / f"streamed{suffix}"
    write_scored(frame, whole)
    rows = write_scored_batches(frame.iter_slices(4), streamed)
    assert rows == frame.height
    if suffix == ".csv":
        assert streamed.read_bytes() == whole.read_bytes()  # one header, same cells
    else:
        assert pl.read_parquet(streamed).equals(pl.read_parquet(whole))


def test_parquet_batch_with_an_all_null_column_takes_the_file_type(tmp_path: Path) -> None:
    first = pl.DataFrame({"a": ["x"], "n": [1.0]})
    nulls = pl.DataFrame({"a": [None], "n": [None]})  # dtype Null
    write_scored_batches([first, nulls], tmp_path / "t.parquet")
    back = pl.read_parquet(tmp_path / "t.parquet")
    assert back.schema == first.schema
    assert back.height == 2


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_failure_mid_stream_leaves_no_file(tmp_path: Path, suffix: str) -> None:
    def batches() -> Iterator[pl.DataFrame]:
        yield _frame()
        raise RuntimeError("disk on fire")

    with pytest.raises(RuntimeError, match="disk on fire"):
        write_scored_batches(batches(), tmp_path / f"scored{suffix}")
    assert _files(tmp_path) == []  # neither the target nor a temporary file


def test_failure_keeps_the_previous_file(tmp_path: Path) -> None:
    path = tmp_path / "scored.csv"
    path.write_text("old\n")

    def batches() -> Iterator[pl.DataFrame]:
        yield _frame()
        raise RuntimeError("stop")

    with pytest.raises(RuntimeError):
        write_scored_batches(batches(), path)
    assert path.read_text() == "old\n"
    assert _files(tmp_path) == ["scored.csv"]


def test_batches_must_share_columns(tmp_path: Path) -> None:
    batches = [pl.DataFrame({"a": ["x"]}), pl.DataFrame({"b": ["y"]})]
    with pytest.raises(ValueError, match=r"batch 2 has columns \['b'\]"):
        write_scored_batches(batches, tmp_path / "t.csv")
    assert _files(tmp_path) == []


def test_no_batches_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="at least one batch"):
        write_scored_batches([], tmp_path / "t.csv")
