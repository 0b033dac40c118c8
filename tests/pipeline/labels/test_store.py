"""The label store: idempotent, append-only, crash-safe imports and label resolution."""

from __future__ import annotations

import os
import sys
import types
from datetime import UTC, datetime
from pathlib import Path

import polars as pl
import pytest

from pipeline import labels as ls
from pipeline.errors import InputError
from pipeline.labels import reviewed_file

T0 = datetime(2024, 1, 1, tzinfo=UTC)
T1 = datetime(2024, 2, 1, tzinfo=UTC)
T2 = datetime(2024, 3, 1, tzinfo=UTC)


def write_csv(path: Path, rows: list[dict[str, str]]) -> Path:
    """A reviewed file with canonical column names, all cells as text (as a spreadsheet saves)."""
    pl.DataFrame(rows).write_csv(path)
    return path


def link(n: int, domain: str = "spam.test", **extra: str) -> dict[str, str]:
    return {
        "source_url": f"http://www.{domain}/page{n}",
        "target_url": "https://shop.example/",
        "anchor": "cheap pills",
        **extra,
    }


def add(
    tmp_path: Path, store: Path, name: str, rows: list[dict[str, str]], reviewer: str, now: datetime
) -> ls.ImportOutcome:
    """Write a reviewed CSV and import it."""
    return ls.import_file(
        write_csv(tmp_path / name, rows), store_dir=store, reviewer=reviewer, now=now
    )


def labels(store: Path) -> dict[str, int]:
    resolved = ls.resolve_labels(store)
    return dict(zip(resolved["source_url"], resolved["label"], strict=True))


@pytest.fixture
def store(tmp_path: Path) -> Path:
    return tmp_path / "labels"


def test_empty_or_absent_store_resolves_to_typed_empty_frames(store: Path) -> None:
    resolved = ls.resolve_labels(store)
    assert resolved.is_empty()
    assert resolved.schema["label"] == pl.Int8
    assert resolved.schema["first_seen"] == pl.Date
    assert ls.domain_decisions(store).is_empty()
    assert ls.conflicts(store).is_empty()
    (store / "segments").mkdir(parents=True)
    assert ls.read_decisions(store).is_empty()


def test_import_writes_one_normalized_segment(tmp_path: Path, store: Path) -> None:
    src = write_csv(
        tmp_path / "queue.csv",
        [
            link(1, decision="toxic", reviewer="alice", ref_domain="spam.test"),
            link(2, decision="", reviewer="alice"),
            link(3, decision="keep"),
        ],
    )
    outcome = ls.import_file(src, store_dir=store, reviewer="bob", now=T0)
    assert outcome.created
    assert outcome.blank == 1
    assert ls.segment_paths(store) == [outcome.segment]
    stored = pl.read_parquet(outcome.segment)
    assert set(ls.SEGMENT_SCHEMA) <= set(stored.columns)
    assert stored["decision"].to_list() == ["toxic", "not_toxic"]
    assert stored["reviewer"].to_list() == ["alice", "bob"]  # file column, then --reviewer
    assert stored["ref_domain"].to_list() == ["spam.test", "spam.test"]  # given, then derived
    assert stored["scope"].to_list() == ["link", "link"]
    assert stored["source_file"].to_list() == ["queue.csv", "queue.csv"]
    assert stored["decided_at"].to_list() == [T0, T0]
    assert stored["imported_at"].to_list() == [T0, T0]


def test_importing_the_same_file_twice_changes_nothing(tmp_path: Path, store: Path) -> None:
    src = write_csv(tmp_path / "queue.csv", [link(1, decision="toxic"), link(2, decision="ok")])
    first = ls.import_file(src, store_dir=store, reviewer="alice", now=T0)
    before = ls.resolve_labels(store)
    again = ls.import_file(src, store_dir=store, reviewer="alice", now=T1)
    assert first.created and not again.created
    assert again.segment == first.segment
    assert ls.segment_paths(store) == [first.segment]
    assert ls.resolve_labels(store).equals(before)
    # The same content under another name ("queue (1).csv") is the same decisions.
    copy = write_csv(
        tmp_path / "queue (1).csv", [link(1, decision="toxic"), link(2, decision="ok")]
    )
    assert not ls.import_file(copy, store_dir=store, reviewer="alice", now=T2).created
    # Different content is a new segment.
    other = write_csv(tmp_path / "next.csv", [link(1, decision="not toxic")])
    assert ls.import_file(other, store_dir=store, reviewer="alice", now=T2).created
    assert len(ls.segment_paths(store)) == 2


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("toxic", "toxic"),
        ("Disavow", "toxic"),
        ("REMOVE", "toxic"),
        ("delete", "toxic"),
        ("bad", "toxic"),
        ("Spam", "toxic"),
        ("1", "toxic"),
        ("yes", "toxic"),
        ("TRUE", "toxic"),
        ("thumbs down", "toxic"),
        ("Thumbs-Down", "toxic"),
        ("not_toxic", "not_toxic"),
        ("Not Toxic", "not_toxic"),
        ("not-toxic", "not_toxic"),
        ("keep", "not_toxic"),
        ("Whitelist", "not_toxic"),
        ("OK", "not_toxic"),
        ("good", "not_toxic"),
        ("clean", "not_toxic"),
        ("safe", "not_toxic"),
        ("0", "not_toxic"),
        ("no", "not_toxic"),
        ("false", "not_toxic"),
        ("thumbs up", "not_toxic"),
        ("  keep  ", "not_toxic"),
    ],
)
def test_decision_aliases(tmp_path: Path, value: str, expected: str) -> None:
    src = write_csv(tmp_path / "q.csv", [link(1, decision=value)])
    reviewed = ls.load_reviewed_file(src, reviewer="alice")
    assert reviewed.decisions["decision"].to_list() == [expected]


def test_bad_decision_names_file_line_and_value(tmp_path: Path, store: Path) -> None:
    src = write_csv(
        tmp_path / "q.csv",
        [link(1, decision="toxic"), link(2, decision=""), link(3, decision="maybe")],
    )
    with pytest.raises(InputError, match=r"q\.csv: line 4: .*'maybe'.*accepted.*not_toxic"):
        ls.import_file(src, store_dir=store, reviewer="alice")
    assert ls.segment_paths(store) == []


def test_file_without_decisions_is_an_error(tmp_path: Path, store: Path) -> None:
    blank = write_csv(tmp_path / "blank.csv", [link(1, decision=""), link(2, decision="")])
    with pytest.raises(InputError, match=r"blank\.csv: no decisions to import \(2 rows"):
        ls.import_file(blank, store_dir=store, reviewer="alice")
    no_column = write_csv(tmp_path / "scored.csv", [link(1, label="toxic")])
    with pytest.raises(InputError, match=r"scored\.csv: no decision column"):
        ls.import_file(no_column, store_dir=store, reviewer="alice")
    with pytest.raises(InputError, match="file not found"):
        ls.import_file(tmp_path / "missing.csv", store_dir=store)


def test_bad_scope_and_date_values_are_errors(tmp_path: Path) -> None:
    src = write_csv(tmp_path / "q.csv", [link(1, decision="toxic", scope="everything")])
    with pytest.raises(InputError, match=r"line 2: column 'scope': unknown scope 'everything'"):
        ls.load_reviewed_file(src)
    src = write_csv(tmp_path / "d.csv", [link(1, decision="toxic", decided_at="yesterday")])
    with pytest.raises(InputError, match=r"line 2: column 'decided_at'.*'yesterday'"):
        ls.load_reviewed_file(src)


def test_reviewer_falls_back_to_the_os_user(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(reviewed_file.getpass, "getuser", lambda: "os-user")
    src = write_csv(tmp_path / "q.csv", [link(1, decision="toxic")])
    assert ls.load_reviewed_file(src).decisions["reviewer"].to_list() == ["os-user"]
    assert ls.load_reviewed_file(src, reviewer="carol").decisions["reviewer"].to_list() == ["carol"]


def test_formula_guard_is_removed_on_read(tmp_path: Path) -> None:
    src = write_csv(tmp_path / "q.csv", [link(1, decision="toxic") | {"anchor": "'=cheap"}])
    assert ls.load_reviewed_file(src, reviewer="a").decisions["anchor"].to_list() == ["=cheap"]


def test_conflicts_between_reviewers_are_reported(tmp_path: Path, store: Path) -> None:
    a = write_csv(
        tmp_path / "alice.csv",
        [link(1, decision="toxic", reviewer="alice"), link(2, decision="toxic", reviewer="alice")],
    )
    b = write_csv(
        tmp_path / "bob.csv",
        [link(1, decision="keep", reviewer="bob"), link(2, decision="toxic", reviewer="bob")],
    )
    assert ls.import_file(a, store_dir=store, now=T0).conflicts.is_empty()
    outcome = ls.import_file(b, store_dir=store, now=T1)
    found = ls.conflicts(store)
    assert found.height == 1
    row = found.row(0, named=True)
    assert row["source_url"] == "http://www.spam.test/page1"
    assert (row["toxic_reviewers"], row["not_toxic_reviewers"]) == ("alice", "bob")
    assert row["latest"] == "not_toxic"
    assert outcome.conflicts.equals(found)
    # Alice changes her mind and agrees with Bob: no conflict any more.
    c = write_csv(tmp_path / "alice2.csv", [link(1, decision="keep", reviewer="alice")])
    ls.import_file(c, store_dir=store, now=T2)
    assert ls.conflicts(store).is_empty()


def test_one_reviewer_changing_their_mind_is_not_a_conflict(tmp_path: Path, store: Path) -> None:
    add(tmp_path, store, "a.csv", [link(1, decision="toxic")], "alice", T0)
    add(tmp_path, store, "b.csv", [link(1, decision="keep")], "alice", T1)
    assert ls.conflicts(store).is_empty()
    assert labels(store) == {"http://www.spam.test/page1": 0}


def test_latest_decision_wins(tmp_path: Path, store: Path) -> None:
    # Without dates in the files, the later import is the later decision.
    add(tmp_path, store, "a.csv", [link(1, decision="toxic")], "alice", T1)
    add(tmp_path, store, "b.csv", [link(1, decision="keep")], "bob", T2)
    assert labels(store) == {"http://www.spam.test/page1": 0}
    # A file's own decision time counts: imported last, but decided before the others.
    old = write_csv(
        tmp_path / "old.csv", [link(1, decision="toxic", decided_at="2023-12-01T10:00:00Z")]
    )
    ls.import_file(old, store_dir=store, reviewer="carol", now=datetime(2024, 6, 1, tzinfo=UTC))
    assert labels(store) == {"http://www.spam.test/page1": 0}
    new = write_csv(tmp_path / "new.csv", [link(1, decision="spam", decided_at="2024-05-01")])
    ls.import_file(new, store_dir=store, reviewer="dave", now=datetime(2024, 6, 2, tzinfo=UTC))
    resolved = ls.resolve_labels(store).row(0, named=True)
    assert (resolved["label"], resolved["reviewer"]) == (1, "dave")
    assert resolved["source_file"] == "new.csv"
    assert resolved["decided_at"] == datetime(2024, 5, 1, tzinfo=UTC)


def test_domain_decisions_expand_and_link_decisions_override(tmp_path: Path, store: Path) -> None:
    links = write_csv(
        tmp_path / "links.csv",
        [link(1, decision="keep"), link(9, domain="other.test", decision="toxic")],
    )
    ls.import_file(links, store_dir=store, reviewer="alice", now=T0)
    domain = write_csv(
        tmp_path / "domain.csv",
        [link(2, decision="toxic", scope="domain"), link(3, decision="toxic", scope="Domain")],
    )
    ls.import_file(domain, store_dir=store, reviewer="bob", now=T1)
    resolved = ls.resolve_labels(store)
    by_url = {row["source_url"]: row for row in resolved.iter_rows(named=True)}
    assert by_url["http://www.spam.test/page1"]["label"] == 0  # link-level beats domain-wide
    assert by_url["http://www.spam.test/page1"]["scope"] == "link"
    assert by_url["http://www.spam.test/page2"]["label"] == 1
    assert by_url["http://www.spam.test/page2"]["scope"] == "domain"
    assert by_url["http://www.other.test/page9"]["label"] == 1
    assert ls.domain_decisions(store)["ref_domain"].to_list() == ["spam.test"]

    # A later domain-wide verdict relabels every link of the domain that has no own decision.
    later = write_csv(tmp_path / "later.csv", [link(4, decision="keep", scope="domain")])
    ls.import_file(later, store_dir=store, reviewer="carol", now=T2)
    assert labels(store) == {
        "http://www.spam.test/page1": 0,
        "http://www.spam.test/page2": 0,
        "http://www.spam.test/page3": 0,
        "http://www.spam.test/page4": 0,
        "http://www.other.test/page9": 1,
    }
    # Domain-wide reviewers disagreeing is a conflict at domain level.
    found = ls.conflicts(store)
    assert found.select("scope", "ref_domain", "toxic_reviewers", "not_toxic_reviewers").rows() == [
        ("domain", "spam.test", "bob", "carol")
    ]


def test_apply_labels_reaches_links_the_store_has_never_seen(tmp_path: Path, store: Path) -> None:
    src = write_csv(
        tmp_path / "q.csv",
        [link(1, decision="keep"), link(2, decision="toxic", scope="domain")],
    )
    ls.import_file(src, store_dir=store, reviewer="alice", now=T0)
    frame = pl.DataFrame(
        {
            "source_url": ["http://www.spam.test/page1", "http://new.spam.test/x", "http://a.b/"],
            "target_url": ["https://shop.example/"] * 3,
            "ref_domain": ["spam.test", "spam.test", "a.b"],
        }
    )
    out = ls.apply_labels(frame, ls.read_decisions(store))
    assert out["reviewed_label"].to_list() == [0, 1, None]
    assert out["reviewed_scope"].to_list() == ["link", "domain", None]
    assert out["source_url"].equals(frame["source_url"])


def test_semrush_audit_status_mapping(tmp_path: Path, store: Path) -> None:
    src = write_csv(
        tmp_path / "semrush_audit.csv",
        [
            link(1, Status="Whitelist"),
            link(2, Status="Disavow"),
            link(3, Status="Remove"),
            link(4, Status=""),
            link(5, Status="For review"),
            link(6, domain="evil.test", Status="Disavow domain"),
            link(7, domain="worse.test", Status="Disavow", **{"Disavow level": "Domain"}),
        ],
    )
    reviewed = ls.load_reviewed_file(src, reviewer="alice")
    assert reviewed.blank == 2
    got = reviewed.decisions.select("source_url", "decision", "scope", "ref_domain").rows()
    assert got == [
        ("http://www.spam.test/page1", "not_toxic", "link", "spam.test"),
        ("http://www.spam.test/page2", "toxic", "link", "spam.test"),
        ("http://www.spam.test/page3", "toxic", "link", "spam.test"),
        ("http://www.evil.test/page6", "toxic", "domain", "evil.test"),
        ("http://www.worse.test/page7", "toxic", "domain", "worse.test"),
    ]
    bad = write_csv(tmp_path / "bad.csv", [link(1, Status="Whitelist"), link(2, Status="Hmm")])
    with pytest.raises(InputError, match=r"bad\.csv: line 3: .*Semrush status 'Hmm'"):
        ls.load_reviewed_file(bad)


def _store_snapshot(store: Path) -> list[str]:
    return sorted(p.name for p in (store / "segments").iterdir())


def test_killed_import_during_write_leaves_store_unchanged(
    tmp_path: Path, store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    add(tmp_path, store, "a.csv", [link(1, decision="toxic")], "alice", T0)
    files, resolved = _store_snapshot(store), ls.resolve_labels(store)

    def half_write(self: pl.DataFrame, path: Path, *args: object, **kwargs: object) -> None:
        Path(path).write_bytes(b"PAR1 half a segment")
        raise KeyboardInterrupt  # the user hits Ctrl-C mid-write

    monkeypatch.setattr(pl.DataFrame, "write_parquet", half_write)
    src = write_csv(tmp_path / "b.csv", [link(1, decision="keep"), link(2, decision="keep")])
    with pytest.raises(KeyboardInterrupt):
        ls.import_file(src, store_dir=store, reviewer="bob", now=T1)
    assert _store_snapshot(store) == files  # no segment, and no temporary file left behind
    assert ls.resolve_labels(store).equals(resolved)


def test_killed_import_before_rename_leaves_store_unchanged(
    tmp_path: Path, store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    add(tmp_path, store, "a.csv", [link(1, decision="toxic")], "alice", T0)
    files, resolved = _store_snapshot(store), ls.resolve_labels(store)

    def killed(src: object, dst: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", killed)
    src = write_csv(tmp_path / "b.csv", [link(1, decision="keep")])
    with pytest.raises(KeyboardInterrupt):
        ls.import_file(src, store_dir=store, reviewer="bob", now=T1)
    monkeypatch.undo()
    assert _store_snapshot(store) == files
    assert ls.resolve_labels(store).equals(resolved)
    # After the interruption the same import simply works.
    assert ls.import_file(src, store_dir=store, reviewer="bob", now=T1).created
    assert labels(store) == {"http://www.spam.test/page1": 0}


def test_reader_ignores_temporary_files_left_by_a_hard_kill(tmp_path: Path, store: Path) -> None:
    add(tmp_path, store, "a.csv", [link(1, decision="toxic")], "alice", T0)
    resolved = ls.resolve_labels(store)
    # What SIGKILL between "write temp" and "rename" leaves: a hidden, half-written file.
    (store / "segments" / ".abc.parquet.x1y2.tmp").write_bytes(b"PAR1 garbage")
    (store / "segments" / ".hidden.parquet").write_bytes(b"PAR1 garbage")
    assert ls.resolve_labels(store).equals(resolved)


def test_corrupt_segment_is_an_error_not_a_silent_loss(tmp_path: Path, store: Path) -> None:
    add(tmp_path, store, "a.csv", [link(1, decision="toxic")], "alice", T0)
    (store / "segments" / "broken.parquet").write_bytes(b"not parquet")
    with pytest.raises(InputError, match=r"broken\.parquet: unreadable label segment"):
        ls.resolve_labels(store)


def test_uses_the_importers_links_and_original_columns(
    tmp_path: Path, store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With pipeline.importers present, links come from ``.links``, decisions from ``.original``."""
    src = tmp_path / "audit.csv"
    src.write_text("vendor file; the stand-in importer below does the reading\n", encoding="utf-8")
    original = pl.DataFrame(
        {
            "Source url": ["http://www.a.test/1", "http://www.b.test/2", "http://www.c.test/3"],
            "Target url": ["https://shop.example/"] * 3,
            "Anchor": ["'=SUM(A1)", "hi", "x"],
            "Status": ["Whitelist", "Disavow domain", "For review"],
        }
    )
    links = original.select(
        pl.col("Source url").alias("source_url"),
        pl.col("Target url").alias("target_url"),
        pl.col("Anchor").alias("anchor"),
    )
    calls: list[Path] = []

    class Result:
        def __init__(self) -> None:
            self.links, self.original, self.format = links, original, "semrush_audit"

    def read_export(path: Path, fmt: str | None = None, **_: object) -> Result:
        calls.append(Path(path))
        return Result()

    fake = types.ModuleType("pipeline.importers")
    fake.read_export = read_export  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "pipeline.importers", fake)
    outcome = ls.import_file(src, store_dir=store, reviewer="alice", now=T0)
    assert calls == [src]
    assert outcome.blank == 1
    got = outcome.decisions.select("source_url", "anchor", "decision", "scope", "ref_domain").rows()
    assert got == [
        ("http://www.a.test/1", "=SUM(A1)", "not_toxic", "link", "a.test"),
        ("http://www.b.test/2", "hi", "toxic", "domain", "b.test"),
    ]
