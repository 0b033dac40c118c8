"""``linktox review-queue``: a CSV for reviewers, never a partial file."""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any

import polars as pl
import pytest
import typer
from typer.testing import CliRunner

from pipeline import labels as labelstore
from pipeline.cli import friendly
from pipeline.commands import review_queue
from pipeline.errors import InputError


@pytest.fixture
def run(monkeypatch: pytest.MonkeyPatch) -> Callable[..., Any]:
    monkeypatch.setenv("COLUMNS", "200")
    app = typer.Typer()
    app.command("review-queue")(friendly(review_queue.review_queue))
    app.command("import")(friendly(lambda: None))  # a second command keeps the subcommand name
    return functools.partial(CliRunner().invoke, app)


def scored_frame(n: int = 12) -> pl.DataFrame:
    """What `linktox score` writes for a Semrush-style export: vendor columns plus the score."""
    return pl.DataFrame(
        {
            "Source url": [f"http://www.d{i % 6}.test/p{i}" for i in range(n)],
            "Target url": ["https://shop.example/"] * n,
            "Anchor": ["=HYPERLINK(evil)" if i == 0 else f"anchor {i}" for i in range(n)],
            "External links": [-1, *range(1, n)],
            "ref_domain": [f"d{i % 6}.test" for i in range(n)],
            "toxicity_score": [float(45 + i) for i in range(n)],
            "label": ["review"] * n,
            "reasons": [f"reason {i % 3}; more" for i in range(n)],
        }
    )


def write_scored_csv(path: Path, frame: pl.DataFrame) -> Path:
    """Like the scored writer: text cells starting with = + - @ get a leading quote."""
    frame.with_columns(
        pl.when(pl.col("Anchor").str.contains(r"^[=+\-@]"))
        .then(pl.lit("'") + pl.col("Anchor"))
        .otherwise(pl.col("Anchor"))
        .alias("Anchor")
    ).write_csv(path)
    return path


def test_writes_queue_with_reviewer_columns(tmp_path: Path, run: Callable[..., Any]) -> None:
    scored = write_scored_csv(tmp_path / "scored.csv", scored_frame())
    out = tmp_path / "queue.csv"
    result = run(["review-queue", str(scored), "--out", str(out), "--size", "5", "--seed", "3"])
    assert result.exit_code == 0, result.output
    assert "Review queue" in result.output
    queue = pl.read_csv(out, infer_schema=False)
    assert queue.height == 5
    assert queue.columns == [*scored_frame().columns, "decision", "reviewer", "scope"]
    assert queue["decision"].fill_null("").to_list() == [""] * 5
    assert queue["reviewer"].fill_null("").to_list() == [""] * 5
    assert queue["scope"].to_list() == ["link"] * 5
    # The first pick is the most uncertain link (score 50).
    assert float(queue["toxicity_score"][0]) == 50.0
    # Same seed, same queue.
    again = tmp_path / "again.csv"
    run(["review-queue", str(scored), "--out", str(again), "--size", "5", "--seed", "3"])
    assert again.read_bytes() == out.read_bytes()


def test_formula_guard_survives_and_round_trips(tmp_path: Path) -> None:
    """One guard rule (OWASP, by first character) for every CSV linktox writes: a negative
    number is guarded like any text starting with '-', and reading the queue back undoes it."""
    frame = scored_frame().with_columns(pl.lit(50.0).alias("toxicity_score"))
    scored = write_scored_csv(tmp_path / "scored.csv", frame)
    out = tmp_path / "queue.csv"
    review_queue.review_queue(scored, out, size=12, seed=1)
    queue = pl.read_csv(out, infer_schema=False)
    anchors = dict(zip(queue["Source url"], queue["Anchor"], strict=True))
    assert anchors["http://www.d0.test/p0"] == "'=HYPERLINK(evil)"
    links = dict(zip(queue["Source url"], queue["External links"], strict=True))
    assert links["http://www.d0.test/p0"] == "'-1"
    back = review_queue.read_scored(out)
    links = dict(zip(back["Source url"], back["External links"], strict=True))
    assert links["http://www.d0.test/p0"] == "-1"
    anchors = dict(zip(back["Source url"], back["Anchor"], strict=True))
    assert anchors["http://www.d0.test/p0"] == "=HYPERLINK(evil)"


def test_parquet_input(tmp_path: Path) -> None:
    scored = tmp_path / "scored.parquet"
    scored_frame().write_parquet(scored)
    out = tmp_path / "queue.csv"
    review_queue.review_queue(scored, out, size=12, seed=1)
    queue = pl.read_csv(out, infer_schema=False)
    assert queue.height == 12
    # Parquet holds the raw text; the CSV for spreadsheets gets the formula guard.
    assert "'=HYPERLINK(evil)" in queue["Anchor"].to_list()


HEADER = "toxicity_score,ref_domain\n"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", r"scored\.csv: the file is empty"),
        ("source_url,ref_domain\nhttp://a.test/,a.test\n", r"missing column 'toxicity_score'"),
        ("toxicity_score,source_url\n50,http://a.test/\n", r"missing column 'ref_domain'"),
        (HEADER, r"scored\.csv: no rows"),
        (HEADER + "50,a.test\nhigh,b.test\n", r"line 3: column 'toxicity_score': 'high'"),
        (HEADER + "150,a.test\n", r"line 2: .*'150' is not a score from 0 to 100"),
    ],
)
def test_bad_input_names_file_and_column_and_writes_nothing(
    tmp_path: Path, run: Callable[..., Any], content: str, message: str
) -> None:
    scored = tmp_path / "scored.csv"
    scored.write_text(content, encoding="utf-8")
    out = tmp_path / "queue.csv"
    with pytest.raises(InputError, match=message):
        review_queue.review_queue(scored, out)
    result = run(["review-queue", str(scored), "--out", str(out)])
    assert result.exit_code == 2
    assert "scored.csv" in result.output
    assert list(tmp_path.iterdir()) == [scored]  # no queue, no temporary file


def test_missing_file_and_bad_out_name(tmp_path: Path, run: Callable[..., Any]) -> None:
    result = run(["review-queue", str(tmp_path / "nope.csv"), "--out", str(tmp_path / "q.csv")])
    assert result.exit_code == 2 and "file not found" in result.output
    scored = write_scored_csv(tmp_path / "scored.csv", scored_frame())
    with pytest.raises(InputError, match=r"queue\.xlsx: .*\.csv"):
        review_queue.review_queue(scored, tmp_path / "queue.xlsx")
    zero = run(["review-queue", str(scored), "--out", str(tmp_path / "q.csv"), "--size", "0"])
    assert zero.exit_code != 0
    assert not (tmp_path / "q.csv").exists()


def test_filled_queue_round_trips_into_the_label_store(tmp_path: Path) -> None:
    # A canonical-named scored file, as `linktox score` writes for linktox's own CSV format.
    frame = pl.DataFrame(
        {
            "source_url": ["http://www.a.test/1", "http://www.b.test/2", "http://www.c.test/3"],
            "target_url": ["https://shop.example/"] * 3,
            "anchor": ["=cheap", "hello", "buy"],
            "ref_domain": ["a.test", "b.test", "c.test"],
            "toxicity_score": [50.0, 48.0, 90.0],
            "label": ["review", "review", "toxic"],
            "reasons": ["x", "y", "z"],
        }
    )
    scored = tmp_path / "scored.parquet"
    frame.write_parquet(scored)
    out = tmp_path / "queue.csv"
    review_queue.review_queue(scored, out, size=3, seed=0)
    filled = pl.read_csv(out, infer_schema=False).with_columns(
        pl.Series("decision", ["toxic", "keep", ""]), pl.Series("reviewer", ["ann", "ann", ""])
    )
    filled.write_csv(out)
    store = tmp_path / "labels"
    outcome = labelstore.import_file(out, store_dir=store, reviewer="x")
    assert outcome.created and outcome.blank == 1
    resolved = labelstore.resolve_labels(store)
    got = dict(zip(resolved["source_url"], resolved["label"], strict=True))
    assert got == {"http://www.a.test/1": 1, "http://www.b.test/2": 0}
    assert "=cheap" in resolved["anchor"].to_list()


def test_repeated_rows_are_never_queued_twice() -> None:
    from pipeline.commands.review_queue import _distinct_links

    frame = pl.DataFrame(
        {
            "toxicity_score": [50.0, 50.0, None],
            "problem": ["", "repeats line 2: counted once, scored as that row", "bad URL"],
        }
    )
    assert _distinct_links(frame)["toxicity_score"].to_list() == [50.0, None]


def test_from_a_subfolder_the_projects_params_are_read_and_named(
    tmp_path: Path, run: Callable[..., Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    from pipeline import paths
    from pipeline.config import PARAMS_ENV
    from tests.params import write_params

    for name in (paths.ROOT_ENV, PARAMS_ENV):
        monkeypatch.delenv(name, raising=False)
    (tmp_path / paths.ROOT_MARKER).write_text("stages: {}\n")
    params = write_params(tmp_path / "params.yaml", {"base": {"seed": 11}})
    data = tmp_path / "data"
    data.mkdir()
    write_scored_csv(data / "scored.csv", scored_frame())
    monkeypatch.chdir(data)
    result = run(["review-queue", "scored.csv", "--out", "queue.csv", "--size", "3"])
    assert result.exit_code == 0, result.output
    assert f"parameters: {params}" in "".join(result.output.split("\n"))
    seed_row = next(line for line in result.output.splitlines() if "│ seed" in line)
    assert seed_row.split("│")[2].strip() == "11"  # base.seed of the project's params
    assert (data / "queue.csv").is_file()  # paths typed are taken from where one stands
