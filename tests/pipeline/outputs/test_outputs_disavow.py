"""Disavow file: Google's syntax and limits, protected domains, merging with the previous file."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import polars as pl
import pytest

from pipeline.errors import LinktoxError
from pipeline.outputs import (
    MAX_BYTES,
    MAX_LINES,
    build_disavow,
    check_disavow,
    parse_disavow,
    write_disavow,
)
from pipeline.outputs import columns as c

DAY = date(2026, 11, 24)
ENTRY = re.compile(r"^(#.*|domain:[a-z0-9._-]+|https?://\S+)$")


def _rollup(toxic: list[str], other: list[str] = ()) -> pl.DataFrame:
    return pl.DataFrame(
        {
            c.REF_DOMAIN: [*toxic, *other],
            c.DOMAIN_LABEL: ["toxic"] * len(toxic) + ["review"] * len(other),
        }
    )


def _build(toxic: list[str], **kwargs) -> str:
    kwargs.setdefault("own_domains", ["mysite.com"])
    return build_disavow(_rollup(toxic), generated_at=DAY, tool_version="linktox 0.1.0", **kwargs)


def _entries(text: str) -> list[str]:
    return [line for line in text.splitlines() if not line.startswith("#")]


def test_toxic_domains_sorted_deduplicated_lowercase_punycode() -> None:
    text = _build(["zeta.xyz", "Alpha.com", "alpha.com", "bücher.de", "faß.de"])
    assert _entries(text) == [
        "domain:alpha.com",
        "domain:xn--bcher-kva.de",
        "domain:xn--fa-hia.de",  # IDNA 2008: ß is kept, not mapped to ss
        "domain:zeta.xyz",
    ]


def test_only_toxic_domains_are_disavowed() -> None:
    rollup = _rollup(["spam.xyz"], other=["maybe.org"])
    text = build_disavow(rollup, own_domains=[], generated_at=DAY, tool_version="t")
    assert _entries(text) == ["domain:spam.xyz"]


def test_format_header_and_encoding() -> None:
    text = _build(["spam.xyz", "bücher.de"])
    assert text.endswith("\n") and "\r" not in text
    assert text.encode("utf-8").decode("utf-8") == text
    assert text.startswith("# linktox disavow file, generated 2026-11-24\n# linktox 0.1.0\n")
    assert "# 2 domains disavowed (2 new, 0 kept from previous file)\n" in text
    assert all(ENTRY.match(line) for line in text.split("\n")[:-1]), text


def test_tool_version_cannot_break_out_of_its_comment() -> None:
    text = build_disavow(
        _rollup([]), own_domains=[], generated_at=DAY, tool_version="v1\nhttp://x.com/"
    )
    assert "\nhttp://x.com/" not in text


def test_own_domains_and_their_relatives_are_never_disavowed() -> None:
    text = _build(
        ["mysite.com", "blog.mysite.com", "example.com", "spam.xyz"],
        own_domains=["MySite.com", "shop.example.com"],  # example.com would cover the shop
    )
    assert _entries(text) == ["domain:spam.xyz"]
    assert "3 toxic domains spared" in text


def test_odd_own_domains_are_skipped_not_fatal() -> None:
    text = _build(["spam.xyz"], own_domains=["localhost", "mysite.com", "[::1]"])
    assert _entries(text) == ["domain:spam.xyz"]
    assert "1 own domain and" in text


@pytest.mark.parametrize(
    "entry",
    ["friend.org", "domain:friend.org", "https://www.friend.org/some/page?x=1", "*.friend.org"],
)
def test_whitelist_notations(entry: str) -> None:
    text = _build(["friend.org", "cdn.friend.org", "spam.xyz"], whitelist=[entry])
    assert _entries(text) == ["domain:spam.xyz"]


def test_whitelist_comments_are_ignored_and_nonsense_refused() -> None:
    assert _entries(_build(["spam.xyz"], whitelist=["# partners", ""])) == ["domain:spam.xyz"]
    with pytest.raises(LinktoxError, match=r"whitelist entry 2 'not a domain'"):
        _build(["spam.xyz"], whitelist=["ok.com", "not a domain"])


PREVIOUS = """\ufeff# my notes from 2025
domain:old-spam.net\r
domain:Friend.org
http://old-spam.net/page
https://other.info/bad-page
https://friend.org/ok
http://spam.xyz/covered

domain:spam.xyz
"""


def test_merge_keeps_previous_entries_and_drops_protected_ones() -> None:
    text = _build(["spam.xyz", "new.biz"], whitelist=["friend.org"], merge_with=PREVIOUS)
    assert _entries(text) == [
        "domain:new.biz",
        "domain:old-spam.net",
        "domain:spam.xyz",
        "https://other.info/bad-page",
    ]
    assert "# 3 domains disavowed (1 new, 2 kept from previous file)" in text
    assert "# 1 URL disavowed (0 new, 1 kept from previous file)" in text
    # friend.org (domain and URL) is now whitelisted; two URLs sit on disavowed domains
    assert "2 entries dropped (now whitelisted or own domains), 2 URLs dropped" in text
    assert "1 comment line not carried over" in text
    assert "my notes" not in text


def test_merge_with_a_previous_output_is_stable() -> None:
    first = _build(["spam.xyz"], merge_with=PREVIOUS)
    again = _build(["spam.xyz"], merge_with=first)
    assert _entries(again) == _entries(first)


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ("example.com", "not a domain: entry"),
        ("domain:example.com/en/", "cannot have a path"),
        ("*.example.com", "not a domain: entry"),
        ("domain:*.example.com", "wildcards are invalid"),
        ("ftp://example.com/file", "not a domain: entry"),
        ("http://exa mple.com/", "not a domain: entry"),
        ("domain:", "not a valid domain name"),
        ("http:///nohost", "URL without a valid host name"),
        ("http://x.com/" + "a" * 2048, "URL of 2,061 characters"),
    ],
)
def test_invalid_previous_lines_are_refused_with_their_number(line: str, problem: str) -> None:
    previous = f"# header\ndomain:ok.com\n{line}\n"
    with pytest.raises(LinktoxError, match=rf"old\.txt: line 3: .*{re.escape(problem)}"):
        _build(["spam.xyz"], merge_with=previous, merge_name="old.txt")


def test_parse_counts_entries() -> None:
    parsed = parse_disavow(PREVIOUS)
    assert parsed.domains == ("old-spam.net", "friend.org", "spam.xyz")
    assert len(parsed.urls) == 4
    assert parsed.comments == 1


def test_more_than_100000_lines_is_refused() -> None:
    many = [f"d{i}.com" for i in range(MAX_LINES)]
    with pytest.raises(LinktoxError, match=r"100,00\d lines; Google accepts at most 100,000"):
        _build(many)


def test_more_than_2_mb_is_refused() -> None:
    url = "http://spam.xyz/" + "p" * 1984  # 2,000 characters
    text = "".join(f"{url}{i:05d}\n" for i in range(1_000))  # 2,006,000 bytes, 1,000 lines
    assert len(text.encode()) > MAX_BYTES
    with pytest.raises(LinktoxError, match=r"2,006,000 bytes; Google accepts at most 2,000,000"):
        check_disavow(text)


def test_long_url_is_refused_anywhere() -> None:
    with pytest.raises(LinktoxError, match=r"line 2: .*URL of 2,049 characters"):
        check_disavow("# x\nhttp://x.com/" + "a" * 2036 + "\n")


def test_write_disavow(tmp_path: Path) -> None:
    text = _build(["spam.xyz", "bücher.de"])
    path = tmp_path / "disavow.txt"
    write_disavow(text, path)
    assert path.read_bytes() == text.encode("utf-8")


def test_write_disavow_needs_a_txt_name(tmp_path: Path) -> None:
    with pytest.raises(LinktoxError, match=r"disavow\.csv: .*\*\.txt"):
        write_disavow(_build(["spam.xyz"]), tmp_path / "disavow.csv")
    assert list(tmp_path.iterdir()) == []


def test_write_disavow_refuses_bad_text_and_keeps_the_old_file(tmp_path: Path) -> None:
    path = tmp_path / "disavow.txt"
    path.write_text("domain:old.com\n")
    with pytest.raises(LinktoxError, match=r"line 1: 'spam\.xyz'"):
        write_disavow("spam.xyz\n", path)
    with pytest.raises(LinktoxError, match="must end with a newline"):
        write_disavow("domain:spam.xyz", path)
    assert path.read_text() == "domain:old.com\n"
    assert [p.name for p in tmp_path.iterdir()] == ["disavow.txt"]
