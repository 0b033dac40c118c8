"""Bad input: one-line InputErrors naming the file, the row or column and what was expected;
with on_error="skip", bad rows are left out, counted and described instead."""

from __future__ import annotations

import logging
import re
from pathlib import Path

import pytest

from features import schema
from pipeline.errors import InputError
from pipeline.importers import detect_format, read_export
from pipeline.importers import read as read_module
from tests.pipeline.importers.conftest import FIXTURES

HEADER = "Source url,Target url,Anchor,Nofollow\n"


def _export(tmp_path: Path, *rows: str, header: str = HEADER, name: str = "export.csv") -> Path:
    path = tmp_path / name
    path.write_text(header + "".join(f"{row}\n" for row in rows), encoding="utf-8")
    return path


def _one_line(error: pytest.ExceptionInfo[InputError]) -> str:
    message = str(error.value)
    assert "\n" not in message
    return message


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "nope.csv"
    with pytest.raises(InputError, match=re.escape(f"{path}: file not found")):
        read_export(path)


def test_directory_instead_of_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="is a directory"):
        read_export(tmp_path)


def test_unknown_format_lists_formats_and_suggests_format_option(tmp_path: Path) -> None:
    path = _export(tmp_path, "1,2,3", header="Foo,Bar,Baz\n")
    with pytest.raises(InputError, match=r"unknown export format.*'Foo'.*semrush.*--format") as err:
        detect_format(path)
    assert str(path) in _one_line(err)


def test_unknown_format_name(tmp_path: Path) -> None:
    path = _export(tmp_path, "https://a.example.org/,https://example.com/,x,FALSE")
    with pytest.raises(InputError, match=r"unknown format 'semrus'.*semrush_legacy"):
        read_export(path, "semrus")


def test_missing_required_column_names_column_and_file(tmp_path: Path) -> None:
    path = _export(
        tmp_path, "https://a.example.org/,x,FALSE", header="Source url,Anchor,Nofollow\n"
    )
    with pytest.raises(InputError, match="'Target url' \\(target_url\\)") as err:
        read_export(path, "semrush")
    assert str(path) in _one_line(err)


def test_missing_column_of_canonical_table(tmp_path: Path) -> None:
    path = _export(tmp_path, "https://example.com/,x", header="target_url,anchor\n")
    with pytest.raises(InputError, match=r"missing required column 'source_url'"):
        read_export(path, "canonical")


def test_missing_column_hints_at_the_likely_format() -> None:
    with pytest.raises(InputError, match=r"'Referring page URL'.*try --format semrush\b"):
        read_export(FIXTURES / "semrush_backlinks.csv", "ahrefs")


@pytest.mark.parametrize("content", [b"", b"\n\n  \n", b"\xef\xbb\xbf"])
def test_empty_file(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "empty.csv"
    path.write_bytes(content)
    with pytest.raises(InputError, match=r"empty\.csv: the file is empty"):
        read_export(path)


def test_header_without_rows(tmp_path: Path) -> None:
    path = _export(tmp_path, ",,,", "")
    with pytest.raises(InputError, match=r"has a header \(line 1\) but no data rows"):
        read_export(path)


def test_undecodable_bytes_name_offset_and_line(tmp_path: Path) -> None:
    path = tmp_path / "latin1.csv"
    path.write_bytes(
        HEADER.encode()
        + b"https://a.example.org/,https://example.com/,ok,FALSE\n"
        + b"https://b.example.org/,https://example.com/,caf\xe9,FALSE\n"
    )
    offset = path.read_bytes().index(b"\xe9")
    with pytest.raises(InputError, match=rf"byte {offset} \(line 3\) is not valid UTF-8"):
        read_export(path)


def test_truncated_utf16(tmp_path: Path) -> None:
    path = tmp_path / "ahrefs.csv"
    path.write_bytes(b"\xff\xfe" + "Referring page URL\tTarget URL\n".encode("utf-16-le") + b"h")
    with pytest.raises(InputError, match=r"line 2\) is not valid UTF-16-LE"):
        read_export(path)


def test_binary_file(tmp_path: Path) -> None:
    path = tmp_path / "data.csv"
    path.write_bytes(b"\x00\x01\x02garbage\x00\xff" * 3)
    with pytest.raises(InputError, match=r"data\.csv: .*(not valid|NUL bytes)"):
        read_export(path)


def test_a_stray_nul_in_a_cell_is_removed_and_its_line_named(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    # A real Semrush export of 261 has one NUL byte inside an anchor, past its first lines.
    rows = [
        f"https://s{i}.example.org/page,https://example.com/,anchor {i},false" for i in range(99)
    ]
    rows[90] = "https://bad.example.org/page,https://example.com/,hal\x00f,false"
    path = tmp_path / "export.csv"
    path.write_bytes(("Source url,Target url,Anchor,Nofollow\n" + "\n".join(rows)).encode())
    with caplog.at_level(logging.WARNING):
        result = read_export(path, on_error="fail")
    assert result.links.height == 99
    assert result.links["anchor"][90] == "half"
    # Named once, though the file's first block is read twice (opening it, then its rows).
    assert caplog.text.count("export.csv: line 92: removed a NUL byte from a cell") == 1


def test_many_nuls_mean_the_file_is_not_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(read_module, "MAX_STRAY_NULS", 3)
    rows = [
        f"https://s{i}.example.org/page,https://example.com/,anchor {i},false" for i in range(99)
    ]
    for i in (80, 85, 90, 95):
        rows[i] = rows[i].replace("anchor", "anc\x00hor")
    path = tmp_path / "export.csv"
    path.write_bytes(("Source url,Target url,Anchor,Nofollow\n" + "\n".join(rows)).encode())
    with pytest.raises(
        InputError, match=r"export\.csv: line 97 contains NUL bytes; expected a text"
    ):
        read_export(path)


def test_corrupt_workbook(tmp_path: Path) -> None:
    path = tmp_path / "export.xlsx"
    path.write_bytes(b"PK\x03\x04 this is not really a zip archive")
    with pytest.raises(InputError, match=r"export\.xlsx: not a readable spreadsheet"):
        read_export(path)


def test_bad_url_fails_naming_the_first_bad_line(tmp_path: Path) -> None:
    path = _export(
        tmp_path,
        "https://a.example.org/,https://example.com/,ok,FALSE",
        "ftp://files.example.org/x,https://example.com/,bad,FALSE",
        "https://c.example.org/,example.com/page,bad target,FALSE",
    )
    with pytest.raises(InputError) as err:
        read_export(path)
    message = _one_line(err)
    assert message.startswith(f"{path}: line 3: source_url 'ftp://files.example.org/x'")
    assert "(column 'Source url') is not an http(s) URL with a host" in message
    assert "and 1 more bad row: lines 4" in message
    assert "--on-error skip" in message


def test_bad_urls_skipped_counted_and_described(tmp_path: Path) -> None:
    path = _export(
        tmp_path,
        "https://a.example.org/,https://example.com/,ok,FALSE",
        "ftp://files.example.org/x,https://example.com/,bad,FALSE",
        ",https://example.com/,empty source,FALSE",
        "https:///nohost,https://example.com/,no host,FALSE",
        "https://e.example.org/,https://example.com/,ok,FALSE",
    )
    result = read_export(path, on_error="skip")
    assert result.skipped == 3
    assert result.links[schema.SOURCE_URL].to_list() == [
        "https://a.example.org/",
        "https://e.example.org/",
    ]
    assert result.original["Anchor"].to_list() == ["ok", "ok"]
    assert result.problems[0].startswith("line 3: source_url 'ftp://")
    assert result.problems[1] == "line 4: source_url is empty (column 'Source url')"
    assert result.problems[2].startswith("line 5: source_url 'https:///nohost'")


def test_duplicate_links_fail_naming_both_rows(tmp_path: Path) -> None:
    path = _export(
        tmp_path,
        "https://a.example.org/,https://example.com/,ok,FALSE",
        "https://b.example.org/,https://example.com/,ok,FALSE",
        "https://a.example.org/,https://example.com/,ok,TRUE",
    )
    with pytest.raises(InputError, match=r"line 4: duplicate of line 2 \(same source_url"):
        read_export(path)


def test_duplicate_links_skipped_keep_the_first(tmp_path: Path) -> None:
    path = _export(
        tmp_path,
        "https://a.example.org/,https://example.com/,,FALSE",
        "https://a.example.org/,https://example.com/,other anchor,FALSE",
        "https://a.example.org/,https://example.com/,,TRUE",
        "https://a.example.org/,https://example.com/,,FALSE",
    )
    result = read_export(path, on_error="skip")
    assert result.skipped == 2
    assert result.links[schema.ANCHOR].to_list() == [None, "other anchor"]
    assert result.problems == (
        "line 4: duplicate of line 2 (same source_url, target_url and anchor)",
        "line 5: duplicate of line 2 (same source_url, target_url and anchor)",
    )


def test_malformed_csv_row_fails_with_its_line() -> None:
    path = FIXTURES / "majestic_backlinks.csv"
    with pytest.raises(InputError, match=r"line 5: malformed row: 21 fields where the header has"):
        read_export(path)


def test_malformed_rows_skipped_alongside_other_problems(tmp_path: Path) -> None:
    path = _export(
        tmp_path,
        "https://a.example.org/,https://example.com/,too,many,fields",
        "https://b.example.org/,https://example.com/",
        "https://c.example.org/,https://example.com/,ok,FALSE",
        "mailto:x@example.org,https://example.com/,ok,FALSE",
    )
    result = read_export(path, on_error="skip")
    assert result.skipped == 3
    assert result.links.height == result.original.height == 1
    assert [line.split(":")[0] for line in result.problems] == ["line 2", "line 3", "line 5"]


def test_search_console_export_needs_site() -> None:
    with pytest.raises(InputError, match=r"carry no target URL; pass --site") as err:
        read_export(FIXTURES / "gsc_latest_links.csv")
    assert "gsc_latest_links.csv" in _one_line(err)


def test_search_console_site_must_be_a_site() -> None:
    with pytest.raises(InputError, match=r"--site 'not a site' is not a domain"):
        read_export(FIXTURES / "gsc_top_linking_sites.csv", site="not a site")


def test_all_rows_bad_is_an_error_even_when_skipping(tmp_path: Path) -> None:
    path = _export(tmp_path, "nope,https://example.com/,x,FALSE", "nada,also bad,y,FALSE")
    with pytest.raises(InputError, match=r"no usable rows: all 2 data rows were left out"):
        read_export(path, on_error="skip")


def test_on_error_must_be_skip_or_fail(tmp_path: Path) -> None:
    path = _export(tmp_path, "https://a.example.org/,https://example.com/,ok,FALSE")
    with pytest.raises(ValueError, match="on_error"):
        read_export(path, on_error="ignore")  # type: ignore[arg-type]


def test_many_problems_are_capped_in_the_report(tmp_path: Path) -> None:
    good = "https://b.example.org/,https://example.com/,ok,FALSE"
    ragged = "https://a.example.org/,https://example.com/,same,FALSE,extra"
    path = _export(tmp_path, good, ragged, *(["not-a-url,https://example.com/,x,FALSE"] * 150))
    result = read_export(path, on_error="skip")
    assert result.skipped == 151
    assert len(result.problems) == 101
    assert result.problems[-1] == "… and 51 more rows left out"
