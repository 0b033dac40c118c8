"""URL parsing and the Public Suffix List join: meanings an SEO relies on."""

from __future__ import annotations

import subprocess
import sys

import polars as pl
import pytest
import tldextract

from features.urls import (
    URL_HTTPS,
    URL_IDN,
    URL_IS_IP,
    URL_NAMES_SITE,
    URL_PATH_DEPTH,
    URL_QUERY_PARAMS,
    URL_SHORTENER,
    URL_SUBDOMAIN_DEPTH,
    UrlParts,
    browser_host,
    browser_hosts,
    decode_idn,
    parse_urls,
    site_platforms,
    suffix_rules,
    url_features,
    url_hosts,
)

P = UrlParts("_t")


def parsed(*urls: str | None) -> pl.DataFrame:
    lf = pl.LazyFrame({"u": list(urls)}, schema={"u": pl.String})
    return url_features(parse_urls(lf, "u", P), P, "u").collect()


def one(url: str) -> dict[str, object]:
    return parsed(url).row(0, named=True)


def test_registrable_domain_uses_multi_label_suffixes() -> None:
    row = one("https://blog.example.co.uk/a/b")
    assert row[P.domain] == "example.co.uk"
    assert row[P.suffix] == "co.uk"
    assert row[P.tld] == "uk"
    assert row[URL_SUBDOMAIN_DEPTH] == 1


def test_uppercase_port_userinfo_and_trailing_dot_are_normalised() -> None:
    row = one("HTTP://User:secret@WWW.Example.COM.:8080/Path?q=1")
    assert row[P.host] == "www.example.com"
    assert row[P.domain] == "example.com"
    assert row[P.scheme] == "http"
    assert row[P.path] == "/Path"
    assert row[URL_SUBDOMAIN_DEPTH] == 0  # www is not counted


def test_url_without_scheme_still_has_a_host() -> None:
    row = one("example.org/page/one")
    assert row[P.host] == "example.org"
    assert row[URL_HTTPS] is None
    assert row[URL_PATH_DEPTH] == 2


@pytest.mark.parametrize(
    ("url", "host"),
    [("http://192.168.10.7/x", "192.168.10.7"), ("http://[2001:db8::1]:80/", "2001:db8::1")],
)
def test_ip_hosts_are_detected_and_stand_in_as_the_site(url: str, host: str) -> None:
    row = one(url)
    assert row[URL_IS_IP] is True
    assert row[P.host] == host
    assert row[P.domain] is None
    assert row[P.site] == host


def test_shorteners_are_flagged() -> None:
    frame = parsed("https://bit.ly/3xYz", "http://t.co/abc", "https://example.com/bit.ly")
    assert frame[URL_SHORTENER].to_list() == [True, True, False]


def test_punycode_hosts_decode_to_unicode() -> None:
    assert decode_idn(pl.Series(["xn--bcher-kva.de", "plain.de", None])).to_list() == [
        "bücher.de",
        "plain.de",
        None,
    ]
    row = one("http://www.xn--bcher-kva.de/")
    assert row[P.host_unicode] == "www.bücher.de"
    assert row[P.domain] == "xn--bcher-kva.de"  # keys keep the export's (ASCII) form
    assert row[URL_IDN] is True


def test_malformed_punycode_does_not_raise() -> None:
    assert decode_idn(pl.Series(["xn--!!.de"])).to_list() == ["xn--!!.de"]


def test_wildcard_and_exception_rules() -> None:
    frame = parsed("http://a.b.ck/", "http://www.ck/", "http://x.city.kawasaki.jp/")
    # *.ck makes b.ck a suffix; !www.ck makes www.ck registrable.
    assert frame[P.suffix].to_list() == ["b.ck", "ck", "kawasaki.jp"]
    assert frame[P.domain].to_list() == ["a.b.ck", "www.ck", "city.kawasaki.jp"]


def test_free_hosts_make_each_user_site_its_own_domain() -> None:
    frame = parsed(
        "https://spam1.blogspot.com/p", "https://me.wordpress.com/", "https://wordpress.com/"
    )
    assert frame[P.domain].to_list() == ["spam1.blogspot.com", "me.wordpress.com", None]
    assert frame[P.site].to_list()[2] == "wordpress.com"


def test_junk_is_not_a_host() -> None:
    frame = parsed("not a url at all", "::::", "http://exa mple.com/", "http://a_b.example.com/")
    assert frame[P.host].to_list() == [None, None, None, "a_b.example.com"]
    assert frame[P.site].to_list() == [None, None, None, "example.com"]


def test_query_parameters_and_missing_urls() -> None:
    frame = parsed("http://a.com/x?a=1&b=2&c=3", "http://a.com/", None, "")
    assert frame[URL_QUERY_PARAMS].to_list() == [3, 0, None, None]
    assert frame[P.host].to_list() == ["a.com", "a.com", None, None]


def test_suffix_rules_load_offline_with_all_rule_kinds() -> None:
    rules = suffix_rules()
    assert rules.height > 5000
    assert rules.filter(pl.col("rule") == "kawasaki.jp")["wildcard"].item()
    assert rules.filter(pl.col("rule") == "city.kawasaki.jp")["exception"].item()


def test_suffix_rules_are_read_without_importing_tldextract() -> None:
    # Importing tldextract imports requests: a fifth of a second of every small export's run.
    probe = (
        "import sys; from features.urls import suffix_rules; suffix_rules(); "
        "print('tldextract' in sys.modules, 'requests' in sys.modules)"
    )
    proc = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert proc.stdout.split() == ["False", "False"]


def test_agrees_with_tldextract_on_psl_hosts() -> None:
    hosts = [
        "www.bbc.co.uk", "a.b.c.example.com.au", "foo.github.io", "x.y.z.amazonaws.com",
        "shop.example.de", "city.kawasaki.jp", "www.city.kawasaki.jp", "a.b.ck", "www.ck",
        "test.s3.amazonaws.com", "news.google.com", "m.example.com.br", "sub.example.xn--p1ai",
    ]  # fmt: skip
    extract = tldextract.TLDExtract(
        suffix_list_urls=(), cache_dir=None, include_psl_private_domains=True
    )
    expected = [extract(host).top_domain_under_public_suffix or None for host in hosts]
    frame = parsed(*(f"http://{host}/" for host in hosts))
    assert frame[P.domain].to_list() == expected


# Hosts as browsers read them (WHATWG URL standard, host parser): one case per rule.
@pytest.mark.parametrize(
    ("host", "expected"),
    [
        ("zh-.2hanx2.com", "zh-.2hanx2.com"),  # a label ending in '-' (real Backlink Audit host)
        ("-start.example.com", "-start.example.com"),  # a label starting with '-'
        ("a--b.example.com", "a--b.example.com"),  # '--' in positions 3-4 (no CheckHyphens)
        ("a_b.example.com", "a_b.example.com"),  # underscores (no STD3 rules)
        ("Bücher.de", "xn--bcher-kva.de"),  # IDNA: Unicode to punycode, lower case
        ("faß.de", "xn--fa-hia.de"),  # non-transitional: ß stays ß (not 'fass.de')
        ("ＥＸＡＭＰＬＥ。com", "example.com"),  # UTS 46 mapping: full-width letters and dot
        ("💩.la", "xn--ls8h.la"),  # emoji are valid under UTS 46 (browsers open them)
        ("xn--bcher-kva.de", "xn--bcher-kva.de"),  # punycode stays as written
        ("ex%61mple.com", "example.com"),  # percent-decoded first
        ("Example.COM.", "example.com"),  # case and a trailing dot
        ("0x7f.1", "127.0.0.1"),  # the IPv4 parser: hex and short forms
        ("1.2.3.256", None),  # number-like last label that is no IPv4 address
        ("example.123", None),  # ditto: browsers refuse it
        ("exa mple.com", None),  # forbidden code point: space
        ("a<b.com", None),  # forbidden code point: '<'
        ("xn--a.de", None),  # punycode that decodes to nothing valid
    ],
)
def test_browser_host(host: str, expected: str | None) -> None:
    assert browser_host(host) == expected
    assert browser_hosts(pl.Series([host])).to_list() == [expected]


def test_browser_hosts_checks_plain_ascii_hosts_without_python_per_row() -> None:
    hosts = pl.Series(["zh-.example.com", "a b.com", None, "", "ok.example.org", "x|y.com"])
    assert browser_hosts(hosts).to_list() == [
        "zh-.example.com", None, None, None, "ok.example.org", None,
    ]  # fmt: skip


def test_url_hosts_need_http_scheme_and_a_host_a_browser_opens() -> None:
    urls = pl.Series(
        ["https://zh-.2hanx2.com/p", "ftp://a.com/", "https://", "https://a.com:99999/",
         "https://a.com:80/a b", "http://[2001:db8::1]/", "example.com/page", None]
    )  # fmt: skip
    assert url_hosts(urls).to_list() == [
        "zh-.2hanx2.com", None, None, None, "a.com", "2001:db8::1", None, None,
    ]  # fmt: skip


def test_hyphen_edge_labels_get_a_registrable_domain() -> None:
    row = one("https://zh-.2hanx2.com/page")
    assert row[P.host] == "zh-.2hanx2.com"
    assert row[P.site] == "2hanx2.com"


def test_unicode_and_punycode_spellings_are_one_site() -> None:
    frame = parsed("https://Bücher.de/a", "https://xn--bcher-kva.de/b")
    assert frame[P.site].to_list() == ["xn--bcher-kva.de", "xn--bcher-kva.de"]


@pytest.mark.parametrize(
    ("url", "site"),
    [
        ("https://sites.google.com/view/spamsite/page", "sites.google.com/view/spamsite"),
        ("https://sites.google.com/", "sites.google.com"),
        ("https://www.medium.com/@bob/post-1", "medium.com/@bob"),
        ("https://docs.google.com/document/d/abc123/edit", "docs.google.com/document/d/abc123"),
        ("https://spam.strikingly.com/", "spam.strikingly.com"),
        ("https://spam.mystrikingly.com/", "spam.mystrikingly.com"),
    ],
)
def test_platform_sites_are_their_own_referring_sites(url: str, site: str) -> None:
    assert one(url)[P.site] == site


def test_site_platforms_name_the_platform_a_site_sits_on() -> None:
    sites = pl.Series(
        ["spam.weebly.com", "sites.google.com/view/x", "weebly.com", "blogspot.com",
         "example.co.uk", "x.blogspot.com", "co.uk", None]
    )  # fmt: skip
    assert site_platforms(sites).to_list() == [
        "weebly.com", "sites.google.com", "weebly.com", "blogspot.com", None, "blogspot.com",
        "co.uk", None,
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("url", "named"),
    [
        ("https://www.seowebsitetool.com/ar/domain/bluechipmag.com", True),
        ("https://en.seokicks.de/backlinks/www.romantso.gr", True),
        ("https://www.sitelike.org/similar/terrain.org/", True),
        ("http://alestat.com/www,businessstudynotes.com.html", True),
        ("https://en.seokicks.de/reverse-ip-lookup/174.129.6.250", True),
        # Ordinary pages, file names and the site's own subdomains in an archive path.
        ("https://blog.example.com/2021/05/best-running-shoes/", False),
        ("https://example.com/index.php?site=other.com", False),
        ("https://example.com/static/app.js", False),
        ("https://archive.nytimes.com/shiftingcareers.blogs.nytimes.com/2007/12/", False),
        ("https://example.com/", False),
    ],
)
def test_a_page_named_after_another_site_is_flagged(url: str, named: bool) -> None:
    assert one(url)[URL_NAMES_SITE] is named


def test_names_site_is_null_without_a_url() -> None:
    assert one(None)[URL_NAMES_SITE] is None  # type: ignore[arg-type]
