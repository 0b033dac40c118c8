"""``labels import`` / ``labels stats`` through typer, as the user runs them."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import polars as pl
import pytest
import typer
from typer.testing import CliRunner

from pipeline.cli import friendly
from pipeline.commands import labels


@pytest.fixture
def run(monkeypatch: pytest.MonkeyPatch) -> Callable[..., Any]:
    monkeypatch.setenv("COLUMNS", "200")
    app = typer.Typer()
    app.command("import")(friendly(labels.import_labels))
    app.command("stats")(friendly(labels.stats))
    runner = CliRunner()
    return functools.partial(runner.invoke, app)


def queue(path: Path, decisions: list[tuple[int, str, str]]) -> Path:
    """A filled queue: (page number, decision, reviewer) per row."""
    pl.DataFrame(
        {
            "source_url": [f"http://www.spam.test/p{n}" for n, _, _ in decisions],
            "target_url": ["https://shop.example/"] * len(decisions),
            "toxicity_score": ["50.0"] * len(decisions),
            "decision": [d for _, d, _ in decisions],
            "reviewer": [r for _, _, r in decisions],
        }
    ).write_csv(path)
    return path


def test_import_then_import_again(tmp_path: Path, run: Callable[..., Any]) -> None:
    store = tmp_path / "labels"
    src = queue(tmp_path / "queue.csv", [(1, "toxic", "alice"), (2, "keep", "alice"), (3, "", "")])
    first = run(["import", str(src), "--store", str(store)])
    assert first.exit_code == 0, first.output
    assert "Imported 2 decisions (1 toxic, 1 not toxic)" in first.output
    assert "1 rows had no decision" in first.output
    second = run(["import", str(src), "--store", str(store)])
    assert second.exit_code == 0, second.output
    assert "already imported" in second.output
    assert len(list((store / "segments").glob("*.parquet"))) == 1


def test_import_warns_about_conflicts(tmp_path: Path, run: Callable[..., Any]) -> None:
    store = tmp_path / "labels"
    run(["import", str(queue(tmp_path / "a.csv", [(1, "toxic", "alice")])), "--store", str(store)])
    result = run(
        ["import", str(queue(tmp_path / "b.csv", [(1, "keep", "bob")])), "--store", str(store)]
    )
    assert result.exit_code == 0, result.output
    assert "warning: 1 conflicts between reviewers" in result.output
    assert "http://www.spam.test/p1" in result.output


def test_bad_decision_exits_2_with_one_line(tmp_path: Path, run: Callable[..., Any]) -> None:
    store = tmp_path / "labels"
    src = queue(tmp_path / "q.csv", [(1, "toxic", "a"), (2, "perhaps", "a")])
    result = run(["import", str(src), "--store", str(store)])
    assert result.exit_code == 2
    assert "line 3" in result.output and "'perhaps'" in result.output
    assert not store.exists() or not list((store / "segments").glob("*"))


def test_reviewer_option(tmp_path: Path, run: Callable[..., Any]) -> None:
    store = tmp_path / "labels"
    src = queue(tmp_path / "q.csv", [(1, "toxic", "")])
    assert run(["import", str(src), "--store", str(store), "--reviewer", "zoe"]).exit_code == 0
    assert pl.read_parquet(next((store / "segments").glob("*.parquet")))["reviewer"][0] == "zoe"


def test_stats(tmp_path: Path, run: Callable[..., Any]) -> None:
    store = tmp_path / "labels"
    empty = run(["stats", "--store", str(store)])
    assert empty.exit_code == 0 and "is empty" in empty.output
    first = queue(tmp_path / "a.csv", [(1, "toxic", "alice"), (2, "ok", "alice")])
    run(["import", str(first), "--store", str(store)])
    run(["import", str(queue(tmp_path / "b.csv", [(1, "keep", "bob")])), "--store", str(store)])
    result = run(["stats", "--store", str(store)])
    assert result.exit_code == 0, result.output
    out = result.output
    for expected in ("Labels", "Reviewers", "alice", "bob", "Source files", "a.csv", "b.csv"):
        assert expected in out
    assert "Conflicts (first 1 of 1)" in out
    # Resolved: p1 -> not toxic (bob, latest), p2 -> not toxic; 3 decisions in 2 links.
    assert "labelled links" in out
    lines = {line.split("│")[1].strip(): line for line in out.splitlines() if line.count("│") > 2}
    assert lines["not toxic"].split("│")[2].strip() == "2"


def test_from_a_subfolder_the_projects_store_is_used_and_named(
    tmp_path: Path, run: Callable[..., Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    from pipeline import paths

    monkeypatch.delenv(paths.ROOT_ENV, raising=False)
    (tmp_path / paths.ROOT_MARKER).write_text("stages: {}\n")
    data = tmp_path / "data"
    data.mkdir()
    src = queue(data / "queue.csv", [(1, "toxic", "alice")])
    monkeypatch.chdir(data)
    result = run(["import", "queue.csv"])
    assert result.exit_code == 0, result.output
    store = tmp_path / "data" / "labels"
    assert "".join(result.output.split()).startswith(f"labelstore:{store}")
    assert len(list((store / "segments").glob("*.parquet"))) == 1
    assert not (data / "data").exists()  # not data/data/labels, which no stage reads
    assert f"{store}" in "".join(run(["stats"]).output.split())
    assert src.is_file()


def test_outside_a_project_import_fails_in_one_line(
    tmp_path: Path, run: Callable[..., Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    from pipeline import paths

    monkeypatch.delenv(paths.ROOT_ENV, raising=False)
    queue(tmp_path / "q.csv", [(1, "toxic", "alice")])
    monkeypatch.chdir(tmp_path)
    result = run(["import", "q.csv"])
    assert result.exit_code == 2
    assert "not inside a linktox project: no dvc.yaml" in result.output
    assert list(tmp_path.iterdir()) == [tmp_path / "q.csv"]


def test_a_renamed_copy_names_the_file_first_imported(
    tmp_path: Path, run: Callable[..., Any]
) -> None:
    store = tmp_path / "labels"
    src = queue(tmp_path / "queue.csv", [(1, "toxic", "alice")])
    run(["import", str(src), "--store", str(store)])
    copy = tmp_path / "queue_copy.csv"
    copy.write_bytes(src.read_bytes())
    result = run(["import", str(copy), "--store", str(store)])
    assert result.exit_code == 0, result.output
    assert "queue_copy.csv holds the same decisions as queue.csv, imported on" in result.output
    assert "already imported" not in result.output


def test_import_and_stats_count_domain_wide_decisions_alike(
    tmp_path: Path, run: Callable[..., Any]
) -> None:
    store = tmp_path / "labels"
    src = tmp_path / "q.csv"
    # Three domain-wide decisions, two of them on the same referring domain.
    pl.DataFrame(
        {
            "source_url": ["http://a.test/1", "http://a.test/2", "http://b.test/1"],
            "target_url": ["https://shop.example/"] * 3,
            "decision": ["toxic"] * 3,
            "reviewer": ["alice"] * 3,
            "scope": ["domain"] * 3,
        }
    ).write_csv(src)
    imported = run(["import", str(src), "--store", str(store)])
    assert "3 domain-wide decisions on 2 referring domains" in imported.output
    stats = run(["stats", "--store", str(store)]).output
    assert re.search(r"domain-wide decisions\s*│\s*3\b", stats)
    assert re.search(r"referring domains decided domain-wide\s*│\s*2\b", stats)
