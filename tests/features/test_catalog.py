"""Reason wording: only present warning signs are reasons, in words an SEO reads without a guide."""

from __future__ import annotations

import polars as pl
import pytest

from features.catalog import FEATURES


def reasons(name: str, frame: pl.DataFrame, column: str | None = None) -> list[str | None]:
    """The reason texts of feature ``name`` for the values in ``column`` (default: ``name``)."""
    value = pl.col(column or name)
    return frame.select(FEATURES[name].reason(value).alias("r"))["r"].to_list()


@pytest.mark.parametrize(
    ("name", "present"),
    [
        ("page_directory", "source looks like a link directory / links page"),
        ("page_guest_post", "source looks like a guest or sponsored post"),
        ("page_forum", "source is a forum thread, profile or guestbook"),
        ("link_sitewide", "sitewide link (on every page of the source site)"),
        ("link_sponsored", "paid link (marked rel=sponsored)"),
        ("link_footer", "link in the page footer"),
        ("url_is_ip", "source is a bare IP address, not a domain name"),
        ("anc_non_latin", "anchor in a non-Latin script"),
        ("dom_name_spam_gambling", "casino/gambling words in the domain name"),
        ("rel_script_mismatch", "page written in a different script from most referring pages"),
    ],
)
def test_a_flag_is_a_reason_only_when_the_signal_is_present(name: str, present: str) -> None:
    frame = pl.DataFrame({name: [True, False, None]})
    assert reasons(name, frame) == [present, None, None]


def test_flags_with_data_from_other_columns() -> None:
    frame = pl.DataFrame(
        {
            "dom_tld_spam": [True, False],
            "source_tld": ["xyz", "com"],
            "dom_free_host": [True, False],
            "source_suffix": ["blogspot.com", "com"],
            "anc_money_exact": [True, False],
            "anchor": ["buy cheap roses", "Acme"],
        }
    )
    assert reasons("dom_tld_spam", frame) == ["spam TLD .xyz", None]
    assert reasons("dom_free_host", frame) == ["free hosting subdomain on blogspot.com", None]
    assert reasons("anc_money_exact", frame) == ['exact-match money anchor "buy cheap roses"', None]


def test_natural_or_harmless_values_are_no_reason() -> None:
    frame = pl.DataFrame(
        {
            "anc_brand": [True, False],
            "link_type_text": [True, False],
            "url_https": [True, False],
        }
    )
    for name in ("anc_brand", "link_type_text"):
        assert reasons(name, frame) == [None, None], name
    # Plain HTTP is the warning sign, HTTPS is not.
    assert reasons("url_https", frame) == [None, "source page not on HTTPS (plain HTTP)"]


def test_only_a_followed_link_is_a_nofollow_reason() -> None:
    frame = pl.DataFrame(
        {
            "link_nofollow": [True, False, False, None],
            "link_ugc": [False, False, True, None],
            "link_sponsored": [False, None, False, None],
        }
    )
    assert reasons("link_nofollow", frame) == [None, "followed link (passes PageRank)", None, None]


@pytest.mark.parametrize("name", ["src_page_authority", "src_domain_authority", "dom_log_traffic"])
def test_authority_and_traffic_alone_are_never_a_reason(name: str) -> None:
    frame = pl.DataFrame(
        {name: [0.0, 3.0, 80.0, None], "domain_authority": [0.0, 3.0, 80.0, None]}
    ).with_columns(pl.col(name).alias("domain_traffic"))
    assert reasons(name, frame) == [None, None, None, None]


def test_authority_without_traffic_is_a_reason() -> None:
    # DA 45 expects ~1,000 visits: 12 visits is the PBN fingerprint; 2,000 visits is no reason.
    frame = pl.DataFrame(
        {
            "dom_traffic_gap": [-1.9, 0.3, -0.4, None],
            "domain_authority": [45.0, 45.0, 45.0, 45.0],
            "domain_traffic": [12.0, 2000.0, 400.0, None],
        }
    )
    assert reasons("dom_traffic_gap", frame) == [
        "authority 45 but only ~12 visits/month (a private blog network pattern)",
        None,
        None,
        None,
    ]


def test_relevance_reasons_speak_only_for_off_topic_pages_and_once() -> None:
    frame = pl.DataFrame(
        {
            "rel_topic_score": [0.0, 0.12, 0.3, 0.9, 1.0, 0.7, None],
            "rel_topic_terms": [0, 1, 3, 1, 4, 2, None],
        }
    )
    score = reasons("rel_topic_score", frame)
    terms = reasons("rel_topic_terms", frame)
    assert terms == [
        "page off-topic for this site (none of its words on the site's topic)",
        "page off-topic for this site (only 1 word on the site's topic)",
        None,  # said by the topic match instead
        None,  # one topical word, but the page is on topic: no reason
        None,
        None,
        None,
    ]
    assert score == [
        None,
        None,
        "page off-topic for this site (topic match 30%)",
        None,
        None,
        "page only loosely related to this site's topic (topic match 70%)",
        None,
    ]
    # Every off-topic page gets the reason from exactly one of the two features.
    spoken = [(s is not None) + (t is not None) for s, t in zip(score, terms, strict=True)]
    assert spoken == [1, 1, 1, 0, 0, 1, 0]


def test_zero_counts_and_majority_shares_are_no_reason() -> None:
    frame = pl.DataFrame(
        {
            "net_ip_domains": [0, 2],
            "dom_name_digits": [0, 4],
            "url_query_params": [0, 3],
            "dom_sitewide_share": [0.0, 0.5],
            "rel_country_share": [0.8, 0.05],
            "source_country": ["GB", "RU"],
            "link_burst_ratio": [1.2, 6.0],
            "link_unseen_days": [0, 30],
        }
    )
    assert reasons("net_ip_domains", frame) == [
        None,
        "2 other referring domains share this IP address",
    ]
    assert reasons("dom_name_digits", frame) == [None, "4 digits in the domain name"]
    assert reasons("url_query_params", frame) == [None, "3 query parameters in the source URL"]
    assert reasons("dom_sitewide_share", frame) == [None, "50% of this domain's links are sitewide"]
    assert reasons("rel_country_share", frame) == [
        None,
        "only 5% of the site's referring domains are from RU",
    ]
    assert reasons("link_burst_ratio", frame) == [
        None,
        "appeared in a spike of new links (6× the site's usual rate)",
    ]
    assert reasons("link_unseen_days", frame) == [
        None,
        "link not seen for 30 days (probably removed)",
    ]
