"""The world's exports: exact vendor headers, encodings, spellings; truth never leaks; atomic."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import polars as pl
import pytest

from features import schema
from pipeline import io as pipeline_io
from pipeline.world import exports, generate_world
from pipeline.world.exports import (
    AHREFS_COLUMNS,
    SEMRUSH_COLUMNS,
    write_ahrefs_tsv,
    write_canonical_csv,
    write_semrush_csv,
)

SEMRUSH_HEADER = (
    "Page ascore,Source title,Source url,Target url,Anchor,External links,Internal links,Nofollow,"
    "Sponsored,Ugc,Text,Frame,Form,Image,Sitewide,First seen,Last seen,New link,Lost link"
)
AHREFS_HEADER = [
    "Referring page title", "Referring page URL", "Language", "Platform",
    "Referring page HTTP code", "Domain rating", "UR", "Domain traffic", "Referring domains",
    "Linked domains", "External links", "Page traffic", "Keywords", "Target URL", "Left context",
    "Anchor", "Right context", "Type", "Content", "Nofollow", "UGC", "Sponsored", "Rendered", "Raw",
    "Is spam", "Lost status", "Drop reason", "Discovered status", "Page category", "Page type",
    "Author", "First seen", "Last seen", "Lost", "Links in group",
]  # fmt: skip


@pytest.fixture(scope="module")
def world() -> pl.DataFrame:
    return generate_world(5_000, seed=21)


def _no_truth(text: str) -> None:
    header = re.split(r"[,\t]", text.splitlines()[0].lower())  # CSV or TSV
    for column in (schema.LABEL, schema.TACTIC, schema.SITE):
        assert column not in header
    assert "negative_seo" not in text and "shop-under-attack" not in text


def test_semrush_header_and_spellings(world: pl.DataFrame, tmp_path: Path) -> None:
    path = tmp_path / "semrush.csv"
    write_semrush_csv(world, path)
    text = path.read_text(encoding="utf-8")
    assert text.splitlines()[0] == SEMRUSH_HEADER
    assert ",".join(SEMRUSH_COLUMNS) == SEMRUSH_HEADER
    _no_truth(text)
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == world.height
    flags = ("Nofollow", "Sponsored", "Ugc", "Text", "Frame", "Form", "Image", "Sitewide")
    for row in rows[:500]:
        for flag in (*flags, "New link", "Lost link"):
            assert row[flag] in ("TRUE", "FALSE")
        assert row["Page ascore"].isdigit()
        assert len(row["First seen"]) == 10 and row["First seen"][4] == "-"
        kinds = [row[k] for k in ("Text", "Frame", "Form", "Image")]
        assert kinds.count("TRUE") <= 1


def test_semrush_link_type_and_flags_follow_the_world(world: pl.DataFrame) -> None:
    frame = exports.semrush_frame(world)
    assert frame["Image"].eq("TRUE").sum() == world[schema.LINK_TYPE].eq("image").sum()
    assert frame["Nofollow"].eq("TRUE").sum() == world[schema.NOFOLLOW].sum()
    lost = frame["Lost link"].eq("TRUE")
    assert 0 < lost.mean() < 1


def test_ahrefs_is_utf16_le_with_bom_and_tabs(world: pl.DataFrame, tmp_path: Path) -> None:
    path = tmp_path / "ahrefs.tsv"
    write_ahrefs_tsv(world, path)
    raw = path.read_bytes()
    assert raw[:2] == b"\xff\xfe"
    text = raw[2:].decode("utf-16-le")
    assert text.splitlines()[0].split("\t") == AHREFS_HEADER == list(AHREFS_COLUMNS)
    _no_truth(text)
    rows = list(csv.reader(io.StringIO(text), delimiter="\t"))
    assert len(rows) == world.height + 1
    assert all(len(row) == len(AHREFS_HEADER) for row in rows)
    body = rows[1:]
    col = AHREFS_HEADER.index
    assert all(row[col("Platform")] == "" for row in body)
    assert {row[col("Nofollow")] for row in body} <= {"true", "false"}
    assert any(row[col("Language")] not in ("", "en") for row in body)


def test_ahrefs_chunks_write_one_header(
    world: pl.DataFrame, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    whole, chunked = tmp_path / "whole.tsv", tmp_path / "chunked.tsv"
    write_ahrefs_tsv(world, whole)
    monkeypatch.setattr(exports, "_CHUNK_ROWS", 777)
    write_ahrefs_tsv(world, chunked)
    assert whole.read_bytes() == chunked.read_bytes()


def test_canonical_csv_round_trips(world: pl.DataFrame, tmp_path: Path) -> None:
    path = tmp_path / "canonical.csv"
    write_canonical_csv(world, path)
    text = path.read_text(encoding="utf-8")
    assert text.splitlines()[0].split(",") == list(schema.CANONICAL)
    _no_truth(text)
    back = pl.read_csv(path, schema=schema.CANONICAL)
    assert back.equals(world.select(list(schema.CANONICAL)))
    # Booleans are spelled true/false. Read as text: a Boolean read also accepts TRUE/FALSE.
    raw = pl.read_csv(path, infer_schema=False)
    assert set(raw[schema.NOFOLLOW].to_list()) == {"true", "false"}
    for flag in (schema.UGC, schema.SPONSORED, schema.SITEWIDE):
        assert set(raw[flag].to_list()) <= {"true", "false"}, flag


def test_exports_accept_a_frame_missing_optional_columns(tmp_path: Path) -> None:
    minimal = pl.DataFrame(
        {schema.SOURCE_URL: ["https://a.example/x"], schema.TARGET_URL: ["https://b.com/"]}
    )
    write_semrush_csv(minimal, tmp_path / "m.csv")
    write_ahrefs_tsv(minimal, tmp_path / "m.tsv")
    row = (tmp_path / "m.csv").read_text(encoding="utf-8").splitlines()[1]
    assert row.startswith(",,https://a.example/x,https://b.com/,")


def test_parquet_written_twice_is_byte_identical(world: pl.DataFrame, tmp_path: Path) -> None:
    pipeline_io.write_parquet(world, tmp_path / "a.parquet")
    pipeline_io.write_parquet(generate_world(5_000, seed=21), tmp_path / "b.parquet")
    assert (tmp_path / "a.parquet").read_bytes() == (tmp_path / "b.parquet").read_bytes()
    assert pl.read_parquet(tmp_path / "a.parquet").equals(world)


def test_failed_write_leaves_no_file(
    world: pl.DataFrame, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def boom(*args: object, **kwargs: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(pl.DataFrame, "write_csv", boom)
    with pytest.raises(OSError, match="disk full"):
        write_semrush_csv(world, tmp_path / "semrush.csv")
    assert list(tmp_path.iterdir()) == []
