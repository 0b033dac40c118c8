"""Real exports as they come: nothing refused that a user would expect scored.

The default of ``linktox score`` (``on_error="keep"``) keeps every row in file order: rows that
cannot be scored carry their problem, exact repeats carry their first copy's line; structural
problems still refuse the file with one line.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from features import schema
from pipeline.errors import InputError
from pipeline.importers import detect_format, read_export

HEADER = "Source url,Target url,Anchor,Nofollow,Last seen\n"


def _export(tmp_path: Path, *rows: str, header: str = HEADER, name: str = "export.csv") -> Path:
    path = tmp_path / name
    path.write_text(header + "".join(f"{row}\n" for row in rows), encoding="utf-8")
    return path


# The header of a real Backlink Audit style export with Semrush's Toxic Score (reference notes).
AUDIT_HEADER = (
    "Domain Authority Score,Page Authority Score,Source URL,Source Page Title,Source Domain,"
    "Target URL,Anchor,Anchor Type,Link Type,No Follow,Toxic Score,First Seen,Last Seen,Comment\n"
)


def test_a_host_label_ending_in_a_hyphen_is_read_even_in_strict_mode(tmp_path: Path) -> None:
    path = _export(
        tmp_path,
        "12,5,https://zh-.2hanx2.com/a/b.html,t,zh-.2hanx2.com,https://example.com/,x,compound,a,"
        "FALSE,61,2024-01-01,2024-03-01,",
        "40,20,https://ok.example.org/,t,ok.example.org,https://example.com/,y,brand,a,TRUE,3,"
        "2024-01-01,2024-03-01,",
        header=AUDIT_HEADER,
    )
    result = read_export(path, on_error="fail")
    assert result.format == "semrush_audit"
    assert result.links[schema.SOURCE_URL][0] == "https://zh-.2hanx2.com/a/b.html"
    assert result.links[schema.NOFOLLOW].to_list() == [False, True]
    assert result.links[schema.DOMAIN_AUTHORITY].to_list() == [12.0, 40.0]


def test_repeated_rows_are_kept_counted_and_point_at_their_first_copy(tmp_path: Path) -> None:
    row = "https://a.example.org/,https://example.com/,ok,FALSE,2024-01-01"
    other = "https://a.example.org/,https://example.com/,ok,TRUE,2024-01-01"  # not the same
    path = _export(tmp_path, row, other, row, row)
    result = read_export(path, on_error="keep")
    assert result.links.height == 4
    assert result.duplicate_of.to_list() == [None, None, 2, 2]
    assert result.scorable.all()
    assert result.rows.repeated == 2 and result.rows.scored == 2
    assert result.rows.repeated_examples == ("line 4 (= line 2)", "line 5 (= line 2)")
    with pytest.raises(InputError, match=r"line 3: duplicate of line 2"):
        read_export(path, on_error="fail")  # today's strict rule, for pipelines that want it


def test_ten_percent_bad_urls_are_kept_unscored_not_refused(tmp_path: Path) -> None:
    rows = [
        f"https://s{i}.example.org/p,https://example.com/,a{i},FALSE,2024-01-01" for i in range(18)
    ]
    rows[3] = "not a url,https://example.com/,bad,FALSE,2024-01-01"
    rows[11] = "https://s11.example.org/,example.com/page,bad target,FALSE,2024-01-01"
    result = read_export(_export(tmp_path, *rows), on_error="keep")
    assert result.links.height == 18
    assert result.scorable.to_list().count(False) == 2
    assert result.problem[3] == (
        "source_url 'not a url' (column 'Source url') is not an http(s) URL with a host"
    )
    assert result.problem[11].startswith("target_url 'example.com/page'")
    assert result.rows.unscored == 2
    assert result.rows.unscored_examples[0].startswith("line 5: source_url 'not a url'")


def test_a_mixed_export_keeps_every_row_in_input_order(tmp_path: Path) -> None:
    path = _export(
        tmp_path,
        "https://a.example.org/,https://example.com/,one,FALSE,2024-01-01",
        "ftp://files.example.org/x,https://example.com/,two,FALSE,2024-01-01",
        "https://b.example.org/,https://example.com/,three,too,many,fields",
        "https://a.example.org/,https://example.com/,one,FALSE,2024-01-01",
        "https://c.example.org/,https://example.com/,five,FALSE,soon",
    )
    result = read_export(path, on_error="keep")
    assert result.positions.to_list() == [2, 3, 4, 5, 6]
    assert result.original["Anchor"].to_list() == ["one", "two", "three", "one", "five"]
    assert result.scorable.to_list() == [True, False, False, True, True]
    assert result.problem[2] == "malformed row: 6 fields where the header has 5"
    assert result.problem[4] == "column 'Last seen': 'soon' is not a date, left empty"
    assert result.duplicate_of.to_list() == [None, None, None, 2, None]
    # the malformed row's cells are not counted as cells not understood
    assert result.rows.cells == 1


def test_an_export_whose_every_row_is_bad_is_one_line_error(tmp_path: Path) -> None:
    path = _export(tmp_path, "nope,https://example.com/,x,FALSE,", "nada,https://example.com/,y,,")
    with pytest.raises(InputError, match=r"no usable rows: none of the 2 data rows can be") as err:
        read_export(path, on_error="keep")
    assert "\n" not in str(err.value) and str(path) in str(err.value)


def test_structural_problems_still_refuse_the_file(tmp_path: Path) -> None:
    path = _export(tmp_path, "https://a.example.org/,x", header="Source url,Anchor\n")
    with pytest.raises(InputError, match=r"missing required column 'Target url'"):
        read_export(path, "semrush", on_error="keep")


def test_italian_search_console_export_with_odd_dates_is_read(tmp_path: Path) -> None:
    rows = [f"https://l{i}.example.org/p,2026-0{1 + i % 9}-15" for i in range(12)]
    rows[2:6] = [f"https://x{i}.example.org/,1970-01-01 (?)" for i in range(4)]  # a third odd
    path = _export(tmp_path, *rows, header="Pagina con link,Ultima scansione\n")
    result = read_export(path, site="example.com", on_error="keep")
    assert result.format == "gsc_links"
    assert result.links.height == 12


def test_search_console_in_an_unknown_language_is_told_by_its_shape(tmp_path: Path) -> None:
    rows = [f"https://l{i}.example.org/p,2026-05-{10 + i}" for i in range(10)]
    rows[1] = "https://l1.example.org/p,ieri"
    rows[7] = "https://l7.example.org/p,-"
    path = _export(tmp_path, *rows, header="Kolom Satu,Kolom Dua\n")
    assert detect_format(path) == "gsc_links"


def test_unknown_format_names_the_closest_one_and_what_it_lacks(tmp_path: Path) -> None:
    path = _export(tmp_path, "https://a.example.org/,x,1", header="Referring page URL,Foo,Bar\n")
    with pytest.raises(InputError) as err:
        detect_format(path)
    message = str(err.value)
    assert "closest known format: Ahrefs Backlinks (--format ahrefs)" in message
    assert "'Referring page URL'" in message
    assert "it lacks 'Target URL' (target_url)" in message


SEMRUSH_DOMAINS = (
    "Domain ascore,Domain,Backlinks,IP Address,Country,First seen,Last seen\n"
    "12,zh-.spam-blog.xyz,30,203.0.113.9,US,2024-01-01,2024-02-01\n"
    "85,news.example.org,2,198.51.100.7,GB,2021-06-01,2024-01-20\n"
)
AHREFS_DOMAINS = (
    "Domain,Domain rating,Domain traffic,Dofollow ref. domains,Links to target,First seen\n"
    "spam.example.xyz,3,0,2,40,2024-01-01\nnews.example.org,88,120000,5000,1,2020-01-01\n"
)
MAJESTIC_DOMAINS = (
    "Domain,AlexaRank,RefDomains,ExtBackLinks,FirstCrawled,LastSuccessfulCrawl,IP,CountryCode,"
    "CitationFlow,TrustFlow\n"
    "spam.example.xyz,0,3,70,2024-01-01,2024-02-01,203.0.113.9,RU,12,2\n"
)


@pytest.mark.parametrize(
    ("text", "fmt", "authority"),
    [
        (SEMRUSH_DOMAINS, "semrush_refdomains", 12.0),
        (AHREFS_DOMAINS, "ahrefs_refdomains", 3.0),
        (MAJESTIC_DOMAINS, "majestic_refdomains", 2.0),
    ],
)
def test_referring_domain_exports_become_one_home_page_link_per_domain(
    tmp_path: Path, text: str, fmt: str, authority: float
) -> None:
    path = tmp_path / "domains.csv"
    path.write_text(text, encoding="utf-8")
    result = read_export(path, site="example.com")
    assert result.format == fmt
    assert result.rows.level == "domain"
    first = result.links.row(0, named=True)
    assert first[schema.SOURCE_URL].startswith("https://") and first[schema.SOURCE_URL][-1] == "/"
    assert first[schema.TARGET_URL] == "https://example.com/"
    assert first[schema.DOMAIN_AUTHORITY] == authority
    assert first[schema.ANCHOR] is None  # link-level signals are absent
    with pytest.raises(InputError, match=r"carry no target URL; pass --site"):
        read_export(path)


def test_search_console_top_linking_sites_is_a_domain_level_export(tmp_path: Path) -> None:
    path = _export(
        tmp_path, 'small.example.org,3,1', 'big-.example.com,"1,240",12',
        header="Site,Linking pages,Target pages\n",
    )  # fmt: skip
    result = read_export(path, site="example.com", on_error="keep")
    assert result.rows.level == "domain"
    assert result.links[schema.SOURCE_URL].to_list() == [
        "https://small.example.org/",
        "https://big-.example.com/",
    ]
    assert pl.Series(result.scorable).all()
