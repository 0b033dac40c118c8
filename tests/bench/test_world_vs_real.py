"""World versus real: the distances, the TLD groups and one small end-to-end run."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import polars as pl
import pytest

from bench.real import world_vs_real as wvr


@pytest.fixture(autouse=True)
def _restore_log_levels() -> Iterator[None]:
    """The script silences linktox's loggers for its whole process; a test must not leave them
    silenced for the tests that read linktox's log lines after it."""
    loggers = [logging.getLogger(name) for name in ("pipeline", "features", "models")]
    levels = [logger.level for logger in loggers]
    yield
    for logger, level in zip(loggers, levels, strict=True):
        logger.setLevel(level)


def test_tv_distance_is_half_the_l1_distance() -> None:
    assert wvr.tv_distance({"a": 1.0}, {"a": 1.0}) == 0.0
    assert wvr.tv_distance({"a": 1.0}, {"b": 1.0}) == 1.0
    assert wvr.tv_distance({"a": 0.5, "b": 0.5}, {"a": 0.8, "c": 0.2}) == pytest.approx(0.5)


def test_ks_distance_drops_nulls() -> None:
    same = pl.Series([1.0, 2.0, 3.0, None])
    assert wvr.ks_distance(same, pl.Series([3.0, 2.0, 1.0])) == 0.0
    assert wvr.ks_distance(pl.Series([1.0, 2.0]), pl.Series([5.0, 6.0])) == 1.0


def test_tld_groups() -> None:
    tlds = pl.Series("t", ["com", "DE", "edu", "xyz", "xn--p1ai", "1", None, "biz"])
    got = pl.select(wvr.tld_group(pl.lit(tlds))).to_series().to_list()
    assert got == [
        "com", "ccTLD", "edu/gov", "other gTLD", "other gTLD", "IP/none", "IP/none", "info/biz",
    ]  # fmt: skip


def test_measure_of_an_empty_column_is_not_available() -> None:
    frame = pl.DataFrame(
        {name: [None, None] for name in wvr.adapter.canonical_columns()} | {wvr.PROFILE: ["a", "a"]}
    )
    frame = wvr.adapter.conform(frame).with_columns(pl.Series("page_authority", [10.0, 20.0]))
    shapes = {name: [None, None] for name in wvr.adapter.SHAPES}
    measured = wvr.measure_frame(pl.concat([frame, pl.DataFrame(shapes)], how="horizontal"))
    assert measured["page authority"].to_list() == [10.0, 20.0]
    assert measured["domain authority"].null_count() == 2


HEADER = (
    "Page ascore", "Source title", "Source url", "Target url", "Anchor", "External links",
    "Internal links", "Nofollow", "Sponsored", "Ugc", "Text", "Frame", "Form", "Image",
    "Sitewide", "First seen", "Last seen", "New link", "Lost link",
)  # fmt: skip


def semrush_csv(path: Path, rows: int) -> None:
    lines = [",".join(HEADER)]
    for i in range(rows):
        day = date(2025, 1, 1) + timedelta(days=i)
        lines.append(
            f"{i % 60},Post {i} about pumps,https://blog{i}.example.org/p/{i}?x=1,"
            f"https://acme.com/,Acme,{i % 9},{i % 5},{str(i % 2 == 0).lower()},false,false,"
            f"true,false,false,false,false,{day},{day + timedelta(days=30)},false,false"
        )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_end_to_end_writes_markdown_and_json(tmp_path: Path) -> None:
    real = tmp_path / "real"
    (real / "copy").mkdir(parents=True)
    semrush_csv(real / "acme.com-backlinks.csv", 150)
    (real / "copy" / "acme.com-backlinks.csv").write_bytes(
        (real / "acme.com-backlinks.csv").read_bytes()
    )
    n = 150
    world = pl.DataFrame(
        {
            "source_url": [f"https://site{i}.com/blog/{i}" for i in range(n)],
            "target_url": ["https://acme.com/"] * n,
            "anchor": ["cheap pumps"] * n,
            "source_title": ["Pumps"] * n,
            "nofollow": [False] * n,
            "page_authority": [float(i % 90) for i in range(n)],
            "domain_authority": [50.0] * n,
            "first_seen": [date(2020, 1, 1) + timedelta(days=i) for i in range(n)],
            "site": ["acme"] * n,
        }
    )
    world.write_parquet(tmp_path / "world.parquet")
    out = tmp_path / "out" / "world_vs_real.md"
    code = wvr.main(
        ["--semrush", str(real), "--world", f"w={tmp_path / 'world.parquet'}", "--out", str(out)]
    )
    assert code == 0
    data = json.loads(out.with_suffix(".json").read_text())
    assert data["semrush"]["duplicates_dropped"] == 1
    assert data["semrush"]["links"] == 150
    rows = {row["column"]: row for row in data["rows"]}
    assert rows["nofollow"]["worlds"]["w"]["distance"] == pytest.approx(0.5)
    assert rows["page authority"]["measure"] == "KS"
    assert "ugc" not in rows  # the world has no ugc column
    missing = {item["column"]: item["side"] for item in data["not_compared"]}
    assert missing["domain authority"] == "real"
    assert missing["ugc"] == "world"
    assert "| page authority | KS |" in out.read_text()
