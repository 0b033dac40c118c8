"""The URL-only GSC export: sides, overlaps and a deterministic file."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from bench.real import url_only


def test_domain_sides_reduce_and_resolve_overlaps() -> None:
    sides = url_only.domain_sides(
        ["domain:spam.com", "http://www.spam.com/x", "both.org", "domain:blogspot.com"],
        ["both.org", "legit.net", "1.2.3.4"],
    )
    got = dict(zip(sides["key"], sides["side"], strict=True))
    assert got == {"spam.com": "spam", "both.org": "legit", "legit.net": "legit"}


def test_gsc_file_is_deterministic_and_reads_as_gsc(tmp_path: Path) -> None:
    sides = pl.DataFrame({"key": ["a.com", "b.org", "c.net"], "side": ["spam", "legit", "spam"]})
    first = url_only.gsc_links(sides, seed=3)
    again = url_only.gsc_links(sides.reverse(), seed=3)
    assert first.equals(again)
    assert set(first["Last crawled"]) == {url_only.CRAWLED}
    assert all(url.startswith("https://") for url in first["Linking page"])
    path = tmp_path / "links.csv"
    url_only.write_gsc_csv(first, path)
    assert path.read_text().splitlines()[0] == "Linking page,Last crawled"


def test_read_domains_from_text_and_csv(tmp_path: Path) -> None:
    text = tmp_path / "spam.txt"
    text.write_text("# list\ndomain:a.com\nb.com\n", encoding="utf-8")
    assert url_only.read_domains(text) == ["domain:a.com", "b.com"]
    table = tmp_path / "legit.csv"
    pl.DataFrame({"GlobalRank": [1], "Domain": ["c.com"]}).write_csv(table)
    assert url_only.read_domains(table) == ["c.com"]
