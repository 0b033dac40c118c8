"""Weak labels from disavow lists: parsing, platform and popularity exclusion, link matching."""

from __future__ import annotations

import polars as pl

from bench.real import weak_labels as weak

DISAVOW = """# a comment
domain:spam-farm.com
domain:blogspot.com
domain:wordpress.com
http://hacked.example.org/2013/06/some-post/
techweby.blogspot.com
  seo-stats.net\t
domain:google.com
20minutes-blogs.frx
"""


def entries(text: str = DISAVOW, popular: frozenset[str] = frozenset({"google.com"})):
    return weak.entries_frame("list_a", weak.list_entries(text), set(popular))


def test_list_entries_drop_comments_and_read_json() -> None:
    assert weak.list_entries(DISAVOW)[0] == "domain:spam-farm.com"
    assert all(not entry.startswith("#") for entry in weak.list_entries(DISAVOW))
    as_json = '{"Sheet": [{"DomainsDisavow": "a-spam.de"}, {"DomainsDisavow": "b-spam.de"}]}'
    assert weak.list_entries(as_json) == ["a-spam.de", "b-spam.de"]


def test_platforms_popular_and_invalid_entries_are_excluded() -> None:
    frame = entries()
    why = dict(zip(frame["entry"], frame["excluded"], strict=True))
    assert why["domain:blogspot.com"] == weak.PLATFORM  # private PSL section
    assert why["domain:wordpress.com"] == weak.PLATFORM  # EXTRA_PLATFORMS
    assert why["domain:google.com"] == weak.POPULAR
    assert why["20minutes-blogs.frx"] == weak.INVALID
    assert why["domain:spam-farm.com"] is None
    assert why["techweby.blogspot.com"] is None  # one blog on a platform is its own domain
    keys = dict(zip(frame["entry"], frame["key"], strict=True))
    assert keys["http://hacked.example.org/2013/06/some-post/"] == "example.org"
    assert keys["seo-stats.net"] == "seo-stats.net"


def test_links_match_by_registrable_domain_with_private_section() -> None:
    links = pl.DataFrame(
        {
            "source_url": [
                "https://www.spam-farm.com/page",  # listed domain, subdomain www
                "https://other.blogspot.com/post",  # on the platform, not listed itself
                "http://techweby.blogspot.com/x",  # listed blog
                "https://news.google.com/a",  # popular, listed but excluded
                "https://someone.wordpress.com/",  # platform user, platform entry excluded
                "https://clean-site.org/",  # nowhere
                "http://hacked.example.org/2013/06/some-post",  # URL entry: domain + exact URL
            ]
        }
    )
    out = weak.label_links(links, entries(), {"google.com"})
    assert out["weak_toxic"].to_list() == [True, False, True, False, False, False, True]
    assert out["on_list_a"].to_list() == [True, False, True, True, False, False, True]
    assert out["popular"].to_list() == [False, False, False, True, False, False, False]
    assert out["url_hit"].to_list() == [False] * 6 + [True]
    assert out["key"][1] == "other.blogspot.com"


def test_webspam_hosts_match_without_www() -> None:
    links = pl.DataFrame({"source_url": ["http://www.spam.co.uk/", "http://ok.co.uk/a"]})
    webspam = pl.DataFrame({"host": ["spam.co.uk", "www.ok.co.uk"], "class": ["spam", "nonspam"]})
    out = weak.label_links(links, entries(), set(), webspam)
    assert out["webspam_class"].to_list() == ["spam", "nonspam"]


def test_exclusion_counts_per_list() -> None:
    counts = weak.exclusion_counts(entries()).to_dicts()[0]
    assert counts["entries"] == 8
    assert counts["excluded_platform"] == 2
    assert counts["excluded_popular"] == 1
    assert counts["excluded_invalid"] == 1
    assert counts["kept_domains"] == 4  # spam-farm.com, example.org, techweby..., seo-stats.net
