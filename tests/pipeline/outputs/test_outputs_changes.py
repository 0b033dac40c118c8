"""diff's policy: which URLs are one link, new/lost/kept, the toxicity shift, the burst alert."""

from __future__ import annotations

from datetime import date, timedelta

import polars as pl
import pytest

from pipeline.outputs import changes
from pipeline.outputs.changes import (
    ALERT_MIN_LINKS,
    ALERT_MIN_SHARE,
    ALERT_WINDOW_DAYS,
    alert_threshold,
    burst_alert,
    diff_domains,
    diff_links,
    link_keys,
    toxicity_shift,
)

TARGET = "https://shop.example/"


def _key(url: str) -> str:
    frame = pl.DataFrame({"source_url": [url], "target_url": [TARGET]})
    return link_keys(frame).get_column(changes.SOURCE_KEY).item()


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("http://blog.example.com/a", "https://blog.example.com/a"),  # scheme
        ("https://www.example.com/a", "https://example.com/a"),  # www.
        ("https://Blog.EXAMPLE.com./a", "https://blog.example.com/a"),  # host case, trailing dot
        ("https://example.com:8080/a", "https://example.com/a"),  # port
        ("https://example.com/a/", "https://example.com/a"),  # trailing slash
        ("https://example.com", "https://example.com/"),  # empty path is the root
        ("https://example.com/a#comments", "https://example.com/a"),  # fragment
        ("https://example.com/a?utm_source=x&utm_medium=y", "https://example.com/a"),
        ("https://example.com/a?gclid=1&fbclid=2&msclkid=3", "https://example.com/a"),
        ("https://example.com/a?UTM_Campaign=z&id=7", "https://example.com/a?id=7"),
        ("https://example.com/a?b=2&a=1", "https://example.com/a?a=1&b=2"),  # parameter order
    ],
)
def test_these_spellings_are_one_link(one: str, other: str) -> None:
    assert _key(one) == _key(other)


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("https://example.com/Page", "https://example.com/page"),  # path case counts
        ("https://example.com/a?id=1", "https://example.com/a?id=2"),  # real parameters count
        ("https://example.com/a?ref=x", "https://example.com/a"),  # ref is not a tracking param
        ("https://blog.example.com/a", "https://shop.example.com/a"),  # subdomains differ
        ("https://example.com/a/b", "https://example.com/a"),
    ],
)
def test_these_are_different_links(one: str, other: str) -> None:
    assert _key(one) != _key(other)


def test_the_target_url_is_normalised_the_same_way() -> None:
    frame = pl.DataFrame(
        {
            "source_url": ["https://a.com/x"] * 2,
            "target_url": ["http://www.shop.example/?utm_source=a", "https://shop.example"],
        }
    )
    assert link_keys(frame).get_column(changes.TARGET_KEY).n_unique() == 1


def _links(rows: list[tuple], first_seen: list[date | None] | None = None) -> pl.DataFrame:
    """(source_url, ref_domain, score, label, reasons) rows pointing at TARGET."""
    frame = pl.DataFrame(
        rows,
        schema=["source_url", "ref_domain", "toxicity_score", "label", "reasons"],
        orient="row",
    ).with_columns(pl.lit(TARGET).alias("target_url"), pl.lit("anchor").alias("anchor"))
    dates = first_seen if first_seen is not None else [None] * frame.height
    return frame.with_columns(pl.Series("first_seen", dates, dtype=pl.Date))


OLD = _links(
    [
        ("http://www.kept.com/post/", "kept.com", 10.0, "whitelist", ""),
        ("https://gone.com/a", "gone.com", 5.0, "whitelist", ""),
        ("https://farm.xyz/1", "farm.xyz", 95.0, "toxic", "spam TLD .xyz"),
        ("https://farm.xyz/2", "farm.xyz", 93.0, "toxic", "spam TLD .xyz"),
        ("https://turned.net/p", "turned.net", 20.0, "whitelist", ""),
    ]
)
NEW = _links(
    [
        ("https://kept.com/post?utm_source=newsletter", "kept.com", 12.0, "whitelist", ""),
        ("https://turned.net/p", "turned.net", 90.0, "toxic", "money anchor"),
        ("https://spam.top/x", "spam.top", 99.0, "toxic", "spam TLD .top"),
        ("https://spam.top/x/", "spam.top", 97.0, "toxic", "spam TLD .top"),  # same link
        ("https://fresh.org/hello", "fresh.org", 3.0, "whitelist", ""),
    ]
)


def test_new_lost_and_kept_links_with_scores_then_and_now() -> None:
    table, merged_old, merged_new = diff_links(OLD, NEW)
    assert table.columns == list(changes.LINK_CHANGE_COLUMNS)
    assert (merged_old, merged_new) == (0, 1)  # spam.top/x and spam.top/x/ are one link
    by_status = table.group_by("status").len().sort("status")
    assert dict(by_status.iter_rows()) == {"kept": 2, "lost": 3, "new": 2}
    kept = table.filter(pl.col("ref_domain") == "kept.com").row(0, named=True)
    assert kept["status"] == "kept"
    assert kept["source_url"] == "https://kept.com/post?utm_source=newsletter"  # NEW's spelling
    assert (kept["old_score"], kept["new_score"]) == (10.0, 12.0)
    spam = table.filter(pl.col("ref_domain") == "spam.top").row(0, named=True)
    assert spam["new_score"] == 99.0 and spam["old_label"] is None  # the worst row speaks
    lost = table.filter(pl.col("status") == "lost")
    assert lost.get_column("new_label").is_null().all()
    assert set(lost.get_column("ref_domain")) == {"gone.com", "farm.xyz"}
    assert table.get_column("status").to_list()[:2] == ["new", "new"]  # new first


def test_links_of_one_page_tied_on_score_come_out_in_one_order_whatever_the_input_order() -> None:
    page = "https://news.example/story"
    rows = [(page, "news.example", 20.0, "whitelist", "")] * 2 + OLD.select(
        "source_url", "ref_domain", "toxicity_score", "label", "reasons"
    ).rows()
    old = _links(rows).with_columns(
        pl.when(pl.int_range(pl.len()) == 0)
        .then(pl.lit("http://shop.example/a"))
        .when(pl.int_range(pl.len()) == 1)
        .then(pl.lit("https://shop.example/b"))
        .otherwise(pl.col("target_url"))
        .alias("target_url")
    )
    tables = {
        diff_links(old.sample(fraction=1.0, shuffle=True, seed=seed), NEW)[0].to_dicts().__repr__()
        for seed in range(12)
    }
    assert len(tables) == 1


def test_domains_new_lost_kept_and_the_toxicity_shift() -> None:
    links, *merged = diff_links(OLD, NEW)
    domains = diff_domains(OLD, NEW)
    status = dict(domains.select("ref_domain", "status").iter_rows())
    assert status == {
        "kept.com": "kept",
        "turned.net": "kept",
        "gone.com": "lost",
        "farm.xyz": "lost",
        "spam.top": "new",
        "fresh.org": "new",
    }
    shift = toxicity_shift(links, domains, merged=tuple(merged))
    assert (shift.old_links, shift.new_links) == (5, 4)
    assert shift.old_share == pytest.approx(2 / 5) and shift.new_share == pytest.approx(2 / 4)
    assert shift.new_toxic_domain_count == 1  # spam.top
    assert shift.lost_toxic_domain_count == 1  # farm.xyz: good news
    assert shift.turned_toxic == 1 and shift.no_longer_toxic == 0  # turned.net
    assert shift.toxic_links_by_status == {"new": 1, "lost": 2, "kept": 1}


def _burst(n_toxic: int, days: int, old_links: int = 100, start: date = date(2026, 9, 14)):
    rows = [(f"https://s{i}.xyz/p", f"s{i}.xyz", 95.0, "toxic", "spam TLD .xyz")
            for i in range(n_toxic)]  # fmt: skip
    dates = [start + timedelta(days=i % days) for i in range(n_toxic)]
    new = _links(rows, dates)
    old = _links([(f"https://old{i}.com/", f"old{i}.com", 1.0, "whitelist", "")
                  for i in range(old_links)])  # fmt: skip
    links, _, _ = diff_links(old, pl.concat([old, new]))
    return burst_alert(links, old_links)


def test_alert_fires_at_the_threshold_within_the_window() -> None:
    alert = _burst(ALERT_MIN_LINKS, ALERT_WINDOW_DAYS)
    assert alert is not None and alert.fired
    assert alert.toxic_links == ALERT_MIN_LINKS and alert.toxic_domains == ALERT_MIN_LINKS
    assert (alert.start, alert.end) == (date(2026, 9, 14), date(2026, 9, 20))
    assert alert.top_reasons == (("spam TLD .xyz", ALERT_MIN_LINKS),)


def test_no_alert_one_link_below_the_threshold() -> None:
    alert = _burst(ALERT_MIN_LINKS - 1, 3)
    assert alert is not None and not alert.fired


def test_no_alert_when_the_same_links_are_spread_out() -> None:
    # 4 x the threshold, one a day over 100 days: never the threshold within one window
    alert = _burst(4 * ALERT_MIN_LINKS, 100)
    assert alert is not None and not alert.fired
    assert alert.toxic_links == ALERT_WINDOW_DAYS


def test_threshold_grows_with_the_profile() -> None:
    assert alert_threshold(100) == ALERT_MIN_LINKS
    big = 10 * int(ALERT_MIN_LINKS / ALERT_MIN_SHARE)
    assert alert_threshold(big) == int(big * ALERT_MIN_SHARE)
    assert not _burst(ALERT_MIN_LINKS, 3, old_links=big).fired


def test_undated_new_toxic_links_are_one_window() -> None:
    rows = [(f"https://s{i}.xyz/", f"s{i}.xyz", 95.0, "toxic", "") for i in range(30)]
    links, _, _ = diff_links(OLD, pl.concat([NEW, _links(rows)]))
    alert = burst_alert(links, 5)
    assert alert is not None and alert.fired and alert.start is None
    assert "date unknown" in changes.alert_text(alert)


def test_no_new_toxic_links_no_alert() -> None:
    links, _, _ = diff_links(OLD, OLD)
    assert burst_alert(links, OLD.height) is None
    assert changes.alert_text(None).startswith("No new toxic links")


def _hosted(users: list[str], label: str = "whitelist") -> pl.DataFrame:
    """Links from user sites on freehostz.net, a hosting platform no list knows."""
    rows = [(f"https://{u}.freehostz.net/p", "freehostz.net", 5.0, label, "") for u in users]
    hosts = [f"{u}.freehostz.net" for u in users]
    return _links(rows).with_columns(pl.Series("source_host", hosts))


def test_domains_are_the_rollups_sites_with_platforms_decided_on_both_exports() -> None:
    # 3 subdomains then, 5 now: on its own, only NEW makes freehostz.net a platform; decided on
    # both, every side keys the same user sites and nothing is lost.
    old, new = _hosted(["anna", "bob", "carl"]), _hosted(["anna", "bob", "carl", "dora", "emil"])
    domains = diff_domains(old, new)
    status = dict(domains.select("ref_domain", "status").iter_rows())
    assert status == {
        "anna.freehostz.net": "kept",
        "bob.freehostz.net": "kept",
        "carl.freehostz.net": "kept",
        "dora.freehostz.net": "new",
        "emil.freehostz.net": "new",
    }
    links, _, _ = diff_links(old, new)
    assert set(links.get_column("ref_domain")) == set(status)  # a link names its domain's row
    # Without hosts only the listed platforms are known: one domain, kept.
    bare = diff_domains(old.drop("source_host"), new.drop("source_host"))
    assert bare.select("ref_domain", "status").rows() == [("freehostz.net", "kept")]
