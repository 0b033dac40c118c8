"""The fast path (polars' own CSV reader) gives exactly what the careful line splitter gives.

Every input is read twice, with ``read.FAST_CSV`` on and off: chunk by chunk (``open_table``:
frames, positions, malformed rows and cells) and as an import (``read_export`` in the three
``on_error`` modes: links, original columns, problems, row counts, skipped rows), and every error
message must be the same. Inputs are tricky CSVs (quoted newlines, quotes inside fields, BOM,
CRLF and lone CR, blank and trailing lines, ragged rows, repeated rows, NUL bytes, bad UTF-8,
UTF-16, TSV, ``sep=;``, empty file, header only), the fixtures and the sample exports, in several
chunk and block sizes. For well-formed files the fast path must also really be taken.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from polars.testing import assert_frame_equal, assert_series_equal

from pipeline.errors import InputError
from pipeline.importers import read as read_module
from pipeline.importers import read_export
from pipeline.importers.detect import KNOWN_COLUMNS
from tests.pipeline.importers.conftest import FIXTURES

ROOT = Path(__file__).resolve().parents[3]
SAMPLES = [ROOT / "data" / "raw" / name for name in ("sample_semrush.csv", "sample_export.csv")]
SAMPLES.append(ROOT / "data" / "raw" / "sample_ahrefs.tsv")

HEADER = "Source url,Target url,Anchor,Nofollow"
A = "https://a.example.org/,https://example.com/,one,FALSE"
B = "https://b.example.org/x,https://example.com/p,two,TRUE"
C = "https://c.example.org/,https://example.com/,three,FALSE"


def _csv(*lines: str, header: str = HEADER, end: str = "\n") -> bytes:
    return (end.join([header, *lines]) + end).encode("utf-8")


# name -> file bytes; "fast" cases must be read by polars, the others may fall back.
FAST_CASES: dict[str, bytes] = {
    "plain": _csv(A, B, C),
    "crlf": _csv(A, B, C, end="\r\n"),
    "bom": b"\xef\xbb\xbf" + _csv(A, B, C),
    "no final newline": _csv(A, B, C)[:-1],
    "trailing empty lines": _csv(A, B, C) + b"\n\n\n",
    "blank lines inside": _csv(A, "", B, ",,,", " , ,\t, ", C),
    "quoted fields": _csv(
        'https://a.example.org/,https://example.com/,"one, two",FALSE',
        'https://b.example.org/,https://example.com/,"say ""hi""",TRUE',
        'https://c.example.org/,https://example.com/,"",FALSE',
        '"https://d.example.org/","https://example.com/",""""," TRUE "',
    ),
    "repeated rows": _csv(A, B, A, A, C, B),
    "unicode": _csv(
        "https://bücher.de/,https://example.com/,Crédit rapide 日本,FALSE",
        "https://ex.org/\u00a0,https://example.com/,\u2003,TRUE",
    ),
    "tsv": _csv(A.replace(",", "\t"), B.replace(",", "\t"), header=HEADER.replace(",", "\t")),
    "semicolon sep line": b"sep=;\n" + _csv(A.replace(",", ";"), header=HEADER.replace(",", ";")),
    "preamble": b"Moz export\nSite: example.com\n\n" + _csv(A, B),
    "bad urls": _csv(A, "ftp://x.example.org/,https://example.com/,bad,FALSE", ",,empty,TRUE", C),
    "mid-file bom": _csv(A, "\ufeff" + B, C),
    # A stray NUL in a cell after the file's first characters: removed from both paths' text.
    "stray nul": _csv(*[A] * 80, "https://b.example.org/,https://example.com/,t\x00o,TRUE", C),
}
CAREFUL_CASES: dict[str, bytes] = {
    "quoted newline": _csv(A, 'https://b.example.org/,https://example.com/,"two\nlines",TRUE', C),
    "quoted crlf": _csv(A, 'https://b.example.org/,https://example.com/,"two\r\nl",TRUE', C),
    "stray quote": _csv(A, 'https://b.example.org/,https://example.com/,12" screen,FALSE', C),
    "quote then text": _csv(A, 'https://b.example.org/,https://example.com/,"a"b,FALSE', C),
    "open quote": _csv(A, 'https://b.example.org/,https://example.com/,"never closed,FALSE', C),
    "short row": _csv(A, "https://b.example.org/,https://example.com/", C),
    "long row": _csv(A, B + ",extra", C),
    "extra empty fields": _csv(A, B + ",,", C),
    "lone cr": _csv(A, B, C, end="\r"),
    "mixed endings": _csv(A, B).replace(b"\n", b"\r", 1) + (C + "\r\n").encode(),
    "nul byte": _csv(A, "https://b.example.org/,https://example.com/,t\x00o,TRUE", C),
    "bad utf-8": _csv(A, B) + b"https://c.example.org/,https://example.com/,\xff,FALSE\n",
    "utf-16": "\ufeff".encode("utf-16-le") + _csv(A, B).decode().encode("utf-16-le"),
    "empty": b"",
    "blank only": b"\n \n",
    "header only": _csv(),
    "header and blank lines": _csv("", ",,,"),
    "multi-line header": b'Source url,"Target\nurl",Anchor,Nofollow\n' + _csv(A, header=""),
    "all rows bad": _csv("ftp://x.example.org/,https://example.com/,bad,FALSE"),
}
CHUNKS = (1, 2, 3, 7, read_module.CHUNK_ROWS)
BLOCKS = (5, read_module.BLOCK_BYTES)


def _outcome(call: Callable[[], Any]) -> Any:
    """What a read gives: its value, or its one-line error."""
    try:
        return call()
    except InputError as exc:
        return ("InputError", str(exc))


def _tables(path: Path, chunk_rows: int) -> list[Any]:
    stream = read_module.open_table(path, KNOWN_COLUMNS, chunk_rows=chunk_rows)
    return [(stream.columns, stream.delimiter, stream.encoding), *stream.chunks()]


def _assert_same(fast: Any, careful: Any) -> None:
    """Equal outcomes, frames and series compared with their dtypes and names."""
    if isinstance(careful, tuple) and careful and careful[0] == "InputError":
        assert fast == careful
        return
    assert not (isinstance(fast, tuple) and fast and fast[0] == "InputError"), fast
    if isinstance(careful, list):
        assert len(fast) == len(careful)
        for one, other in zip(fast, careful, strict=True):
            _assert_same(one, other)
    elif isinstance(careful, read_module.RawTable):
        assert (fast.path, fast.unit, fast.delimiter, fast.encoding) == (
            careful.path, careful.unit, careful.delimiter, careful.encoding,
        )  # fmt: skip
        assert_frame_equal(fast.frame, careful.frame)
        assert_series_equal(fast.positions, careful.positions)
        assert_frame_equal(fast.malformed, careful.malformed)
        assert (fast.malformed_cells is None) == (careful.malformed_cells is None)
        if careful.malformed_cells is not None:
            assert_frame_equal(fast.malformed_cells, careful.malformed_cells)
    else:
        assert fast == careful


def _assert_same_import(fast: Any, careful: Any) -> None:
    if isinstance(careful, tuple):
        assert fast == careful
        return
    assert not isinstance(fast, tuple), fast
    for name in ("links", "original"):
        assert_frame_equal(getattr(fast, name), getattr(careful, name))
    for name in ("positions", "problem", "duplicate_of", "scorable"):
        assert_series_equal(getattr(fast, name), getattr(careful, name))
    for name in ("format", "path", "skipped", "problems", "rows"):
        assert getattr(fast, name) == getattr(careful, name)


@pytest.fixture
def fast_calls(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[bool]]:
    """Whether each chunk offered to the fast path was taken by it."""
    calls: list[bool] = []
    original = read_module._fast_cut

    def counted(*args: Any) -> Any:
        table = original(*args)
        calls.append(table is not None)
        return table

    monkeypatch.setattr(read_module, "_fast_cut", counted)
    yield calls


def _compare(
    path: Path, monkeypatch: pytest.MonkeyPatch, chunk_rows: int, *, imports: bool = True
) -> None:
    results = {}
    for fast in (True, False):
        monkeypatch.setattr(read_module, "FAST_CSV", fast)
        results[fast] = [_outcome(lambda: _tables(path, chunk_rows))]
        if imports:
            results[fast] += [
                _outcome(lambda mode=mode: read_export(path, on_error=mode))  # type: ignore[misc]
                for mode in ("keep", "skip", "fail")
            ]
    monkeypatch.setattr(read_module, "FAST_CSV", True)
    _assert_same(results[True][0], results[False][0])
    for fast, careful in zip(results[True][1:], results[False][1:], strict=True):
        _assert_same_import(fast, careful)


@pytest.mark.parametrize("block_bytes", BLOCKS)
@pytest.mark.parametrize("chunk_rows", CHUNKS)
@pytest.mark.parametrize("case", sorted(FAST_CASES))
def test_fast_path_reads_well_formed_files_as_the_careful_path(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    fast_calls: list[bool],
    case: str,
    chunk_rows: int,
    block_bytes: int,
) -> None:
    monkeypatch.setattr(read_module, "BLOCK_BYTES", block_bytes)
    path = tmp_path / ("export.tsv" if case == "tsv" else "export.csv")
    path.write_bytes(FAST_CASES[case])
    _compare(path, monkeypatch, chunk_rows)
    assert any(fast_calls), "the fast path was never taken"
    if chunk_rows == read_module.CHUNK_ROWS and case != "preamble":
        assert all(fast_calls), fast_calls


@pytest.mark.parametrize("block_bytes", BLOCKS)
@pytest.mark.parametrize("chunk_rows", CHUNKS)
@pytest.mark.parametrize("case", sorted(CAREFUL_CASES))
def test_fast_path_falls_back_where_it_cannot_match(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, case: str, chunk_rows: int, block_bytes: int
) -> None:
    monkeypatch.setattr(read_module, "BLOCK_BYTES", block_bytes)
    path = tmp_path / "export.csv"
    path.write_bytes(CAREFUL_CASES[case])
    _compare(path, monkeypatch, chunk_rows)


def test_a_bad_chunk_falls_back_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fast_calls: list[bool]
) -> None:
    """Only the chunk with the ragged row is read the careful way; its neighbours stay fast."""
    rows = [f"https://s{i}.example.org/,https://example.com/,a{i},FALSE" for i in range(30)]
    rows[14] = "https://short.example.org/,https://example.com/"
    path = tmp_path / "export.csv"
    path.write_bytes(_csv(*rows))
    _compare(path, monkeypatch, 10)
    # per read: chunks of lines 1-10, ..., 21-30, 31: the second holds line 16
    assert fast_calls[:4] == [True, False, True, True]


@pytest.mark.parametrize("chunk_rows", (3, 1_000))
@pytest.mark.parametrize("name", sorted(path.name for path in FIXTURES.iterdir()))
def test_fixtures_read_alike(monkeypatch: pytest.MonkeyPatch, name: str, chunk_rows: int) -> None:
    path = FIXTURES / name
    if path.suffix not in (".csv", ".tsv"):
        pytest.skip("not a text export")
    _compare(path, monkeypatch, chunk_rows)


@pytest.mark.parametrize("path", SAMPLES, ids=lambda path: path.name)
def test_sample_exports_read_alike(
    monkeypatch: pytest.MonkeyPatch, fast_calls: list[bool], path: Path
) -> None:
    if not path.exists():
        pytest.skip(f"{path} not generated (make data)")
    _compare(path, monkeypatch, 7_000)
    if path.read_bytes()[:2] not in (b"\xff\xfe", b"\xfe\xff"):
        assert fast_calls and all(fast_calls), fast_calls


def test_sample_export_with_damage_reads_alike(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A real export with a few rows broken in different ways, in different chunks."""
    source = SAMPLES[0]
    if not source.exists():
        pytest.skip(f"{source} not generated (make data)")
    lines = source.read_bytes().split(b"\n")
    rng = np.random.default_rng(13)
    for index in rng.choice(np.arange(1, len(lines) - 1), 6, replace=False):
        line = lines[int(index)]
        lines[int(index)] = [
            line.rsplit(b",", 1)[0],
            line + b",x",
            line.replace(b",", b',"', 1),
            line.replace(b",", b'"x,', 1),
            line,
            b"",
        ][len(lines[int(index)]) % 6]
    lines.insert(int(rng.integers(1, len(lines))), lines[5])
    path = tmp_path / "damaged.csv"
    path.write_bytes(b"\n".join(lines))
    _compare(path, monkeypatch, 3_000)
