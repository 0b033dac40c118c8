"""HTML report: self-contained, escapes hostile text, charts add up, atomic write."""

from __future__ import annotations

import base64
import hashlib
import json
import re
from datetime import datetime, timedelta, timezone
from pathlib import Path

import polars as pl
import pytest

from pipeline.errors import LinktoxError
from pipeline.outputs import domain_rollup, render_report, write_report
from pipeline.outputs.report import _anchor_classes, _histogram, report_data

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


def _data(html: str) -> dict:
    found = re.search(r'<script type="application/json" id="report-data">(.*?)</script>', html)
    assert found is not None
    return json.loads(found.group(1))


def test_report_is_self_contained(scored: pl.DataFrame) -> None:
    html = _render(scored)
    assert "http" in html  # link URLs are shown as data...
    # two scripts: the JSON data, and the one inline script the CSP allows by its hash
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", html, re.S)
    assert [attrs for attrs, _ in scripts] == [' type="application/json" id="report-data"', ""]
    outside_scripts = re.sub(r"<script.*?</script>", "", html, flags=re.S)
    # ...but nothing is ever loaded: no resource attributes, no CSS imports or urls
    assert not re.search(r"\b(src|href|srcset|xlink:href|action)\s*=", outside_scripts, re.I)
    assert not re.search(r"@import|url\(|<link|<iframe|<object|<embed", outside_scripts, re.I)
    # and the script neither fetches nor links anywhere but inside the page
    code = scripts[1][1]
    assert not re.search(r"fetch\(|XMLHttpRequest|import\(|WebSocket|\.src\b|//[a-z]", code)
    assert re.findall(r"\.href = ([^;]+);", code) == ['"#links-section"']
    digest = base64.b64encode(hashlib.sha256(scripts[1][1].encode()).digest()).decode()
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', html)
    assert csp is not None and "default-src 'none'" in csp.group(1)
    assert f"script-src 'sha256-{digest}'" in csp.group(1)
    urls_in_text = re.findall(r">[^<]*https?://[^<]*<", outside_scripts)
    assert len(urls_in_text) == len(re.findall(r"https?://", outside_scripts))


def test_hostile_text_is_escaped(scored: pl.DataFrame) -> None:
    html = _render(_hostile(scored), title=f"Audit {SCRIPT}")
    assert SCRIPT not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html  # the title
    assert "<img" not in html
    data = _data(html)  # the JSON round-trips the hostile text as plain data
    assert SCRIPT in {row[1] for row in data["links"]}
    assert any("onerror" in row[0] for row in data["links"])


def test_headline_numbers_and_sections(scored: pl.DataFrame) -> None:
    html = _render(scored)
    assert ">42.9%<" in html  # 3 toxic links of 7
    assert "level-high" in html
    assert "2026-11-24 09:30:00+01:00" in html and "toxic-v3" in html
    assert html.count("<svg") == 3  # histogram, labels per domain, anchor classes
    assert 'id="domains-table"' in html and 'id="links-table"' in html
    assert 'id="changes-section"' not in html


def test_data_lists_every_domain_and_every_flagged_link(scored: pl.DataFrame) -> None:
    data = report_data(scored, domain_rollup(scored))
    texts = data["texts"]
    domains = {row[0]: row for row in data["domains"]}
    assert list(domains) == ["spam.xyz", "mixed.org", "news.com"]  # worst first
    spam = domains["spam.xyz"]
    assert data["labels"][spam[1]] == "toxic" and spam[2:7] == [3, 2, 1, 97.5, 82.8]
    assert (
        "; ".join(texts[i] for i in spam[7])
        == "spam TLD .xyz; exact-match money anchor; sitewide link"
    )
    links = data["links"]
    assert len(links) == 4  # 3 toxic + 1 review; whitelisted links are not listed
    assert [row[4] for row in links] == [97.5, 91.0, 88.0, 60.0]
    assert [data["domains"][row[2]][0] for row in links] == ["spam.xyz", "spam.xyz", "mixed.org",
                                                             "spam.xyz"]  # fmt: skip
    assert "; ".join(texts[i] for i in links[0][5]) == "exact-match money anchor; spam TLD .xyz"
    assert len(texts) == len(set(texts))  # each reason sent once


def test_optional_columns_may_be_missing(scored: pl.DataFrame) -> None:
    html = _render(scored.drop("anchor_class", "source_url"))
    assert html.count("<svg") == 2
    assert 'id="links-table"' not in html and _data(html)["links"] is None


def test_histogram_count_label_fits_its_margin(scored: pl.DataFrame) -> None:
    many = pl.concat([scored] * 2000)  # the tallest bar holds thousands: "2,000" must fit
    html = _render(many)
    margin = int(re.search(r'id="histogram" viewBox="-(\d+) ', html).group(1))
    label = re.search(r'class="tick count-axis" x="(-?\d+)" y="4">([^<]+)<', html)
    assert label is not None and label.group(2) == "2,000"
    # right-aligned at x, 11 px digits are at most 7 units wide: the text starts inside the box
    assert int(label.group(1)) - 7 * len(label.group(2)) > -margin


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


def test_tables_are_cut_at_the_cap_and_say_how_many_there_are(scored, monkeypatch) -> None:
    monkeypatch.setattr("pipeline.outputs.report.MAX_TABLE_ROWS", 1)
    data = report_data(scored, domain_rollup(scored))
    assert [row[0] for row in data["domains"]] == ["spam.xyz"]
    assert data["totals"] == {"domains": 3, "links": 4, "changes": None}
    assert len(data["links"]) == 1 and data["links"][0][2] == 0  # spam.xyz: a position
    monkeypatch.setattr("pipeline.outputs.report.MAX_TABLE_ROWS", 3)
    links = report_data(scored, domain_rollup(scored.filter(pl.col("ref_domain") != "spam.xyz")))
    assert links["links"][0][2] == "spam.xyz"  # not in the domains table: its name


def test_links_on_a_hosting_platform_point_to_their_subdomain_site() -> None:
    # freehostz.net has links from five unrelated subdomains: the rollup makes each a site, and
    # each toxic link must point to its own site's row (the link from a domain to its links).
    users = ["anna", "bob", "carl", "dora", "emil"]
    scored = pl.DataFrame(
        {
            "source_url": [f"https://{u}.freehostz.net/p" for u in users],
            "ref_domain": ["freehostz.net"] * 5,
            "source_host": [f"{u}.freehostz.net" for u in users],
            "toxicity_score": [90.0, 91.0, 92.0, 93.0, 1.0],
            "label": ["toxic"] * 4 + ["whitelist"],
            "reasons": ["spam"] * 4 + [""],
        }
    )
    data = report_data(scored, domain_rollup(scored))
    names = [row[0] for row in data["domains"]]
    assert sorted(names) == [f"{u}.freehostz.net" for u in users]
    assert [names[row[2]] for row in data["links"]] == [
        "dora.freehostz.net", "carl.freehostz.net", "bob.freehostz.net", "anna.freehostz.net",
    ]  # fmt: skip
