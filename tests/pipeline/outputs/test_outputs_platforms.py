"""Platforms are never disavowed whole; hacked pages are disavowed by URL; protected sites are
marked in the rollup and the report."""

from __future__ import annotations

import re
from datetime import date

import polars as pl
import pytest

from features.build import REF_DOMAIN, SOURCE_HOST, SOURCE_SUFFIX, prepare_base
from pipeline.outputs import build_disavow, domain_rollup, render_report
from pipeline.outputs import columns as c
from pipeline.outputs.report import report_data
from pipeline.stream import _view

DAY = date(2026, 11, 24)
# The twelve hosting platforms of the issue, each with spam sites and legitimate blogs.
PLATFORMS = (
    "strikingly.com", "mystrikingly.com", "weebly.com", "wixsite.com", "webflow.io",
    "netlify.app", "github.io", "tumblr.com", "jimdosite.com", "yolasite.com", "substack.com",
    "livejournal.com",
)  # fmt: skip
SCORES = {"toxic": 95.0, "review": 50.0, "whitelist": 5.0}


def _view_of(links: list[tuple[str, str]]) -> pl.DataFrame:
    """The per-link view scoring keeps, for (source URL, label) pairs: referring sites as the
    feature code computes them, labels as a model would have given them."""
    frame = pl.DataFrame(
        {
            "source_url": [url for url, _ in links],
            "target_url": ["https://mysite.com/"] * len(links),
            "anchor": ["cheap pills"] * len(links),
        }
    )
    base = prepare_base(frame.lazy()).collect()
    labels = pl.Series(c.LABEL, [label for _, label in links])
    scored = base.select(
        "source_url", "anchor", REF_DOMAIN, SOURCE_HOST, SOURCE_SUFFIX
    ).with_columns(
        pl.lit("generic").alias(c.ANCHOR_CLASS),
        labels.replace_strict(SCORES, return_dtype=pl.Float64).alias(c.TOXICITY_SCORE),
        labels,
        pl.when(labels == "whitelist").then(pl.lit("")).otherwise(pl.lit("spam")).alias(c.REASONS),
    )
    return _view(scored)


def _disavow(view: pl.DataFrame, **kwargs) -> tuple[pl.DataFrame, str]:
    own = kwargs.pop("own_domains", ["mysite.com"])
    whitelist = kwargs.pop("whitelist", [])
    rollup = domain_rollup(view, own_domains=own, whitelist=whitelist)
    text = build_disavow(
        rollup, own_domains=own, whitelist=whitelist, generated_at=DAY, tool_version="t",
        links=view, **kwargs,
    )  # fmt: skip
    return rollup, text


def _entries(text: str) -> list[str]:
    return [line for line in text.splitlines() if not line.startswith("#")]


def _covered(entries: list[str], url: str) -> bool:
    host = url.split("/")[2]
    domains = [entry.removeprefix("domain:") for entry in entries if entry.startswith("domain:")]
    return url in entries or any(host == d or host.endswith("." + d) for d in domains)


def test_spam_on_twelve_platforms_names_no_platform_and_spares_their_blogs() -> None:
    links: list[tuple[str, str]] = []
    spam_urls, good_urls = [], []
    for platform in PLATFORMS:
        for n in range(3):
            for page in ("a", "b"):
                url = f"https://cheap-pills-{n}.{platform}/{page}"
                links.append((url, "toxic"))
                spam_urls.append(url)
        for blog in ("my-garden-diary", "jazz-notes"):
            url = f"https://{blog}.{platform}/post"
            links.append((url, "whitelist"))
            good_urls.append(url)
    for n in range(3):  # path-based sites on Google Sites
        url = f"https://sites.google.com/view/pills-{n}/home"
        links.append((url, "toxic"))
        spam_urls.append(url)
    links.append(("https://sites.google.com/view/school-choir/home", "whitelist"))
    good_urls.append("https://sites.google.com/view/school-choir/home")

    _, text = _disavow(_view_of(links))
    entries = _entries(text)
    named = {entry.removeprefix("domain:") for entry in entries if entry.startswith("domain:")}
    assert not named & {*PLATFORMS, "sites.google.com", "google.com"}
    assert all(_covered(entries, url) for url in spam_urls)
    assert not any(_covered(entries, url) for url in good_urls)
    assert "https://sites.google.com/view/pills-0/home" in entries  # path sites by URL
    header = next(line for line in text.splitlines() if line.startswith("# platforms"))
    assert "strikingly.com (3 as domain: lines)" in header
    assert "sites.google.com (3 by URL)" in header


def test_an_unknown_platform_is_told_by_its_many_unrelated_subdomains() -> None:
    users = ["anna", "bob-shop", "cheap-pills", "dave", "eve-art", "frank"]
    links = [(f"https://{user}.freehostz.net/", "toxic") for user in users[:4]]
    links += [(f"https://{user}.freehostz.net/", "whitelist") for user in users[4:]]
    links += [("https://www.freehostz.net/", "toxic")]
    rollup, text = _disavow(_view_of(links))
    entries = _entries(text)
    assert "domain:freehostz.net" not in entries
    assert "domain:cheap-pills.freehostz.net" in entries
    assert not _covered(entries, "https://eve-art.freehostz.net/")
    assert set(rollup.filter(pl.col(c.REF_DOMAIN).str.ends_with("freehostz.net"))[c.PLATFORM]) == {
        "freehostz.net"
    }
    assert "https://www.freehostz.net/" in entries  # the platform's own host: by URL


def test_platforms_are_said_once_per_export_their_ties_by_name(
    caplog: pytest.LogCaptureFixture,
) -> None:
    # Two unknown platforms with as many subdomains each: the rollup and the disavow file both
    # need the sites, but the log line is said once, and its list does not depend on row order.
    users = ["anna", "bob-shop", "cheap-pills", "dave", "eve-art"]
    links = [(f"https://{user}.zhostz.net/", "toxic") for user in users]
    links += [(f"https://{user}.freehostz.net/", "toxic") for user in users]
    with caplog.at_level("INFO"):
        _disavow(_view_of(links))
    said = [r.getMessage() for r in caplog.records if "treated as hosting platforms" in r.message]
    assert len(said) == 1
    assert "(freehostz.net (5), zhostz.net (5))" in said[0]


def test_a_spam_network_on_language_subdomains_stays_one_domain() -> None:
    links = [
        (f"https://{lang}.spamnet.xyz/social/1", "toxic")
        for lang in ("de", "pt", "uz", "fr", "es", "it")
    ]
    _, text = _disavow(_view_of(links))
    assert _entries(text) == ["domain:spamnet.xyz"]


def test_a_hacked_page_on_a_legitimate_domain_is_disavowed_by_url() -> None:
    links = [
        ("https://www.state-university.edu/~old/pills.html", "toxic"),
        ("https://www.state-university.edu/research/article", "whitelist"),
    ]
    rollup, text = _disavow(_view_of(links))
    row = rollup.filter(pl.col(c.REF_DOMAIN) == "state-university.edu").row(0, named=True)
    assert row[c.DOMAIN_LABEL] == "review"
    assert (row[c.DISAVOW], row[c.DISAVOW_URLS]) == ("urls", 1)
    assert _entries(text) == ["https://www.state-university.edu/~old/pills.html"]


def test_whitelisted_and_own_sites_are_marked_and_never_listed() -> None:
    links = [
        ("https://friend.org/a", "toxic"),
        ("https://friend.org/b", "toxic"),
        ("https://blog.mysite.com/x", "toxic"),
        ("https://spam.xyz/1", "toxic"),
    ]
    view = _view_of(links)
    rollup, text = _disavow(view, whitelist=["friend.org"])
    marks = dict(rollup.select(c.REF_DOMAIN, c.PROTECTED).iter_rows())
    assert marks == {"friend.org": "whitelisted", "mysite.com": "own", "spam.xyz": ""}
    assert _entries(text) == ["domain:spam.xyz"]
    html = render_report(view, rollup, title="t", generated_at=DAY, model_version="m")
    # The model labels all three toxic; only the one the disavow file lists is a top toxic site.
    assert set(rollup.filter(pl.col(c.DOMAIN_LABEL) == "toxic")[c.REF_DOMAIN]) == set(marks)
    top = html.split("<h2>Top toxic referring domains</h2>", 1)[1].split("</section>", 1)[0]
    table, note = top.split("</table>", 1)
    assert re.findall(r"<tr><td>([^<]+)</td>", table) == ["spam.xyz"]
    assert "friend.org (whitelisted)" in note and "mysite.com (your own site)" in note
    # The domains table says what the disavow file does with every site.
    data = report_data(view, rollup)
    said = {row[0]: "; ".join(data["texts"][i] for i in row[8]) for row in data["domains"]}
    assert said == {
        "friend.org": "whitelisted: not disavowed",
        "mysite.com": "your own site: never disavowed",
        "spam.xyz": "domain: line",
    }


@pytest.mark.parametrize("host", ["weebly.com", "blogspot.com"])
def test_a_toxic_platform_host_is_listed_by_url_never_by_domain(host: str) -> None:
    _, text = _disavow(_view_of([(f"https://{host}/spam-page", "toxic")]))
    assert _entries(text) == [f"https://{host}/spam-page"]
