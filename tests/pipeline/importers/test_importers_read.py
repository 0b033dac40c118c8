"""Reading files into text cells: encodings, delimiters, headers, quoting and line numbers."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from pipeline.importers.detect import KNOWN_COLUMNS
from pipeline.importers.read import LINE, load_table, sniff_delimiter

TEXT = "Source url,Target url,Anchor\nhttps://a.example.org/,https://example.com/,café\n"


def _table(tmp_path: Path, content: str | bytes, name: str = "export.csv"):
    path = tmp_path / name
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8", newline="")
    else:
        path.write_bytes(content)
    return load_table(path, KNOWN_COLUMNS)


@pytest.mark.parametrize(
    ("content", "encoding"),
    [
        (TEXT.encode("utf-8"), "utf-8"),
        (b"\xef\xbb\xbf" + TEXT.encode("utf-8"), "utf-8"),
        (b"\xff\xfe" + TEXT.encode("utf-16-le"), "utf-16-le"),
        (b"\xfe\xff" + TEXT.encode("utf-16-be"), "utf-16-be"),
        (TEXT.encode("utf-16-le"), "utf-16-le"),  # no BOM
    ],
)
def test_decodes_boms_and_utf16(tmp_path: Path, content: bytes, encoding: str) -> None:
    table = _table(tmp_path, content)
    assert table.encoding == encoding
    assert table.frame.columns == ["Source url", "Target url", "Anchor"]
    assert table.frame["Anchor"].to_list() == ["café"]


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_sniffs_the_delimiter(tmp_path: Path, delimiter: str) -> None:
    table = _table(tmp_path, TEXT.replace(",", delimiter))
    assert table.delimiter == delimiter
    assert table.frame.width == 3


def test_sniffs_an_unknown_header_by_consistent_field_counts() -> None:
    lines = ["Spalte A;Spalte B", "https://a.example.org/;2026-08-01", "https://b.example/;x"]
    assert sniff_delimiter(lines, KNOWN_COLUMNS) == ";"


def test_header_below_preamble_and_line_numbers(tmp_path: Path) -> None:
    content = (
        "Inbound links to example.com\n"
        "\n"
        "URL,Title,Anchor Text,Target URL\n"
        "https://a.example.org/,A,x,https://example.com/\n"
        "\n"
        "https://b.example.org/,B,y,https://example.com/\n"
    )
    table = _table(tmp_path, content)
    assert table.frame.columns == ["URL", "Title", "Anchor Text", "Target URL"]
    assert table.positions.to_list() == [4, 6]
    assert table.unit == LINE


def test_quoted_newlines_escaped_quotes_and_stray_quotes(tmp_path: Path) -> None:
    content = (
        "Source url,Target url,Anchor\r\n"
        'https://a.example.org/,https://example.com/,"two\r\nlines"\r\n'
        'https://b.example.org/,https://example.com/,"say ""hi"", then go"\r\n'
        'https://c.example.org/,https://example.com/,12" screen\r\n'
        'https://d.example.org/,https://example.com/,"a "quoted" word"\r\n'
    )
    table = _table(tmp_path, content)
    assert table.frame["Anchor"].to_list() == [
        "two\nlines",
        'say "hi", then go',
        '12" screen',
        'a "quoted" word',
    ]
    assert table.positions.to_list() == [2, 4, 5, 6]  # the two-line record starts on line 2
    assert table.malformed.is_empty()


def test_an_unclosed_quote_does_not_swallow_the_rows_below(tmp_path: Path) -> None:
    content = (
        "Source url,Target url,Anchor\n"
        'https://a.example.org/,https://example.com/,"never closed\n'
        "https://b.example.org/,https://example.com/,fine\n"
        "https://c.example.org/,https://example.com/,fine too\n"
    )
    table = _table(tmp_path, content)
    assert table.frame["Source url"].to_list() == [
        "https://a.example.org/",
        "https://b.example.org/",
        "https://c.example.org/",
    ]
    assert table.positions.to_list() == [2, 3, 4]


def test_ragged_rows_are_set_aside_and_blank_rows_dropped(tmp_path: Path) -> None:
    content = (
        "Source url,Target url,Anchor\n"
        "https://a.example.org/,https://example.com/,ok,,\n"  # trailing empty fields: fine
        "https://b.example.org/,https://example.com/\n"  # one field short
        ",,\n"  # an empty spreadsheet row
        "https://c.example.org/,https://example.com/,x,y\n"  # one field too many
        "https://d.example.org/,https://example.com/,\n"
    )
    table = _table(tmp_path, content)
    assert table.positions.to_list() == [2, 6]
    assert table.frame["Anchor"].to_list() == ["ok", None]
    assert table.malformed.rows() == [
        (3, "2 fields where the header has 3"),
        (5, "4 fields where the header has 3"),
    ]


def test_repeated_and_blank_header_names_stay_distinct(tmp_path: Path) -> None:
    table = _table(tmp_path, "Anchor,,Anchor,Source url\n1,2,3,4\n")
    assert table.frame.columns == ["Anchor", "column_2", "Anchor (2)", "Source url"]


def test_spreadsheet_rows_are_numbered_as_the_sheet_shows(tmp_path: Path) -> None:
    from tests.pipeline.importers.conftest import write_xlsx

    path = write_xlsx(
        tmp_path / "links.xlsx",
        [
            ["Moz export"],
            ["URL", "Title", "Anchor Text", "Target URL"],
            ["https://a.example.org/", "A", "x", "https://example.com/"],
            ["https://b.example.org/", None, 7, "https://example.com/"],
        ],
    )
    table = load_table(path, KNOWN_COLUMNS)
    assert table.frame.columns == ["URL", "Title", "Anchor Text", "Target URL"]
    assert table.positions.to_list() == [3, 4]
    assert table.frame["Anchor Text"].to_list() == ["x", "7"]
    assert table.frame.schema["Title"] == pl.String


def test_excel_sep_line_declares_the_delimiter(tmp_path: Path) -> None:
    table = _table(tmp_path, "sep=;\nSpalte 1;Spalte 2\nhttps://a.example.org/;2026-08-01\n")
    assert table.delimiter == ";"
    assert table.frame.columns == ["Spalte 1", "Spalte 2"]
    assert table.positions.to_list() == [3]
