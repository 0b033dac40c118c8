"""Each vendor's export is detected and mapped onto the canonical link table."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
import pytest

from features import schema
from pipeline.importers import FORMATS, ImportResult, detect_format, read_export
from tests.pipeline.importers.conftest import FIXTURES, write_xlsx

# fixture file -> the format it must be detected as
DETECTED: dict[str, str] = {
    "semrush_backlinks.csv": "semrush",
    "semrush_backlinks_eu.csv": "semrush",
    "semrush_legacy.csv": "semrush_legacy",
    "semrush_audit.csv": "semrush_audit",
    "ahrefs_backlinks_utf16.csv": "ahrefs",
    "ahrefs_backlinks_v2.csv": "ahrefs",
    "moz_inbound_links.csv": "moz",
    "majestic_backlinks.csv": "majestic",
    "gsc_latest_links.csv": "gsc_links",
    "gsc_latest_links_de.csv": "gsc_links",
    "gsc_top_linking_sites.csv": "gsc_sites",
    "semrush_refdomains.csv": "semrush_refdomains",
    "ahrefs_refdomains.csv": "ahrefs_refdomains",
    "majestic_refdomains.csv": "majestic_refdomains",
}
SITE = "example.com"


def _read(name: str, **kwargs: object) -> ImportResult:
    kwargs.setdefault("site", SITE)
    return read_export(FIXTURES / name, **kwargs)  # type: ignore[arg-type]


def _row(result: ImportResult, source_url: str) -> dict:
    rows = result.links.filter(pl.col(schema.SOURCE_URL) == source_url)
    assert rows.height == 1, f"{source_url} not found once in {result.path.name}"
    return rows.row(0, named=True)


def test_formats_lists_every_format() -> None:
    assert set(DETECTED.values()) | {"canonical"} == set(FORMATS)


@pytest.mark.parametrize(("name", "expected"), sorted(DETECTED.items()))
def test_each_export_is_detected(name: str, expected: str) -> None:
    assert detect_format(FIXTURES / name) == expected
    assert _read(name, on_error="skip").format == expected


@pytest.mark.parametrize("name", sorted(DETECTED))
def test_links_have_every_canonical_column_with_its_dtype(name: str) -> None:
    result = _read(name, on_error="skip")
    assert result.links.schema == pl.Schema(schema.CANONICAL)
    assert result.original.height == result.links.height > 0
    assert result.links[schema.SOURCE_URL].null_count() == 0
    assert result.links[schema.TARGET_URL].null_count() == 0


def test_semrush_current_header() -> None:
    result = _read("semrush_backlinks.csv")
    first = _row(result, "https://blog.greenthumb.org/tips")
    assert first[schema.SOURCE_TITLE] == "Gardening tips, tricks and tools"
    assert first[schema.PAGE_AUTHORITY] == 45.0
    assert first[schema.NOFOLLOW] is False
    assert first[schema.LINK_TYPE] == "text"
    assert first[schema.FIRST_SEEN] == dt.date(2025, 1, 14)
    spam = _row(result, "http://cheap-pills-casino.xyz/links.html")
    assert spam[schema.SITEWIDE] is True
    assert spam[schema.EXTERNAL_LINKS] == 480
    assert spam[schema.LAST_SEEN] == dt.date(2025, 3, 1)  # "2025-03-01 09:00:00"
    forum = _row(result, "https://forum.example.net/t/123")
    assert forum[schema.SOURCE_TITLE] == 'The "Allotment" forum'
    assert forum[schema.ANCHOR] is None
    assert (forum[schema.NOFOLLOW], forum[schema.UGC]) == (True, True)
    assert forum[schema.LINK_TYPE] == "image"


def test_semrush_european_resave_with_semicolons() -> None:
    result = _read("semrush_backlinks_eu.csv")
    assert result.original.columns[0] == "Page ascore"  # the BOM is not part of the name
    first = _row(result, "https://blog.gartenfreund.de/tipps")
    assert first[schema.SOURCE_TITLE] == "Gartentipps; Tricks und Werkzeug"
    assert first[schema.FIRST_SEEN] == dt.date(2025, 1, 14)  # 14.01.2025
    spam = _row(result, "http://billige-pillen.top/links")
    assert spam[schema.EXTERNAL_LINKS] == 1480  # "1.480", dot as thousands separator
    assert (spam[schema.SPONSORED], spam[schema.SITEWIDE]) == (True, True)  # WAHR
    assert spam[schema.NOFOLLOW] is False  # FALSCH
    assert result.problems == ()


def test_semrush_legacy_header() -> None:
    result = _read("semrush_legacy.csv")
    spam = _row(result, "http://free-seo-links.info/dir/garden")
    assert spam[schema.PAGE_AUTHORITY] == 2.0  # Page score
    assert spam[schema.LINK_TYPE] == "frame"
    assert "Page trust score" in result.original.columns


def test_semrush_audit_keeps_semrush_verdicts_out_of_links() -> None:
    result = _read("semrush_audit.csv")
    assert result.original["Toxicity Score"].to_list() == ["78", "5", "55"]
    assert result.original["Status"].to_list() == ["Disavow", "Whitelist", "Remove"]
    assert result.links[schema.NOFOLLOW].to_list() == [False, False, True]


def test_ahrefs_utf16_tab_separated() -> None:
    result = _read("ahrefs_backlinks_utf16.csv")
    first = _row(result, "https://blog.greenthumb.org/tips")
    assert first[schema.DOMAIN_AUTHORITY] == 41.0
    assert first[schema.PAGE_AUTHORITY] == 12.5
    assert first[schema.DOMAIN_TRAFFIC] == 15400.0
    assert (first[schema.LEFT_CONTEXT], first[schema.RIGHT_CONTEXT]) == (
        "Read more at",
        "for tools",
    )
    assert first[schema.SOURCE_LANGUAGE] == "en"
    assert first[schema.LAST_SEEN] == dt.date(2025, 3, 2)
    forum = _row(result, "https://forum.example.net/t/123")
    assert (forum[schema.NOFOLLOW], forum[schema.UGC], forum[schema.SPONSORED]) == (
        True,
        True,
        False,
    )  # 1/1/0
    assert forum[schema.LINK_TYPE] == "image"
    assert _row(result, "http://casino-bonus-2025.xyz/partners")[schema.NOFOLLOW] is False


def test_ahrefs_resaved_as_utf8_csv_reads_the_same(tmp_path: Path) -> None:
    text = (FIXTURES / "ahrefs_backlinks_utf16.csv").read_bytes().decode("utf-16")
    resaved = tmp_path / "ahrefs.csv"
    resaved.write_text(text.replace("\t", ","), encoding="utf-8")
    result = read_export(resaved)
    assert result.format == "ahrefs"
    assert result.links.equals(_read("ahrefs_backlinks_utf16.csv").links)


def test_ahrefs_xlsx_reads_the_same(tmp_path: Path) -> None:
    text = (FIXTURES / "ahrefs_backlinks_utf16.csv").read_bytes().decode("utf-16")
    rows: list[list[object]] = [line.split("\t") for line in text.splitlines()]
    for row in rows[1:]:  # numbers as numeric cells, as Excel stores them
        for index, value in enumerate(row):
            if value.replace(".", "", 1).isdigit():
                row[index] = float(value) if "." in value else int(value)
            elif value == "":
                row[index] = None
    workbook = write_xlsx(tmp_path / "ahrefs.xlsx", rows)
    result = read_export(workbook)
    assert result.format == "ahrefs"
    assert result.links.equals(_read("ahrefs_backlinks_utf16.csv").links)


def test_ahrefs_v2_aliases() -> None:
    result = _read("ahrefs_backlinks_v2.csv")
    first = _row(result, "https://blog.greenthumb.org/tips")
    assert first[schema.TARGET_URL] == "https://example.com/"  # Link URL
    assert first[schema.ANCHOR] == "example.com"  # Link Anchor
    assert first[schema.LEFT_CONTEXT] == "Read more at"  # TextPre
    assert first[schema.PAGE_AUTHORITY] == 12.0  # URL Rating (desc)
    assert first[schema.LAST_SEEN] == dt.date(2019, 6, 30)  # Last Check
    assert result.links[schema.NOFOLLOW].to_list() == [False, True]  # dofollow/nofollow in Type


def test_moz_preamble_scheme_and_follow_columns() -> None:
    result = _read("moz_inbound_links.csv")
    assert result.original.columns[:3] == ["URL", "Title", "Anchor Text"]
    first = _row(result, "https://blog.greenthumb.org/tips")
    assert (first[schema.PAGE_AUTHORITY], first[schema.DOMAIN_AUTHORITY]) == (38.0, 41.0)
    assert first[schema.NOFOLLOW] is False  # Only follow: Yes
    schemeless = _row(result, "http://www.gardenhub.com/resources")
    assert schemeless[schema.NOFOLLOW] is True  # Only rel=nofollow: Yes
    assert result.original["URL"][1] == "www.gardenhub.com/resources"  # original as written
    assert _row(result, "http://old-redirect.example.org/go")[schema.LINK_TYPE] == "redirect"
    assert result.original["Spam Score"].to_list() == ["1%", "3%", "40%"]


def test_majestic_flags_and_trust_flow() -> None:
    result = _read("majestic_backlinks.csv", on_error="skip")
    assert result.skipped == 1
    first = _row(result, "https://blog.greenthumb.org/tips")
    assert (first[schema.NOFOLLOW], first[schema.LINK_TYPE]) == (False, "text")  # empty flags
    assert first[schema.PAGE_AUTHORITY] == 24.0  # SourceTrustFlow
    assert first[schema.DOMAIN_AUTHORITY] is None
    assert first[schema.FIRST_SEEN] == dt.date(2024, 12, 2)
    assert first[schema.LAST_SEEN] == dt.date(2025, 3, 1)
    image = _row(result, "http://forum.example.net/t/123")
    assert (image[schema.NOFOLLOW], image[schema.LINK_TYPE]) == (True, "image")  # "+" flags
    assert _row(result, "https://news.example.co.uk/story")[schema.LINK_TYPE] == "redirect"


def test_gsc_latest_links_take_the_target_from_site() -> None:
    result = _read("gsc_latest_links.csv", site="example.com")
    assert result.links[schema.TARGET_URL].unique().to_list() == ["https://example.com/"]
    assert result.links[schema.LAST_SEEN].to_list() == [
        dt.date(2026, 9, 15),
        dt.date(2026, 9, 2),
        dt.date(2026, 8, 28),
    ]


def test_gsc_localized_header() -> None:
    result = _read("gsc_latest_links_de.csv")
    assert result.links[schema.SOURCE_URL][0] == "https://blog.gartenfreund.de/tipps"
    assert result.links[schema.LAST_SEEN][0] == dt.date(2026, 8, 1)


def test_gsc_unknown_localization_is_detected_by_shape(tmp_path: Path) -> None:
    export = tmp_path / "linki.csv"
    export.write_text(
        "Strona z linkiem,Ostatnie indeksowanie\n"
        "https://blog.example.pl/wpis,2026-08-01\n"
        "https://forum.example.pl/t/9,2026-07-30\n",
        encoding="utf-8",
    )
    result = read_export(export, site="example.com")
    assert result.format == "gsc_links"
    assert result.links[schema.LAST_SEEN][1] == dt.date(2026, 7, 30)


@pytest.mark.parametrize(
    ("site", "target"),
    [
        ("example.com", "https://example.com/"),
        ("sc-domain:example.com", "https://example.com/"),
        ("https://www.example.com/blog/", "https://www.example.com/blog/"),
    ],
)
def test_gsc_site_forms(site: str, target: str) -> None:
    result = _read("gsc_latest_links.csv", site=site)
    assert result.links[schema.TARGET_URL][0] == target


def test_gsc_top_linking_sites() -> None:
    result = _read("gsc_top_linking_sites.csv")
    assert result.links[schema.SOURCE_URL].to_list() == [
        "https://greenthumb.org/",
        "https://cheap-pills-casino.xyz/",
        "https://forum.example.net/",
    ]
    assert result.original["Linking pages"][0] == "1,240"


def _canonical_frame() -> pl.DataFrame:
    frame = pl.DataFrame(
        {
            schema.SOURCE_URL: ["https://a.example.org/p", "http://spam.example.xyz/"],
            schema.TARGET_URL: ["https://example.com/", "https://example.com/shop"],
            schema.ANCHOR: ["example", None],
            schema.NOFOLLOW: [False, True],
            schema.LINK_TYPE: ["text", "image"],
            schema.FIRST_SEEN: [dt.date(2025, 1, 2), None],
            schema.PAGE_AUTHORITY: [12.5, 0.0],
            schema.EXTERNAL_LINKS: [3, 1200],
            schema.SOURCE_IP: ["203.0.113.7", None],
        }
    )
    return schema.conform(frame.lazy()).collect()


def test_canonical_csv_round_trip_keeps_scored_columns(tmp_path: Path) -> None:
    links = _canonical_frame()
    scored = links.with_columns(
        toxicity_score=pl.Series([3.5, 97.0]),
        label=pl.Series(["whitelist", "toxic"]),
        reasons=pl.Series(["", "spam TLD .xyz"]),
        ref_domain=pl.Series(["example.org", "example.xyz"]),
    )
    path = tmp_path / "scored.csv"
    scored.write_csv(path)
    result = read_export(path)
    assert result.format == "canonical"
    assert result.links.equals(links)
    assert result.original.columns[-4:] == ["toxicity_score", "label", "reasons", "ref_domain"]
    assert result.original["label"].to_list() == ["whitelist", "toxic"]


def test_canonical_parquet(tmp_path: Path) -> None:
    links = _canonical_frame()
    path = tmp_path / "links.parquet"
    links.with_columns(site=pl.lit("garden")).write_parquet(path)
    result = read_export(path)
    assert result.format == "canonical"
    assert result.links.equals(links)
    assert result.original["site"].to_list() == ["garden", "garden"]


def test_review_queue_columns_do_not_break_detection(tmp_path: Path) -> None:
    header, *rows = (FIXTURES / "semrush_backlinks.csv").read_text().splitlines()
    extra = ",toxicity_score,label,reasons,ref_domain,decision,reviewer"
    filled = [f"{row},91.5,toxic,'=spam anchor,example.xyz,toxic,ana" for row in rows]
    path = tmp_path / "queue.csv"
    path.write_text("\n".join([header + extra, *filled]) + "\n", encoding="utf-8")
    result = read_export(path)
    assert result.format == "semrush"
    assert result.original.columns[-2:] == ["decision", "reviewer"]
    assert result.original.height == result.links.height == len(rows)
    assert result.original["decision"].to_list() == ["toxic"] * len(rows)


def test_formula_guard_of_linktox_csv_is_removed(tmp_path: Path) -> None:
    path = tmp_path / "scored.csv"
    path.write_text(
        "source_url,target_url,anchor\nhttps://a.example.org/,https://example.com/,'=HYPERLINK()\n",
        encoding="utf-8",
    )
    result = read_export(path)
    assert result.links[schema.ANCHOR][0] == "=HYPERLINK()"
    assert result.original["anchor"][0] == "'=HYPERLINK()"


def test_forced_format_wins_over_detection() -> None:
    result = _read("semrush_backlinks.csv", fmt="semrush_legacy")
    assert result.format == "semrush_legacy"
    assert result.links.height == 3
    assert _read("semrush_backlinks.csv", fmt="Semrush").format == "semrush"


def test_forced_gsc_format_reads_columns_by_position(tmp_path: Path) -> None:
    export = tmp_path / "sites.csv"
    export.write_text('Domaine,Pages,Cibles\nexample.org,"2,000",4\n', encoding="utf-8")
    result = read_export(export, "gsc_sites", site="example.com")
    assert result.links[schema.SOURCE_URL].to_list() == ["https://example.org/"]


def test_unparsable_cells_are_reported_and_left_empty(tmp_path: Path) -> None:
    path = tmp_path / "links.csv"
    path.write_text(
        "source_url,target_url,first_seen,nofollow\n"
        "https://a.example.org/,https://example.com/,2025-01-02,true\n"
        "https://b.example.org/,https://example.com/,soon,maybe\n",
        encoding="utf-8",
    )
    result = read_export(path)
    assert result.links[schema.FIRST_SEEN].to_list() == [dt.date(2025, 1, 2), None]
    assert result.skipped == 0
    assert any("'first_seen'" in line and "line 3" in line for line in result.problems)
    assert any("'nofollow'" in line and "'maybe'" in line for line in result.problems)


def test_gsc_top_sites_unknown_localization_is_detected_by_shape(tmp_path: Path) -> None:
    export = tmp_path / "witryny.csv"
    export.write_text(
        'Witryna,Strony z linkami,Strony docelowe\nexample.org,"1,240",3\nblog.example.net,7,1\n',
        encoding="utf-8",
    )
    result = read_export(export, site="example.com")
    assert result.format == "gsc_sites"
    assert result.links[schema.SOURCE_URL].to_list() == [
        "https://example.org/",
        "https://blog.example.net/",
    ]
