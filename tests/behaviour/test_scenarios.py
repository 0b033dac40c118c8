"""The seed's own cases and the invariances a user relies on, on a trained bundle.

A link is toxic for spam intent (networks, money anchors at unnatural rates, farms), never for
low authority alone; press, a nofollow Wikipedia link, a small relevant blog and a relevant page
in another language are spared.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from tests.behaviour.conftest import TARGET, labels, link, scores

MONEY = "best product analytics tool"
SEEN = dt.date(2026, 6, 1)


def test_a_pbn_with_money_anchors_is_toxic(score_links):
    pbn = [
        link(f"https://pbn-network.ru/{slug}/", anchor=anchor, source_title=title,
             domain_authority=38.0, page_authority=30.0, domain_traffic=15.0,
             external_links=60, first_seen=SEEN)
        for slug, anchor, title in [
            ("best-analytics-tools-2026", MONEY, "Best Analytics Tools 2026"),
            ("saas-metrics-software", "product analytics software", "SaaS Metrics Software"),
            ("funnel-tools", "funnel analysis tool", "Funnel Tools"),
        ]
    ]  # fmt: skip
    assert labels(score_links(pbn)) == ["toxic"] * 3


def test_a_cheap_seo_domain_with_a_money_anchor_is_toxic(score_links):
    spam = [
        link("http://cheap-seo-link-building.net/links/page-4.html", anchor=MONEY,
             source_title="Cheap SEO Link Building Services", domain_authority=9.0,
             external_links=850, internal_links=3),
    ]  # fmt: skip
    assert labels(score_links(spam)) == ["toxic"]


@pytest.mark.parametrize(
    ("url", "title"),
    [
        ("https://techcrunch.com/2026/03/02/acme-analytics-raises-series-b/",
         "Acme Analytics raises $30M Series B for product analytics | TechCrunch"),
        ("https://www.forbes.com/sites/janedoe/2026/04/11/acme-analytics-product-metrics/",
         "How Acme Analytics Turned Product Metrics Into A Business - Forbes"),
    ],
)  # fmt: skip
def test_a_press_feature_is_whitelisted(score_links, url, title):
    press = link(url, source_title=title, domain_authority=93.0, page_authority=60.0,
                 domain_traffic=20_000_000.0, external_links=25, internal_links=180)  # fmt: skip
    assert labels(score_links([press])) == ["whitelist"]


def test_a_nofollow_wikipedia_link_is_whitelisted(score_links):
    wiki = link("https://en.wikipedia.org/wiki/Product_analytics", anchor="acmeanalytics.com",
                source_title="Product analytics - Wikipedia", nofollow=True,
                domain_authority=96.0, domain_traffic=500_000_000.0, external_links=120,
                internal_links=600)  # fmt: skip
    assert labels(score_links([wiki])) == ["whitelist"]


def test_a_small_relevant_blog_is_whitelisted(score_links):
    blog = link("https://metricsdiary.blog/2025/11/retention-cohorts-explained/",
                source_title="Retention Cohorts Explained - Metrics Diary",
                domain_authority=11.0, page_authority=9.0, domain_traffic=240.0)  # fmt: skip
    assert labels(score_links([blog])) == ["whitelist"]


def test_a_relevant_page_in_another_language_with_the_brand_anchor_is_whitelisted(score_links):
    foreign = link("https://analytik-praxis.de/produktanalyse-tools-im-vergleich/",
                   source_title="Produktanalyse-Tools im Vergleich - Analytik Praxis",
                   source_language="de", source_country="DE", domain_authority=24.0,
                   domain_traffic=1_800.0)  # fmt: skip
    assert labels(score_links([foreign])) == ["whitelist"]


def test_a_thousand_domains_sharing_title_path_and_money_anchor_are_all_toxic(score_links):
    rng = np.random.default_rng(5)
    network = [
        link(f"https://{lang}.{name}{i}.com/social/{rng.integers(10_000, 99_999)}", anchor=MONEY,
             source_title="Backlinks for acmeanalytics.com",
             domain_authority=float(rng.integers(5, 40)),
             external_links=int(rng.integers(200, 900)), first_seen=SEEN)
        for i, (lang, name) in enumerate(
            zip(rng.choice(["de", "pt", "uz", "fr", "es"], 1000),
                rng.choice(["alpha", "webhub", "siteinfo", "rank", "stat"], 1000), strict=True)
        )
    ]  # fmt: skip
    got = labels(score_links(network))
    assert got.count("toxic") == 1000, {label: got.count(label) for label in set(got)}


def test_a_brand_anchor_turned_money_anchor_never_lowers_the_score(score_links, profile):
    brand = [
        link(f"https://blog{i}.example-{i}.org/post/{i}", anchor="Acme Analytics",
             source_title=f"Notes on dashboards {i}", domain_authority=float(10 + i % 50))
        for i in range(40)
    ]  # fmt: skip
    money = [{**row, "anchor": MONEY} for row in brand]
    before, after = scores(score_links(brand)), scores(score_links(money))
    assert (after >= before).all(), np.flatnonzero(after < before)


def test_reordering_a_url_query_never_changes_the_score(score_links):
    first = [link("https://forum.example.net/thread?id=42&page=2&sort=new", anchor="Acme")]
    second = [link("https://forum.example.net/thread?sort=new&page=2&id=42", anchor="Acme")]
    assert scores(score_links(first)) == pytest.approx(scores(score_links(second)))


def test_every_flagged_scenario_link_carries_reasons(score_links):
    spam = [link("http://cheap-seo-link-building.net/links/page-4.html", anchor=MONEY,
                 external_links=850)]  # fmt: skip
    scored = score_links(spam)
    flagged = scored.filter(scored["label"] != "whitelist")
    assert flagged.height and (flagged["reasons"].str.len_chars() > 0).all()
    assert TARGET  # the scenarios all point at the audited site
