"""Streaming import: ``open_export`` in chunks gives what ``read_export`` gives for the whole file.

Every case is read whole (``read_export``), then in chunks of 1, 2, 3 and 7 data lines, also with
tiny decoding blocks (so that characters, ``\\r\\n`` and records are cut at block boundaries);
the chunks put together must equal the whole, and failures must carry the same message.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from features import schema
from pipeline.errors import InputError
from pipeline.importers import ExportStream, ImportChunk, open_export, read_export
from pipeline.importers import read as read_module
from tests.pipeline.importers.conftest import FIXTURES, write_xlsx

CHUNK_SIZES = (1, 2, 3, 7)
HEADER = "Source url,Target url,Anchor,Nofollow\n"


def _write(path: Path, text: str) -> Path:
    path.write_bytes(text.encode("utf-8"))
    return path


def _rows(*rows: str, header: str = HEADER) -> str:
    return header + "".join(f"{row}\n" for row in rows)


def _multiline(tmp_path: Path) -> Path:
    return _write(
        tmp_path / "multiline.csv",
        _rows(
            "https://a.example.org/,https://example.com/,one,FALSE",
            'https://b.example.org/,https://example.com/,"three\nline\nanchor",FALSE',
            'https://c.example.org/,https://example.com/,"say ""hi""",TRUE',
            'https://d.example.org/,https://example.com/,"two\nlines",FALSE',
            "https://e.example.org/,https://example.com/,five,FALSE",
        ),
    )


def _duplicates(tmp_path: Path) -> Path:
    return _write(
        tmp_path / "duplicates.csv",
        _rows(
            "https://a.example.org/,https://example.com/,,FALSE",
            "https://b.example.org/,https://example.com/,x,FALSE",
            "ftp://a.example.org/,https://example.com/,,FALSE",  # bad URL: never a first
            "https://c.example.org/,https://example.com/,x,FALSE",
            "https://a.example.org/,https://example.com/,,TRUE",
            "https://b.example.org/,https://example.com/,y,FALSE",
            "https://b.example.org/,https://example.com/,x,TRUE",
            "https://d.example.org/,https://example.com/,x,TRUE",
            "https://a.example.org/,https://example.com/,,FALSE",
            "https://c.example.org/,https://example.com/,x,FALSE",
        ),
    )


def _bad_urls(tmp_path: Path) -> Path:
    return _write(
        tmp_path / "bad_urls.csv",
        _rows(
            "https://a.example.org/,https://example.com/,ok,FALSE",
            "ftp://files.example.org/x,https://example.com/,bad,FALSE",
            ",https://example.com/,empty source,FALSE",
            "https://e.example.org/,https://example.com/,ok,FALSE",
            "https:///nohost,https://example.com/,no host,FALSE",
            "https://f.example.org/,example.com/page,bad target,FALSE",
            "https://g.example.org/,https://example.com/,ok,FALSE",
        ),
    )


def _unparsed(tmp_path: Path) -> Path:
    return _write(
        tmp_path / "unparsed.csv",
        "source_url,target_url,first_seen,nofollow,external_links\n"
        "https://a.example.org/,https://example.com/,2025-01-02,true,3\n"
        "https://b.example.org/,https://example.com/,2025-01-03,true,4\n"
        "https://c.example.org/,https://example.com/,soon,maybe,5\n"
        "https://d.example.org/,https://example.com/,2025-01-05,false,many\n"
        "https://e.example.org/,https://example.com/,later,perhaps,lots\n"
        "https://f.example.org/,https://example.com/,never,true,6\n",
    )


def _crlf(tmp_path: Path) -> Path:
    text = _rows(
        "https://a.example.org/,https://example.com/,one,FALSE",
        'https://b.example.org/,https://example.com/,"two\nlines",FALSE',
        "https://c.example.org/,https://example.com/,three,TRUE",
        "https://d.example.org/,https://example.com/,four,FALSE",
        "ftp://e.example.org/,https://example.com/,bad URL on line 7,FALSE",
    )
    return _write(tmp_path / "crlf.csv", text.replace("\n", "\r\n"))


def _sep_line(tmp_path: Path) -> Path:
    return _write(
        tmp_path / "sep.csv",
        "sep=;\n"
        "Source url;Target url;Anchor;External links\n"
        "https://a.example.org/;https://example.com/;a;1.480\n"
        "https://b.example.org/;https://example.com/;b;2,5\n"
        "https://c.example.org/;https://example.com/;c;7\n",
    )


def _unclosed_quote(tmp_path: Path) -> Path:
    return _write(
        tmp_path / "unclosed.csv",
        _rows(
            "https://a.example.org/,https://example.com/,ok,FALSE",
            'https://b.example.org/,https://example.com/,"never closed,FALSE',
            "https://c.example.org/,https://example.com/,fine,FALSE",
            "https://d.example.org/,https://example.com/,fine too,FALSE",
            "https://e.example.org/,https://example.com/,fine three,FALSE",
        ),
    )


def _many_problems(tmp_path: Path) -> Path:
    good = "https://b.example.org/,https://example.com/,ok,FALSE"
    ragged = "https://a.example.org/,https://example.com/,same,FALSE,extra"
    bad = [f"not-a-url-{index},https://example.com/,x,FALSE" for index in range(130)]
    return _write(tmp_path / "many.csv", _rows(good, ragged, *bad, good.replace("b.", "c.")))


def _utf8_multibyte(tmp_path: Path) -> Path:
    rows = [f"https://{i}.example.org/,https://example.com/,café ☕ {i},FALSE" for i in range(9)]
    return _write(tmp_path / "accents.csv", "\ufeff" + _rows(*rows))


def _utf16_without_bom(tmp_path: Path) -> Path:
    text = _rows(
        "https://a.example.org/,https://example.com/,naïve,FALSE",
        "https://b.example.org/,https://example.com/,two,TRUE",
        "https://c.example.org/,https://example.com/,three,FALSE",
    )
    path = tmp_path / "utf16.csv"
    path.write_bytes(text.replace("\n", "\r\n").encode("utf-16-le"))
    return path


def _xlsx(tmp_path: Path) -> Path:
    return write_xlsx(
        tmp_path / "links.xlsx",
        [
            ["Moz export"],
            ["URL", "Title", "Anchor Text", "Target URL"],
            ["https://a.example.org/", "A", "x", "https://example.com/"],
            ["https://b.example.org/", None, 7, "https://example.com/"],
            ["https://a.example.org/", "A again", "x", "https://example.com/"],
            ["https://c.example.org/", "C", "z", "https://example.com/"],
        ],
    )


def _parquet(tmp_path: Path) -> Path:
    frame = pl.DataFrame(
        {
            schema.SOURCE_URL: [f"https://{i % 4}.example.org/" for i in range(9)],
            schema.TARGET_URL: ["https://example.com/"] * 9,
            schema.ANCHOR: [f"a{i % 5}" for i in range(9)],
            schema.FIRST_SEEN: [dt.date(2025, 1, 1 + i) for i in range(9)],
            "site": ["garden"] * 9,
        }
    )
    path = tmp_path / "links.parquet"
    frame.write_parquet(path)
    return path


def _fixture(name: str) -> Callable[[Path], Path]:
    return lambda _: FIXTURES / name


# name -> (builder, read_export keyword arguments)
CASES: dict[str, tuple[Callable[[Path], Path], dict[str, str]]] = {
    "semrush": (_fixture("semrush_backlinks.csv"), {}),
    "semrush_eu": (_fixture("semrush_backlinks_eu.csv"), {}),
    "ahrefs_utf16": (_fixture("ahrefs_backlinks_utf16.csv"), {}),
    "moz_preamble": (_fixture("moz_inbound_links.csv"), {}),
    "majestic_malformed": (_fixture("majestic_backlinks.csv"), {}),
    "gsc_links": (_fixture("gsc_latest_links.csv"), {"site": "example.com"}),
    "gsc_sites": (_fixture("gsc_top_linking_sites.csv"), {"site": "example.com"}),
    "multiline": (_multiline, {}),
    "duplicates": (_duplicates, {}),
    "bad_urls": (_bad_urls, {}),
    "unparsed": (_unparsed, {}),
    "crlf": (_crlf, {}),
    "sep_line": (_sep_line, {}),
    "unclosed_quote": (_unclosed_quote, {}),
    "many_problems": (_many_problems, {}),
    "utf8_multibyte": (_utf8_multibyte, {}),
    "utf16_without_bom": (_utf16_without_bom, {}),
    "xlsx": (_xlsx, {}),
    "parquet": (_parquet, {}),
}


def _whole(path: Path, **kwargs: str) -> tuple | str:
    """read_export's links, original, skipped and problems (then the row marks and counts), or
    its error message."""
    try:
        result = read_export(path, **kwargs)  # type: ignore[arg-type]
    except InputError as exc:
        return str(exc)
    marks = pl.DataFrame([result.positions, result.problem, result.duplicate_of, result.scorable])
    return result.links, result.original, result.skipped, result.problems, marks, result.rows


def _streamed(path: Path, chunk_rows: int, **kwargs: str) -> tuple | str:
    """The same from open_export's chunks put together, checking each chunk on the way."""
    try:
        stream = open_export(path, chunk_rows=chunk_rows, **kwargs)  # type: ignore[arg-type]
        chunks = list(stream.chunks())
    except InputError as exc:
        return str(exc)
    assert chunks, "a successful stream yields at least one chunk"
    for chunk in chunks:
        assert isinstance(chunk, ImportChunk)
        assert 0 < chunk.links.height == chunk.original.height
        assert chunk.links.schema == pl.Schema(schema.CANONICAL)
        assert chunk.original.schema == chunks[0].original.schema
    links = pl.concat([chunk.links for chunk in chunks])
    assert stream.rows == links.height
    marks = pl.concat(
        [
            pl.DataFrame([chunk.positions, chunk.problem, chunk.duplicate_of, chunk.scorable])
            for chunk in chunks
        ]
    )
    original = pl.concat([chunk.original for chunk in chunks])
    return links, original, stream.skipped, stream.problems, marks, stream.counts


def _assert_same(streamed: object, whole: object) -> None:
    if isinstance(whole, str) or isinstance(streamed, str):
        assert streamed == whole
        return
    assert isinstance(streamed, tuple) and isinstance(whole, tuple)
    assert_frame_equal(streamed[0], whole[0])
    assert_frame_equal(streamed[1], whole[1])
    assert streamed[2:4] == whole[2:4]
    assert_frame_equal(streamed[4], whole[4])
    assert streamed[5] == whole[5]


# Block reading does not depend on the mode, so tiny blocks are tried with fail and skip only.
@pytest.mark.parametrize(
    ("on_error", "block_bytes"),
    [("keep", None), ("skip", None), ("skip", 7), ("fail", None), ("fail", 7)],
)
@pytest.mark.parametrize("case", sorted(CASES))
def test_chunks_put_together_equal_the_whole_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, case: str, on_error: str, block_bytes: int
) -> None:
    build, kwargs = CASES[case]
    path = build(tmp_path)
    whole = _whole(path, on_error=on_error, **kwargs)
    if on_error in ("skip", "keep"):
        assert not isinstance(whole, str), whole  # every case has rows to compare
    if block_bytes is not None:
        monkeypatch.setattr(read_module, "BLOCK_BYTES", block_bytes)
    for chunk_rows in CHUNK_SIZES:
        _assert_same(_streamed(path, chunk_rows, on_error=on_error, **kwargs), whole)


def test_cases_cover_failures_and_problems(tmp_path: Path) -> None:
    """The cases above exercise what must agree: errors, skipped rows and unparsed cells."""
    failing = [
        name
        for name, (build, kw) in CASES.items()
        if isinstance(_whole(build(tmp_path), **kw), str)
    ]
    assert {"majestic_malformed", "duplicates", "bad_urls", "many_problems"} <= set(failing)
    links, _, _, problems, _, _ = _whole(_unparsed(tmp_path))  # type: ignore[misc]
    assert links.height == 6
    assert any("'external_links'" in line and "2 values" in line for line in problems)


def test_a_multiline_record_straddling_chunks_is_assembled(tmp_path: Path) -> None:
    path = _multiline(tmp_path)  # the record on lines 3-5 crosses the 2-line chunk boundaries
    stream = open_export(path, chunk_rows=2)
    chunks = list(stream.chunks())
    links = pl.concat([chunk.links for chunk in chunks])
    assert links[schema.ANCHOR].to_list() == [
        "one",
        "three\nline\nanchor",
        'say "hi"',
        "two\nlines",
        "five",
    ]
    assert len(chunks) > 2
    assert stream.skipped == 0 and stream.problems == ()


def test_a_duplicate_of_a_row_in_an_earlier_chunk_names_its_line(tmp_path: Path) -> None:
    path = _duplicates(tmp_path)
    stream = open_export(path, chunk_rows=2, on_error="skip")
    links = pl.concat([chunk.links for chunk in stream.chunks()])
    assert stream.problems == (
        "line 4: source_url 'ftp://a.example.org/' (column 'Source url') is not an http(s) URL "
        "with a host",
        "line 6: duplicate of line 2 (same source_url, target_url and anchor)",
        "line 8: duplicate of line 3 (same source_url, target_url and anchor)",
        "line 10: duplicate of line 2 (same source_url, target_url and anchor)",
        "line 11: duplicate of line 5 (same source_url, target_url and anchor)",
    )
    assert stream.skipped == 5 and stream.rows == links.height == 5


def test_fail_mode_reads_on_to_count_every_bad_row(tmp_path: Path) -> None:
    path = _many_problems(tmp_path)
    stream = open_export(path, chunk_rows=3)
    with pytest.raises(InputError) as err:
        list(stream.chunks())
    assert "line 3: malformed row: 5 fields where the header has 4" in str(err.value)
    assert "(and 130 more bad rows: lines 4, 5, 6, 7, 8, …)" in str(err.value)


@pytest.mark.parametrize("cut", ["header", "quoted"])
def test_crlf_split_by_a_block_boundary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cut: str
) -> None:
    path = _crlf(tmp_path)
    data = path.read_bytes()
    # A block ending on the "\r" of a "\r\n": after the header, or inside the quoted field.
    end = data.index(b"\r") if cut == "header" else data.index(b"two\r") + 3
    whole = _whole(path, on_error="skip")
    monkeypatch.setattr(read_module, "BLOCK_BYTES", end + 1)
    for chunk_rows in CHUNK_SIZES:
        _assert_same(_streamed(path, chunk_rows, on_error="skip"), whole)


def _latin1_export(tmp_path: Path) -> tuple[Path, int]:
    rows = [f"https://{i}.example.org/,https://example.com/,ok,FALSE" for i in range(1500)]
    rows[1400] = "https://bad.example.org/,https://example.com/,caf\xe9,FALSE"
    path = tmp_path / "latin1.csv"
    path.write_bytes(_rows(*rows).encode("latin-1"))
    return path, path.read_bytes().index(b"\xe9")


def test_undecodable_byte_after_the_first_block_names_offset_and_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path, offset = _latin1_export(tmp_path)
    expected = f"{path}: byte {offset} (line 1402) is not valid UTF-8 (invalid continuation byte)"
    with pytest.raises(InputError) as whole:
        read_export(path)
    assert str(whole.value).startswith(expected)

    monkeypatch.setattr(read_module, "BLOCK_BYTES", 1000)
    stream = open_export(path, chunk_rows=100)  # the header and format need only the start
    chunks = stream.chunks()
    assert next(chunks).links.height == 99  # 100 lines, the header among them
    with pytest.raises(InputError) as streamed:
        list(chunks)
    assert str(streamed.value) == str(whole.value)


def test_undecodable_byte_ending_a_block_names_its_own_offset(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The decoder keeps the byte for the next block: the offset must still be the byte's."""
    path, offset = _latin1_export(tmp_path)
    monkeypatch.setattr(read_module, "BLOCK_BYTES", offset + 1)
    with pytest.raises(InputError, match=rf"byte {offset} \(line 1402\) is not valid UTF-8"):
        list(open_export(path, chunk_rows=500).chunks())


def test_utf16_split_by_a_block_boundary_and_truncated_at_the_end(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "ahrefs.csv"
    path.write_bytes(b"\xff\xfe" + "Referring page URL\tTarget URL\n".encode("utf-16-le") + b"h")
    monkeypatch.setattr(read_module, "BLOCK_BYTES", 5)
    with pytest.raises(InputError, match=r"byte 62 \(line 2\) is not valid UTF-16-LE"):
        open_export(path)


def test_a_quote_left_open_for_too_many_lines_is_read_line_by_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(read_module, "MAX_RECORD_LINES", 2)
    rows = [
        'https://a.example.org/,https://example.com/,"never closed,FALSE',
        *(f"https://{i}.example.org/,https://example.com/,fine,FALSE" for i in range(5)),
        'https://z.example.org/,https://example.com/,"two\nlines",FALSE',
    ]
    path = _write(tmp_path / "stray.csv", _rows(*rows))
    stream = open_export(path, chunk_rows=1, on_error="skip")
    links = pl.concat([chunk.links for chunk in stream.chunks()])
    # The open quote is given up after two carried lines; the quoting after it counts again.
    assert links[schema.ANCHOR].to_list()[-2:] == ["fine", "two\nlines"]
    assert links.height == 7


def test_stream_attributes_and_single_use(tmp_path: Path) -> None:
    stream = open_export(FIXTURES / "ahrefs_backlinks_utf16.csv", chunk_rows=2)
    assert isinstance(stream, ExportStream)
    assert (stream.format, stream.title) == ("ahrefs", "Ahrefs Backlinks")
    assert stream.path == FIXTURES / "ahrefs_backlinks_utf16.csv"
    assert [chunk.links.height for chunk in stream.chunks()] == [1, 2]
    assert (stream.rows, stream.skipped, stream.problems) == (3, 0, ())
    with pytest.raises(RuntimeError, match="only once"):
        stream.chunks()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "the file is empty"),
        (b"\x1f\x8b\x08\x00", "gzip-compressed"),
        (b"Foo,Bar\n1,2\n", "unknown export format"),
        (HEADER.encode(), r"has a header \(line 1\) but no data rows"),
        (b"caf\xe9,x\n", "is not valid UTF-8"),
        (b"a,b\x00c\n", "contains NUL bytes"),
    ],
)
def test_problems_found_at_the_start_are_raised_when_opening(
    tmp_path: Path, content: bytes, message: str
) -> None:
    path = tmp_path / "export.csv"
    path.write_bytes(content)
    with pytest.raises(InputError, match=message):
        open_export(path, chunk_rows=1)
