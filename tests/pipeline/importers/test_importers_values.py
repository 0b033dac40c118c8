"""Cell parsers: booleans, numbers, dates, URLs and link types as vendors write them."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from pipeline.formulas import unguard
from pipeline.importers import values


def _apply(expr: pl.Expr, cells: list[str | None]) -> list:
    frame = pl.DataFrame({"v": cells}, schema={"v": pl.String})
    return frame.select(expr.alias("v"))["v"].to_list()


def test_to_bool_reads_vendor_and_locale_words() -> None:
    cells = ["TRUE", "false", "1", "0", "WAHR", "FALSCH", "+", "", None, "maybe", " Yes "]
    assert _apply(values.to_bool(pl.col("v")), cells) == [
        True, False, True, False, True, False, True, None, None, None, True,
    ]  # fmt: skip


def test_to_bool_empty_means_false_for_majestic_flags() -> None:
    assert _apply(values.to_bool(pl.col("v"), empty=False), ["", None, "+", "junk"]) == [
        False,
        False,
        True,
        None,
    ]


@pytest.mark.parametrize(
    ("cell", "us", "european"),
    [
        ("12", 12.0, 12.0),
        ("1,240", 1240.0, 1.24),
        ("1.240", 1.24, 1240.0),
        ("12,5", 12.5, 12.5),
        ("1.240,5", 1240.5, 1240.5),
        ("12,345,678.5", 12345678.5, 12345678.5),
        ("1 240", 1240.0, 1240.0),
        ("nan", None, None),
        ("n/a", None, None),
        ("12%", None, None),
    ],
)
def test_to_float_thousands_and_decimal_commas(
    cell: str, us: float | None, european: float | None
) -> None:
    assert _apply(values.to_float(pl.col("v")), [cell]) == [us]
    assert _apply(values.to_float(pl.col("v"), decimal_comma=True), [cell]) == [european]


def test_to_int_rejects_fractions() -> None:
    assert _apply(values.to_int(pl.col("v")), ["12", "12.0", "12.5", '"1,240"'.strip('"')]) == [
        12,
        12,
        None,
        1240,
    ]


def test_to_date_formats() -> None:
    cells = [
        "2025-03-14",
        "2025-03-14 10:22:01",
        "2025-03-14T10:22:01Z",
        "Sep 15, 2026",
        "September 5, 2026",
        "14.03.2025",
        "soon",
    ]
    assert _apply(values.to_date(pl.col("v")), cells) == [
        dt.date(2025, 3, 14),
        dt.date(2025, 3, 14),
        dt.date(2025, 3, 14),
        dt.date(2026, 9, 15),
        dt.date(2026, 9, 5),
        dt.date(2025, 3, 14),
        None,
    ]


def test_slash_dates_follow_the_columns_convention() -> None:
    day_first = _apply(values.to_date(pl.col("v")), ["03/04/2025", "15/03/2025"])
    assert day_first == [dt.date(2025, 4, 3), dt.date(2025, 3, 15)]
    month_first = _apply(values.to_date(pl.col("v")), ["03/04/2025", "03/15/2025"])
    assert month_first == [dt.date(2025, 3, 4), dt.date(2025, 3, 15)]
    by_hint = _apply(values.to_date(pl.col("v"), day_first=True), ["03/04/2025"])
    assert by_hint == [dt.date(2025, 4, 3)]


@pytest.mark.parametrize(
    ("url", "ok"),
    [
        ("https://example.com", True),
        ("HTTP://Example.COM:8080/a?b=c#d", True),
        ("https://münchen.de/straße", True),
        ("http://[2001:db8::1]/", True),
        ("http://localhost/", True),
        ("https://example.com/a path", True),
        ("https://zh-.2hanx2.com/page", True),  # a label ending in '-': browsers open it
        ("https://a_b.example.com/", True),
        ("https://Bücher.de/", True),
        ("https://1.2.3.256/", False),  # a number-like host that is no IPv4 address
        ("ftp://example.com/", False),
        ("example.com/page", False),
        ("https:///nohost", False),
        ("https://", False),
        ("https://exa mple.com/", False),
        ("javascript:alert(1)", False),
        (None, False),
    ],
)
def test_is_http_url(url: str | None, ok: bool) -> None:
    assert _apply(values.is_http_url(pl.col("v")), [url]) == [ok]


def test_link_type_from_words() -> None:
    cells = ["href", "Redirect 301", "image", "IFRAME", "form", "rss", None]
    assert _apply(values.link_type_from_words(pl.col("v")), cells) == [
        "text", "redirect", "image", "frame", "form", None, None,
    ]  # fmt: skip


def test_link_type_from_flags() -> None:
    frame = pl.DataFrame(
        {"image": [True, False, False, None], "frame": [False, True, False, None]},
        schema={"image": pl.Boolean, "frame": pl.Boolean},
    )
    expr = values.link_type_from_flags({"image": pl.col("image"), "frame": pl.col("frame")})
    assert expr is not None
    assert frame.select(expr.alias("t"))["t"].to_list() == ["image", "frame", "text", None]
    assert values.link_type_from_flags({}) is None


def test_host_to_url_and_formula_guard() -> None:
    assert _apply(values.host_to_url(pl.col("v")), ["blog.example.org", "https://x.org/", ""]) == [
        "https://blog.example.org/",
        "https://x.org/",
        None,
    ]
    assert _apply(values.text(pl.col("v")), ["'=SUM(A1)", "'+", "it's", "  ", " a "]) == [
        "=SUM(A1)",
        "+",
        "it's",
        None,
        "a",
    ]


def test_text_unguards_as_the_csv_writer_guards() -> None:
    """values.text drops the guard without a regex: the same cells as formulas.unguard."""
    cells = ["'=x", "'+1", "'-", "'@a", "'\tb", "'\rc", "''=d", "'a", "'", "=e", "'é", "", None]
    expected = pl.DataFrame({"v": cells}, schema={"v": pl.String}).select(
        unguard(pl.col("v")).str.strip_chars().replace("", None)
    )["v"]
    assert _apply(values.text(pl.col("v")), cells) == expected.to_list()


# URLs whose head (up to the third '/', '?', '#' or '\') has to carry the whole verdict.
_TRICKY_URLS = [
    "https://example.com",
    "https://example.com/a/b?c#d",
    " https://example.com /x",
    "https://exa mple.com/",
    "https:\\\\example.com\\path",
    "ht\ttps://example.com/",
    "https:\t//example.com/",
    "https://exa\nmple.com/x",
    "https://user:pw@example.com:8080/x",
    "https://example.com:99999/x",
    "https://[2001:db8::1]:443/x",
    "https://1.2.3.256/x",
    "https://xn--mnchen-3ya.de/x",
    "https://%65xample.com/x",
    "https://example.com?x=/y",
    "https://example.com#/y",
    "https:///example.com",
    "https:/example.com/x",
    "https://",
    "foo/https://example.com/",
    "javascript:alert(1)//https://example.com/",
    "https://example.com\u00a0/x",
    "https://example.com\u00a0",
    "",
    None,
]


@pytest.mark.parametrize("url", _TRICKY_URLS)
def test_url_head_keeps_the_url_check(url: str | None) -> None:
    """validate checks URLs once per head: the head's verdict must be the URL's."""
    frame = pl.DataFrame({"v": [url]}, schema={"v": pl.String})
    checked = frame.select(
        values.is_http_url(pl.col("v")).alias("url"),
        values.is_http_url(values.url_head(pl.col("v"))).alias("head"),
    )
    assert checked["url"].to_list() == checked["head"].to_list()


@pytest.mark.parametrize("repeats", [1, 50])
def test_by_distinct_matches_parsing_every_row(repeats: int) -> None:
    """The same results whether the distinct cells are parsed (repeats) or the rows directly
    (all distinct), including a date column's slash convention."""
    cells = ["03/04/2025", "15/04/2025", "soon", None, "2025-01-02", " 03/04/2025 "]
    frame = pl.DataFrame({"v": cells * repeats}, schema={"v": pl.String})
    parsed = values.by_distinct(
        frame, ["v"], lambda distinct: distinct.with_columns(values.to_date(pl.col("v")).alias("d"))
    )
    direct = frame.select(values.to_date(pl.col("v")).alias("d"))
    assert parsed.equals(direct)
