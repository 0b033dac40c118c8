"""Every model feature with a human title, a one-line description and its reason wording.

``reason(value)`` turns the feature's value expression into the plain-words String expression
shown next to a link when this feature pushed it towards toxic ("7 other referring domains share
this /24 subnet"). Reasons are evaluated vectorised over many rows: they must never raise, and a
null value gives a null (or a sensible) string. They may read other columns of the
``build_features`` output (the anchor, the TLD ...).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import polars as pl

from features import anchors, domains, links, network, relevance, urls
from features.columns import SOURCE_HOST, SOURCE_SUFFIX, SOURCE_TLD
from features.schema import (
    ANCHOR,
    DOMAIN_AUTHORITY,
    DOMAIN_TRAFFIC,
    SOURCE_COUNTRY,
    SOURCE_LANGUAGE,
    SOURCE_TITLE,
)
from features.vocab import VERTICALS

Reason = Callable[[pl.Expr], pl.Expr]


@dataclass(frozen=True)
class Feature:
    """One model input: ``name`` (column), ``title``, ``description`` and ``reason`` wording."""

    name: str
    title: str
    description: str
    reason: Reason


# --- Formatting helpers (null in, null out) -------------------------------------------------------


def thousands(value: pl.Expr) -> pl.Expr:
    """Integer text with thousands separators: 1240 -> "1,240" (rounded; null stays null)."""
    n = value.cast(pl.Float64).round(0).cast(pl.Int64)
    a = n.abs()

    def pad(part: pl.Expr) -> pl.Expr:
        return part.cast(pl.String).str.zfill(3)

    billions, millions, kilos, units = a // 10**9, (a // 10**6) % 1000, (a // 1000) % 1000, a % 1000
    body = (
        pl.when(a >= 10**9)
        .then(pl.format("{},{},{},{}", billions, pad(millions), pad(kilos), pad(units)))
        .when(a >= 10**6)
        .then(pl.format("{},{},{}", a // 10**6, pad(kilos), pad(units)))
        .when(a >= 1000)
        .then(pl.format("{},{}", a // 1000, pad(units)))
        .otherwise(a.cast(pl.String))
    )
    return pl.when(n < 0).then(pl.concat_str([pl.lit("-"), body])).otherwise(body)


def number(value: pl.Expr, decimals: int = 1) -> pl.Expr:
    """Short decimal text: 2.0 -> "2", 0.456 -> "0.5"."""
    return value.cast(pl.Float64).round(decimals).cast(pl.String).str.replace(r"\.0$", "")


def percent(share: pl.Expr) -> pl.Expr:
    """A 0..1 share as "35%"."""
    return pl.concat_str([(share.cast(pl.Float64) * 100).round(0).cast(pl.Int64), pl.lit("%")])


def plural(n: pl.Expr, singular: str, many: str) -> pl.Expr:
    """Pick the singular or plural phrase for a count."""
    return pl.when(n == 1).then(pl.lit(singular)).otherwise(pl.lit(many))


def quoted(column: str, limit: int = 60) -> pl.Expr:
    """A text column, trimmed and quoted, cut to ``limit`` characters."""
    text = pl.col(column).str.strip_chars()
    short = (
        pl.when(text.str.len_chars() > limit)
        .then(pl.concat_str([text.str.slice(0, limit - 1), pl.lit("…")]))
        .otherwise(text)
    )
    return pl.concat_str([pl.lit('"'), short, pl.lit('"')])


def flag(if_true: str | pl.Expr, if_false: str | pl.Expr) -> Reason:
    """Reason for a Boolean feature: one wording per value, null for null."""

    def reason(value: pl.Expr) -> pl.Expr:
        true = pl.lit(if_true) if isinstance(if_true, str) else if_true
        false = pl.lit(if_false) if isinstance(if_false, str) else if_false
        return pl.when(value).then(true).when(~value).then(false)

    return reason


def count(template: str, singular: str | None = None) -> Reason:
    """Reason for a count: ``template`` with ``{}`` for the number (thousands separated);
    ``singular`` is the wording used for exactly 1."""

    def reason(value: pl.Expr) -> pl.Expr:
        many = pl.format(template, thousands(value))
        if singular is None:
            return many
        return pl.when(value == 1).then(pl.format(singular, thousands(value))).otherwise(many)

    return reason


def share(template: str) -> Reason:
    """Reason for a 0..1 share: ``template`` with ``{}`` for the percentage."""
    return lambda value: pl.format(template, percent(value))


def decimal(template: str, decimals: int = 1) -> Reason:
    """Reason for a real number: ``template`` with ``{}`` for the rounded value."""
    return lambda value: pl.format(template, number(value, decimals))


def others(what: str) -> Reason:
    """Reason for a "how many OTHER referring domains share X" count."""
    return count(
        f"{{}} other referring domains {what.format(verb='share')}",
        f"{{}} other referring domain {what.format(verb='shares')}",
    )


# --- The features ---------------------------------------------------------------------------------


def _link_type_reason(kind: str) -> Reason:
    article = "an" if kind[0] in "aeiou" else "a"
    return flag(f"{kind} link", f"not {article} {kind} link")


def _traffic_gap_reason(value: pl.Expr) -> pl.Expr:
    visits = thousands(pl.col(DOMAIN_TRAFFIC))
    low = pl.format(
        "authority {} but only ~{} visits/month", number(pl.col(DOMAIN_AUTHORITY), 0), visits
    )
    return (
        pl.when(value < 0)
        .then(low)
        .when(value >= 0)
        .then(pl.format("~{} visits/month, more than its authority suggests", visits))
    )


def _tgt_depth_reason(value: pl.Expr) -> pl.Expr:
    return (
        pl.when(value == 0)
        .then(pl.lit("links to the homepage"))
        .when(value == 1)
        .then(pl.lit("links to a page 1 folder deep"))
        .otherwise(pl.format("links to a page {} folders deep", thousands(value)))
    )


def _entropy_reason(value: pl.Expr) -> pl.Expr:
    return (
        pl.when(value <= 0)
        .then(pl.lit("this domain always uses the same anchor"))
        .otherwise(pl.format("anchor variety of {} bits across this domain's links", number(value)))
    )


def _topic_terms_reason(value: pl.Expr) -> pl.Expr:
    return (
        pl.when(value == 0)
        .then(pl.lit("no words on the site's topic"))
        .otherwise(count("{} words on the site's topic", "{} word on the site's topic")(value))
    )


_VERTICAL_WORDS = {
    "pharma": "pharma",
    "gambling": "casino/gambling",
    "adult": "adult",
    "loans": "loan",
    "seo": "SEO/link-selling",
}

_SPECS: list[tuple[str, str, str, Reason]] = [
    # URL of the source page.
    (
        urls.URL_HTTPS,
        "Source on HTTPS",
        "The source page is served over HTTPS (null when the URL has no scheme).",
        flag("source page on HTTPS", "source page not on HTTPS"),
    ),
    (
        urls.URL_IS_IP,
        "IP-address host",
        "The source host is a bare IP address rather than a domain name.",
        flag("source is a bare IP address", "source has a domain name"),
    ),
    (
        urls.URL_SHORTENER,
        "URL shortener",
        "The source host is a URL shortener (bit.ly, t.co, goo.gl ...).",
        flag(
            pl.format("link comes through URL shortener {}", pl.col(SOURCE_HOST)), "not a shortener"
        ),
    ),
    (
        urls.URL_IDN,
        "Internationalised domain",
        "The source host is an internationalised (punycode / non-ASCII) domain name.",
        flag("internationalised (punycode) domain name", "plain ASCII domain name"),
    ),
    (
        urls.URL_SUBDOMAIN_DEPTH,
        "Subdomain depth",
        "Subdomain levels of the source host below its registrable domain (www not counted).",
        count("{} subdomain levels in the source host", "{} subdomain level in the source host"),
    ),
    (
        urls.URL_PATH_DEPTH,
        "Path depth",
        "Folders in the source URL path (0 = the site's root page).",
        count("source page {} folders deep", "source page {} folder deep"),
    ),
    (
        urls.URL_PATH_LENGTH,
        "Path length",
        "Characters in the source URL path.",
        count("{}-character URL path"),
    ),
    (
        urls.URL_LENGTH,
        "URL length",
        "Characters in the source URL.",
        count("{}-character source URL"),
    ),
    (
        urls.URL_QUERY_PARAMS,
        "Query parameters",
        "Parameters in the source URL's query string.",
        count("{} query parameters in the source URL", "{} query parameter in the source URL"),
    ),
    # Anchor text.
    (
        anchors.ANC_BRAND,
        "Brand anchor",
        "The anchor names the target's brand (derived from its domain) and nothing commercial.",
        flag("brand anchor", "non-brand anchor"),
    ),
    (
        anchors.ANC_COMPOUND,
        "Compound anchor",
        "The anchor combines the brand with commercial or spam keywords.",
        flag(pl.format("brand + keyword anchor {}", quoted(ANCHOR)), "not a compound anchor"),
    ),
    (
        anchors.ANC_MONEY_EXACT,
        "Exact-match money anchor",
        "The anchor is a bare commercial keyword phrase (or the target page's own keywords).",
        flag(pl.format("exact-match money anchor {}", quoted(ANCHOR)), "not an exact-match anchor"),
    ),
    (
        anchors.ANC_MONEY_PARTIAL,
        "Partial-match money anchor",
        "The anchor carries commercial or spam keywords inside a longer phrase.",
        flag(pl.format("partial-match money anchor {}", quoted(ANCHOR)), "not a money anchor"),
    ),
    (
        anchors.ANC_GENERIC,
        "Generic anchor",
        'The anchor says nothing about the target ("click here", "website", "read more").',
        flag(pl.format("generic anchor {}", quoted(ANCHOR)), "not a generic anchor"),
    ),
    (
        anchors.ANC_URL,
        "Naked-URL anchor",
        "The anchor is a bare URL or domain name.",
        flag("naked URL anchor", "not a naked URL anchor"),
    ),
    (
        anchors.ANC_EMPTY,
        "Empty anchor",
        "A text link with no anchor text.",
        flag("empty anchor", "anchor has text"),
    ),
    (
        anchors.ANC_IMAGE,
        "Image without alt",
        "An image link without alt text.",
        flag("image link without alt text", "not an image link without alt text"),
    ),
    (
        anchors.ANC_SYMBOL,
        "Symbol anchor",
        "The anchor has no letters or digits, only symbols.",
        flag(pl.format("symbol anchor {}", quoted(ANCHOR)), "not a symbol anchor"),
    ),
    *(
        (
            anchors.ANC_SPAM[vertical],
            f"{_VERTICAL_WORDS[vertical].capitalize()} words in anchor",
            f"The anchor contains {_VERTICAL_WORDS[vertical]} spam vocabulary.",
            flag(
                pl.format(f"{_VERTICAL_WORDS[vertical]} spam anchor {{}}", quoted(ANCHOR)),
                f"no {_VERTICAL_WORDS[vertical]} words in the anchor",
            ),
        )
        for vertical in VERTICALS
    ),
    (
        anchors.ANC_LENGTH,
        "Anchor length",
        "Characters in the anchor text (0 when empty).",
        count("{}-character anchor"),
    ),
    (anchors.ANC_WORDS, "Anchor words", "Words in the anchor text.", count("{}-word anchor")),
    (
        anchors.ANC_NON_LATIN,
        "Non-Latin anchor",
        "The anchor is written in a non-Latin script (Cyrillic, CJK, Arabic ...).",
        flag("anchor in a non-Latin script", "anchor in Latin script"),
    ),
    (
        anchors.ANC_SYMBOL_SHARE,
        "Symbols in anchor",
        "Share of the anchor's characters that are neither letters, digits nor spaces.",
        share("{} of the anchor is symbols"),
    ),
    (
        anchors.ANC_TARGET_KEYWORD,
        "Target-keyword anchor",
        "The anchor consists only of words from the target site's own URL paths (its keywords).",
        flag("anchor is made only of the target page's keywords", "anchor not keyword-only"),
    ),
    (
        anchors.ANC_PROFILE_LINK_SHARE,
        "Frequent anchor",
        "Share of the profile's links that use exactly this anchor text.",
        share("{} of the site's backlinks use this exact anchor"),
    ),
    (
        anchors.ANC_PROFILE_DOMAINS,
        "Anchor shared across domains",
        "Other referring domains of the profile using exactly this anchor text.",
        others("{verb} this exact anchor"),
    ),
    # The link itself.
    (
        links.LINK_NOFOLLOW,
        "Nofollow",
        "The link carries rel=nofollow.",
        flag("nofollow link", "followed link (no nofollow)"),
    ),
    (
        links.LINK_UGC,
        "UGC",
        "The link carries rel=ugc (user-generated content).",
        flag("link marked rel=ugc (user-generated content)", "not marked ugc"),
    ),
    (
        links.LINK_SPONSORED,
        "Sponsored",
        "The link carries rel=sponsored (a declared paid link).",
        flag("link marked rel=sponsored (paid)", "not marked sponsored"),
    ),
    (
        links.LINK_SITEWIDE,
        "Sitewide",
        "The link appears on (nearly) every page of the source site.",
        flag("sitewide link", "not a sitewide link"),
    ),
    *(
        (
            column,
            f"{kind.capitalize()} link",
            f"The link type is {kind}.",
            _link_type_reason(kind),
        )
        for kind, column in links.LINK_TYPE_FLAGS.items()
    ),
    (
        links.LINK_POSITION["footer"],
        "Footer link",
        'The text around the link looks like a footer ("©", "powered by", "partners").',
        flag("link in the page footer", "not in a footer"),
    ),
    (
        links.LINK_POSITION["sidebar"],
        "Sidebar / blogroll link",
        'The text around the link looks like a sidebar or blogroll ("blogroll", "widget").',
        flag("link in a sidebar or blogroll", "not in a sidebar"),
    ),
    (
        links.LINK_POSITION["comment"],
        "Comment link",
        'The text around the link looks like a comment ("says:", "reply", "posted by").',
        flag("link in a comment", "not in a comment"),
    ),
    (
        links.LINK_POSITION["signature"],
        "Signature link",
        'The text around the link looks like a signature ("--", "my site", "check out my").',
        flag("link in a forum/post signature", "not in a signature"),
    ),
    (
        links.LINK_AGE_DAYS,
        "Link age",
        "Days from first seen to the profile's latest date (not the wall clock).",
        count("link first seen {} days before the newest link", "link first seen {} day before"),
    ),
    (
        links.LINK_SEEN_DAYS,
        "Days seen",
        "Days between first seen and last seen.",
        count("link seen over {} days", "link seen over {} day"),
    ),
    (
        links.LINK_UNSEEN_DAYS,
        "Days unseen",
        "Days from last seen to the profile's latest date (large = probably lost).",
        count("link not seen for {} days", "link not seen for {} day"),
    ),
    (
        links.LINK_BURST_LINKS,
        "First-seen burst",
        "Links of the profile first seen in the densest burst window containing this link's date.",
        count(
            "{} of the site's links appeared in the same burst",
            "{} link of the site in its burst window",
        ),
    ),
    (
        links.LINK_BURST_RATIO,
        "Burst intensity",
        "Burst count over the count expected (at least 1) if the profile's links arrived evenly.",
        decimal("appeared in a link burst ({}× the usual rate)"),
    ),
    (
        links.PAGE_EXTERNAL_LINKS,
        "Outbound links",
        "External (outbound) links on the source page.",
        count("{} outbound links on the page", "{} outbound link on the page"),
    ),
    (
        links.PAGE_INTERNAL_LINKS,
        "Internal links",
        "Internal links on the source page.",
        count("{} internal links on the page", "{} internal link on the page"),
    ),
    (
        links.PAGE_EXTERNAL_RATIO,
        "Outbound link ratio",
        "External links over all links on the source page.",
        share("{} of the page's links point to other sites"),
    ),
    (
        links.PAGE_TITLE_LENGTH,
        "Title length",
        "Characters in the source page title.",
        count("{}-character page title"),
    ),
    (
        links.PAGE_TITLE_SPAM,
        "Spam words in title",
        "The source page title contains pharma, gambling, adult, loan or SEO spam words.",
        flag(pl.format("spam words in page title {}", quoted(SOURCE_TITLE)), "clean title"),
    ),
    (
        links.PAGE_DIRECTORY,
        "Link directory page",
        "The source URL or title looks like a links page or web directory.",
        flag("source looks like a link directory / links page", "not a links page"),
    ),
    (
        links.PAGE_GUEST_POST,
        "Guest / sponsored post",
        'The source URL or title looks like a guest or sponsored post ("write for us").',
        flag("source looks like a guest or sponsored post", "not a guest post"),
    ),
    (
        links.PAGE_FORUM,
        "Forum / profile page",
        "The source URL looks like a forum thread, member profile or guestbook.",
        flag("source is a forum thread, profile or guestbook", "not a forum page"),
    ),
    (
        links.TGT_PATH_DEPTH,
        "Target depth",
        "Folders in the target URL path (0 = the homepage).",
        _tgt_depth_reason,
    ),
    # The referring domain.
    (
        domains.DOM_LINKS,
        "Links from domain",
        "Links from this referring domain to the site.",
        count("{} links from this domain", "{} link from this domain"),
    ),
    (
        domains.DOM_PAGES,
        "Linking pages",
        "Distinct source pages of this domain linking to the site.",
        count("{} linking pages on this domain", "{} linking page on this domain"),
    ),
    (
        domains.DOM_LINKS_PER_PAGE,
        "Links per page",
        "Links per linking page of this domain.",
        decimal("{} links to the site per linking page on average"),
    ),
    (
        domains.DOM_TARGET_PAGES,
        "Target pages",
        "Distinct pages of the site this domain links to.",
        count("links to {} different pages of the site", "links to {} page of the site"),
    ),
    (
        domains.DOM_SUBDOMAINS,
        "Linking subdomains",
        "Distinct hosts (subdomains) of this domain linking to the site.",
        count(
            "{} subdomains of this domain link to the site",
            "{} host of this domain links to the site",
        ),
    ),
    (
        domains.DOM_SITEWIDE_SHARE,
        "Sitewide share",
        "Share of this domain's links that are sitewide.",
        share("{} of this domain's links are sitewide"),
    ),
    (
        domains.DOM_DOFOLLOW_SHARE,
        "Followed share",
        "Share of this domain's links without nofollow/ugc/sponsored.",
        share("{} of this domain's links are followed"),
    ),
    (
        domains.DOM_MONEY_SHARE,
        "Money-anchor share",
        "Share of this domain's links with money or compound anchors.",
        share("{} of this domain's anchors are money anchors"),
    ),
    (
        domains.DOM_ANCHOR_ENTROPY,
        "Anchor diversity",
        "Shannon entropy (bits) of this domain's anchor texts; 0 = always the same anchor.",
        _entropy_reason,
    ),
    (
        domains.DOM_DISTINCT_ANCHORS,
        "Distinct anchors",
        "Distinct anchor texts used by this domain.",
        count("{} distinct anchors from this domain", "{} distinct anchor from this domain"),
    ),
    (
        domains.DOM_BURST_LINKS,
        "Domain burst",
        "Most of this domain's links first seen within one burst window.",
        count(
            "{} of this domain's links appeared in one burst window",
            "{} link of this domain in its burst window",
        ),
    ),
    (
        domains.DOM_BURST_SHARE,
        "Domain burst share",
        "Share of this domain's dated links first seen within one burst window.",
        share("{} of this domain's links appeared in one burst window"),
    ),
    (
        domains.DOM_NAME_LENGTH,
        "Domain name length",
        "Characters in the domain name (without its suffix).",
        count("{}-character domain name"),
    ),
    (
        domains.DOM_NAME_DIGITS,
        "Digits in domain name",
        "Digits in the domain name.",
        count("{} digits in the domain name", "{} digit in the domain name"),
    ),
    (
        domains.DOM_NAME_HYPHENS,
        "Hyphens in domain name",
        "Hyphens in the domain name.",
        count("{} hyphens in the domain name", "{} hyphen in the domain name"),
    ),
    (
        domains.DOM_NAME_VOWEL_RATIO,
        "Vowel ratio",
        "Vowels over Latin letters in the domain name (random strings are vowel-poor).",
        share("unusual letters in the domain name ({} vowels)"),
    ),
    (
        domains.DOM_NAME_DICT_SHARE,
        "Dictionary words in name",
        "Share of the domain name's letters covered by common English words.",
        share("domain name is {} dictionary words"),
    ),
    *(
        (
            domains.DOM_NAME_SPAM[vertical],
            f"{_VERTICAL_WORDS[vertical].capitalize()} domain name",
            f"The domain name contains {_VERTICAL_WORDS[vertical]} spam vocabulary.",
            flag(
                f"{_VERTICAL_WORDS[vertical]} words in the domain name",
                f"no {_VERTICAL_WORDS[vertical]} words in the domain name",
            ),
        )
        for vertical in VERTICALS
    ),
    (
        domains.DOM_TLD_SPAM,
        "Spam TLD",
        "The source's TLD is on the documented list of spam-correlated TLDs (.xyz, .top ...).",
        flag(
            pl.format("spam TLD .{}", pl.col(SOURCE_TLD)), pl.format("TLD .{}", pl.col(SOURCE_TLD))
        ),
    ),
    (
        domains.DOM_FREE_HOST,
        "Free host",
        "The source is a user site on a free blog or hosting platform (blogspot.com ...).",
        flag(pl.format("free hosting subdomain on {}", pl.col(SOURCE_SUFFIX)), "own domain"),
    ),
    (
        domains.SRC_PAGE_AUTHORITY,
        "Page authority",
        "The vendor's authority score of the source page.",
        decimal("page authority {}", 0),
    ),
    (
        domains.SRC_DOMAIN_AUTHORITY,
        "Domain authority",
        "The vendor's authority score of the source domain.",
        decimal("domain authority {}", 0),
    ),
    (
        domains.DOM_LOG_TRAFFIC,
        "Domain traffic (log10)",
        "log10(1 + the source domain's estimated monthly organic traffic).",
        lambda value: pl.format("~{} visits/month", thousands(pl.col(DOMAIN_TRAFFIC))),
    ),
    (
        domains.DOM_TRAFFIC_GAP,
        "Authority without traffic",
        "log10 traffic minus the traffic expected for its authority (DA/15); very negative = "
        "high authority, no audience (the PBN fingerprint).",
        _traffic_gap_reason,
    ),
    # Network (PBN).
    (
        network.NET_IP_DOMAINS,
        "Shared IP",
        "Other referring domains of the profile hosted on the same IP address.",
        others("{verb} this IP address"),
    ),
    (
        network.NET_SUBNET_DOMAINS,
        "Shared /24 subnet",
        "Other referring domains of the profile in the same /24 (class C) subnet.",
        others("{verb} this /24 subnet"),
    ),
    (
        network.NET_TITLE_DOMAINS,
        "Shared title pattern",
        "Other referring domains whose page title matches this one (digits and site name masked).",
        others("{verb} this page-title pattern"),
    ),
    (
        network.NET_PATH_DOMAINS,
        "Shared URL path",
        "Other referring domains using the same URL path pattern (digits masked).",
        others("{verb} this URL path"),
    ),
    # Relevance.
    (
        relevance.REL_TOPIC_SCORE,
        "Topical relevance",
        "Mean topic weight of the page's title/URL/anchor words against the site's vocabulary.",
        share("page off-topic for the site ({} topical words)"),
    ),
    (
        relevance.REL_TOPIC_TERMS,
        "Topical words",
        "Words of the page title/URL/anchor that belong to the site's topic.",
        _topic_terms_reason,
    ),
    (
        relevance.REL_SCRIPT_MISMATCH,
        "Script mismatch",
        "The page's writing script differs from the one most referring domains use.",
        flag("page written in a different script from most referring pages", "same script"),
    ),
    (
        relevance.REL_LANGUAGE_MISMATCH,
        "Language mismatch",
        "The page language differs from the one most referring domains use.",
        flag(
            pl.format("page language {} unlike most referring pages", pl.col(SOURCE_LANGUAGE)),
            "same language as most referring pages",
        ),
    ),
    (
        relevance.REL_COUNTRY_SHARE,
        "Geographic share",
        "Share of the profile's referring domains from the same country as this source.",
        lambda value: pl.format(
            "only {} of referring domains are from {}", percent(value), pl.col(SOURCE_COUNTRY)
        ),
    ),
]

FEATURES: dict[str, Feature] = {
    name: Feature(name=name, title=title, description=description, reason=reason)
    for name, title, description, reason in _SPECS
}
