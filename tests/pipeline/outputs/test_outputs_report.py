"""HTML report: self-contained, escapes hostile text, charts add up, atomic write."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from pathlib import Path

import polars as pl
import pytest

from pipeline.errors import LinktoxError
from pipeline.outputs import domain_rollup, render_report, write_report
from pipeline.outputs.report import _anchor_classes, _histogram

SCRIPT = "<script>alert(1)</script>"
WHEN = datetime(2026, 11, 24, 9, 30, tzinfo=timezone(timedelta(hours=1)))


def _render(scored: pl.DataFrame, title: str = "Backlink audit: mysite.com") -> str:
    return render_report(
        scored, domain_rollup(scored), title=title, generated_at=WHEN, model_version="toxic-v3"
    )


def _hostile(scored: pl.DataFrame) -> pl.DataFrame:
    toxic = pl.col("label") == "toxic"
    return scored.with_columns(
        pl.when(toxic).then(pl.lit(SCRIPT)).otherwise(pl.lit("fine")).alias("anchor"),
        pl.when(toxic).then(pl.lit(f"anchor {SCRIPT}")).otherwise("reasons").alias("reasons"),
        pl.when(toxic)
        .then(pl.lit('http://spam.xyz/"><img src=x onerror=alert(1)>'))
        .otherwise("source_url")
        .alias("source_url"),
    )


def test_report_is_self_contained(scored: pl.DataFrame) -> None:
    html = _render(scored)
    assert "http" in html  # link URLs are shown as data...
    # ...but nothing is ever loaded: no resource attributes, no CSS imports or urls, no scripts
    assert not re.search(r"\b(src|href|srcset|xlink:href|action)\s*=", html, re.I)
    assert not re.search(r"@import|url\(|<link|<script|<iframe|<object|<embed", html, re.I)
    urls_in_text = re.findall(r">[^<]*https?://[^<]*<", html)
    assert len(urls_in_text) == len(re.findall(r"https?://", html))  # every URL is text


def test_hostile_text_is_escaped(scored: pl.DataFrame) -> None:
    html = _render(_hostile(scored), title=f"Audit {SCRIPT}")
    assert SCRIPT not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<img" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html


def test_headline_numbers_and_sections(scored: pl.DataFrame) -> None:
    html = _render(scored)
    assert ">42.9%<" in html  # 3 toxic links of 7
    assert "level-high" in html
    assert "2026-11-24 09:30:00+01:00" in html and "toxic-v3" in html
    assert html.count("<svg") == 3  # histogram, labels per domain, anchor classes
    domains = html.split("Top toxic referring domains")[1].split("</table>")[0]
    assert "<td>spam.xyz</td>" in domains and "mixed.org" not in domains  # toxic domains only
    assert "spam TLD .xyz" in domains


def test_optional_columns_may_be_missing(scored: pl.DataFrame) -> None:
    html = _render(scored.drop("anchor_class", "source_url"))
    assert html.count("<svg") == 2
    assert "Top toxic links" not in html


def test_report_is_deterministic(scored: pl.DataFrame) -> None:
    assert _render(scored) == _render(scored.sample(fraction=1.0, shuffle=True, seed=1))


def test_histogram_adds_up_and_stacks_by_label(scored: pl.DataFrame) -> None:
    hist = _histogram(scored, "toxicity_score", "label")
    segments = [seg for b in hist["bins"] for seg in b["segments"]]
    assert sum(seg["count"] for seg in segments) == scored.height
    assert len(hist["bins"]) == 20
    top_bin = hist["bins"][-1]  # 95-100 holds the 97.5 toxic link only
    assert [(s["label"], s["count"]) for s in top_bin["segments"]] == [("toxic", 1)]
    tallest = max(b["total"] for b in hist["bins"])
    assert all(s["height"] <= hist["height"] for s in segments)
    assert hist["max"] == tallest


def test_anchor_classes_add_up(scored: pl.DataFrame) -> None:
    chart = _anchor_classes(scored, "anchor_class", "label")
    assert chart is not None
    assert sum(bar["total"] for bar in chart["bars"]) == scored.height
    assert chart["bars"][0]["name"] == "brand"  # most frequent first


def test_write_report(tmp_path: Path, scored: pl.DataFrame) -> None:
    html = _render(scored)
    write_report(html, tmp_path / "report.html")
    assert (tmp_path / "report.html").read_text(encoding="utf-8") == html
    with pytest.raises(LinktoxError, match=r"report\.pdf: .*\.html or \.htm"):
        write_report(html, tmp_path / "report.pdf")
    assert [p.name for p in tmp_path.iterdir()] == ["report.html"]
