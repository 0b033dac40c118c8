"""Every model feature with a human title, a one-line description and its reason wording.

``reason(value)`` turns the feature's value expression into the plain-words String expression
shown next to a link when this feature pushed it towards toxic ("7 other referring domains share
this /24 subnet"). Reasons are evaluated vectorised over many rows: they must never raise, and a
null value gives a null (or a sensible) string. They may read other columns of the
``build_features`` output (the anchor, the TLD ...).

A reason names a *present* warning sign. Returning null means "this value is no reason" (the
explainer then uses the next strongest feature), and our wording rules are:

* a flag is a reason only when the signal is there: "sitewide link", never "not a links page";
* a link is never toxic for low authority or traffic alone, so authority and traffic are never
  reasons by themselves; the one exception is the PBN fingerprint, authority without traffic
  (``dom_traffic_gap``);
* a harmless or natural value is no reason either: a nofollow link passes no PageRank, a brand
  anchor or a text link is what natural links look like, "0 other domains share this IP" or "90%
  of referring domains are from GB" say nothing bad;
* relevance speaks only when the page is off-topic ("page off-topic for this site (...)").
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import polars as pl

from features import anchors, domains, links, network, relevance, urls
from features.columns import SOURCE_HOST, SOURCE_SUFFIX, SOURCE_TLD
from features.knowledge import KNOWLEDGE_REGISTRY
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


def _text(words: str | pl.Expr) -> pl.Expr:
    return pl.lit(words, dtype=pl.String) if isinstance(words, str) else words


def flag(if_true: str | pl.Expr | None, if_false: str | pl.Expr | None = None) -> Reason:
    """Reason for a Boolean feature: the wording of the value that is a warning sign.

    Usually only ``True`` is (``flag("sitewide link")``): the absence of a signal is no reason,
    so ``False`` gives null. ``flag(None, "...")`` is for a feature whose warning sign is False.
    Null always gives null.
    """

    def reason(value: pl.Expr) -> pl.Expr:
        true = never(value) if if_true is None else _text(if_true)
        false = never(value) if if_false is None else _text(if_false)
        return pl.when(value).then(true).when(~value).then(false)

    return reason


def never(value: pl.Expr) -> pl.Expr:
    """Reason for a feature that is never a reason by itself (e.g. authority): always null.

    One null per row (not a scalar), so that it also evaluates on its own like any reason.
    """
    return pl.repeat(None, pl.len(), dtype=pl.String)


def only_if(condition: Callable[[pl.Expr], pl.Expr], reason: Reason) -> Reason:
    """``reason`` where ``condition(value)`` holds (a warning sign), null elsewhere."""
    return lambda value: pl.when(condition(value)).then(reason(value))


def positive(reason: Reason) -> Reason:
    """``reason`` for values above 0: "0 digits in the domain name" is no reason."""
    return only_if(lambda value: value > 0, reason)


def at_least(threshold: float, reason: Reason) -> Reason:
    """``reason`` from ``threshold`` up: "3 outbound links on the page" is no warning sign."""
    return only_if(lambda value: value >= threshold, reason)


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
    """Reason for a "how many OTHER referring domains share X" count (null for none)."""
    return positive(
        count(
            f"{{}} other referring domains {what.format(verb='share')}",
            f"{{}} other referring domain {what.format(verb='shares')}",
        )
    )


# --- The features ---------------------------------------------------------------------------------


# What a link of each type looks like to an SEO; text and image links are what natural links
# look like, so they are no reason.
_LINK_TYPE_REASONS: dict[str, str | None] = {
    "text": None,
    "image": None,
    "redirect": "link passes through a redirect",
    "frame": "link inside a frame (iframe)",
    "form": "link inside a form",
}

# The PBN fingerprint: at least 10x less traffic than the domain's authority would suggest.
TRAFFIC_GAP_REASON = -1.0
# A first-seen burst is worth naming from twice the profile's usual rate of new links.
BURST_REASON_RATIO = 2.0
# A source country is worth naming when under this share of the profile's referring domains.
RARE_COUNTRY_SHARE = 0.25
# A domain name looks random below this share of vowels among its letters.
LOW_VOWEL_SHARE = 0.25
# Lengths and counts are named only where they are unusual enough to be a warning sign (a page
# title search engines would cut, a URL made of keyword slugs, a page that is a list of links).
SHORT_TITLE_CHARS = 25
LONG_TITLE_CHARS = 70
LONG_PATH_CHARS = 100
LONG_URL_CHARS = 150
LONG_ANCHOR_CHARS = 60
LONG_DOMAIN_NAME_CHARS = 20
MANY_OUTBOUND_LINKS = 50
FEW_INTERNAL_LINKS = 10


def _link_type_reason(kind: str) -> Reason:
    return flag(_LINK_TYPE_REASONS.get(kind, f"{kind} link"))


def _nofollow_reason(value: pl.Expr) -> pl.Expr:
    """Only a followed link (no nofollow, ugc or sponsored) is a reason: it passes PageRank."""
    other_rel = pl.col(links.LINK_UGC).fill_null(False) | pl.col(links.LINK_SPONSORED).fill_null(
        False
    )
    return pl.when(~value & ~other_rel).then(pl.lit("followed link (passes PageRank)"))


def _traffic_gap_reason(value: pl.Expr) -> pl.Expr:
    """Only the PBN fingerprint is a reason: authority without the traffic that comes with it."""
    visits = thousands(pl.col(DOMAIN_TRAFFIC))
    return pl.when(value < TRAFFIC_GAP_REASON).then(
        pl.format(
            "authority {} but only ~{} visits/month (a private blog network pattern)",
            number(pl.col(DOMAIN_AUTHORITY), 0),
            visits,
        )
    )


def _path_depth_reason(value: pl.Expr) -> pl.Expr:
    return (
        pl.when(value == 0)
        .then(pl.lit("link from the home page of the source site"))
        .otherwise(count("source page {} folders deep", "source page {} folder deep")(value))
    )


def _age_reason(value: pl.Expr) -> pl.Expr:
    return (
        pl.when(value == 0)
        .then(pl.lit("one of the site's newest links (first seen on the latest date)"))
        .otherwise(
            count(
                "link first seen {} days before the site's newest link",
                "link first seen {} day before the site's newest link",
            )(value)
        )
    )


def _seen_reason(value: pl.Expr) -> pl.Expr:
    return (
        pl.when(value == 0)
        .then(pl.lit("link seen on a single day only"))
        .otherwise(
            count("link live for {} days (first to last seen)", "link live for {} day")(value)
        )
    )


def _unseen_reason(value: pl.Expr) -> pl.Expr:
    return pl.when(value > 0).then(
        count("link not seen for {} days (probably removed)", "link not seen for {} day")(value)
    )


def _burst_ratio_reason(value: pl.Expr) -> pl.Expr:
    return pl.when(value >= BURST_REASON_RATIO).then(
        pl.format("appeared in a spike of new links ({}× the site's usual rate)", number(value))
    )


def _vowel_reason(value: pl.Expr) -> pl.Expr:
    return pl.when(value < LOW_VOWEL_SHARE).then(
        pl.format("random-looking domain name (only {} of its letters are vowels)", percent(value))
    )


def _title_length_reason(value: pl.Expr) -> pl.Expr:
    return (
        pl.when(value == 0)
        .then(pl.lit("source page has no title"))
        .when(value < SHORT_TITLE_CHARS)
        .then(pl.format("very short page title ({} characters)", thousands(value)))
        .when(value > LONG_TITLE_CHARS)
        .then(pl.format("very long page title ({} characters)", thousands(value)))
    )


def _internal_links_reason(value: pl.Expr) -> pl.Expr:
    return (
        pl.when(value == 0)
        .then(pl.lit("no internal links on the page"))
        .when(value == 1)
        .then(pl.lit("only 1 internal link on the page"))
        .when(value < FEW_INTERNAL_LINKS)
        .then(pl.format("only {} internal links on the page", thousands(value)))
    )


def _country_reason(value: pl.Expr) -> pl.Expr:
    return pl.when(value < RARE_COUNTRY_SHARE).then(
        pl.format(
            "only {} of the site's referring domains are from {}",
            percent(value),
            pl.col(SOURCE_COUNTRY),
        )
    )


def _tgt_depth_reason(value: pl.Expr) -> pl.Expr:
    # Links to the home page are what natural links mostly are: no reason.
    return (
        pl.when(value == 1)
        .then(pl.lit("links to a page 1 folder deep"))
        .otherwise(pl.format("links to a page {} folders deep", thousands(value)))
    )


def _entropy_reason(value: pl.Expr) -> pl.Expr:
    return (
        pl.when(value <= 0)
        .then(pl.lit("this domain always uses the same anchor"))
        .otherwise(pl.format("anchor variety of {} bits across this domain's links", number(value)))
    )


def _off_topic() -> pl.Expr:
    """The page is off-topic for the target site (its topic score is under one half)."""
    return pl.col(relevance.REL_TOPIC_SCORE) < relevance.TOPIC_TERM_WEIGHT


# Below this topic match a page is only loosely related to the site: relevant blogs and news
# about the site's subject score ~0.9 on every site.
LOOSE_TOPIC_MATCH = 0.8


# The two relevance features say the same thing ("page off-topic for this site"), so for any one
# link only one of them speaks: the word count when an off-topic page has at most one topical
# word, the topic match otherwise. A link never gets the same reason twice.
def _topic_score_reason(value: pl.Expr) -> pl.Expr:
    match = percent(value)
    return (
        pl.when(_off_topic() & (pl.col(relevance.REL_TOPIC_TERMS) > 1))
        .then(pl.format("page off-topic for this site (topic match {})", match))
        .when(~_off_topic() & (value < LOOSE_TOPIC_MATCH))
        .then(pl.format("page only loosely related to this site's topic (topic match {})", match))
    )


def _topic_terms_reason(value: pl.Expr) -> pl.Expr:
    return (
        pl.when(_off_topic() & (value == 0))
        .then(pl.lit("page off-topic for this site (none of its words on the site's topic)"))
        .when(_off_topic() & (value == 1))
        .then(pl.lit("page off-topic for this site (only 1 word on the site's topic)"))
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
        flag(None, "source page not on HTTPS (plain HTTP)"),
    ),
    (
        urls.URL_IS_IP,
        "IP-address host",
        "The source host is a bare IP address rather than a domain name.",
        flag("source is a bare IP address, not a domain name"),
    ),
    (
        urls.URL_SHORTENER,
        "URL shortener",
        "The source host is a URL shortener (bit.ly, t.co, goo.gl ...).",
        flag(pl.format("link comes through URL shortener {}", pl.col(SOURCE_HOST))),
    ),
    (
        urls.URL_IDN,
        "Internationalised domain",
        "The source host is an internationalised (punycode / non-ASCII) domain name.",
        flag("internationalised (punycode) domain name"),
    ),
    (
        urls.URL_SUBDOMAIN_DEPTH,
        "Subdomain depth",
        "Subdomain levels of the source host below its registrable domain (www not counted).",
        positive(
            count("{} subdomain levels in the source host", "{} subdomain level in the source host")
        ),
    ),
    (
        urls.URL_PATH_DEPTH,
        "Path depth",
        "Folders in the source URL path (0 = the site's root page).",
        _path_depth_reason,
    ),
    (
        urls.URL_PATH_LENGTH,
        "Path length",
        "Characters in the source URL path.",
        at_least(LONG_PATH_CHARS, count("very long URL path ({} characters)")),
    ),
    (
        urls.URL_LENGTH,
        "URL length",
        "Characters in the source URL.",
        at_least(LONG_URL_CHARS, count("very long source URL ({} characters)")),
    ),
    (
        urls.URL_QUERY_PARAMS,
        "Query parameters",
        "Parameters in the source URL's query string.",
        positive(
            count("{} query parameters in the source URL", "{} query parameter in the source URL")
        ),
    ),
    (
        urls.URL_NAMES_SITE,
        "Page named after a site",
        "The source URL's path names another site's host or an IP address (/site/example.com):"
        " the report pages of SEO-statistics, site-info and scraper domains.",
        flag("page is a machine-made report named after a site (SEO-statistics or scraper page)"),
    ),
    # Anchor text.
    (
        anchors.ANC_BRAND,
        "Brand anchor",
        "The anchor names the target's brand (derived from its domain) and nothing commercial.",
        never,  # a brand anchor is what natural links use
    ),
    (
        anchors.ANC_COMPOUND,
        "Compound anchor",
        "The anchor combines the brand with commercial or spam keywords.",
        flag(pl.format("brand + keyword anchor {}", quoted(ANCHOR))),
    ),
    (
        anchors.ANC_MONEY_EXACT,
        "Exact-match money anchor",
        "The anchor is a bare commercial keyword phrase (or the target page's own keywords).",
        flag(pl.format("exact-match money anchor {}", quoted(ANCHOR))),
    ),
    (
        anchors.ANC_MONEY_PARTIAL,
        "Partial-match money anchor",
        "The anchor carries commercial or spam keywords inside a longer phrase.",
        flag(pl.format("partial-match money anchor {}", quoted(ANCHOR))),
    ),
    (
        anchors.ANC_GENERIC,
        "Generic anchor",
        'The anchor says nothing about the target ("click here", "website", "read more").',
        flag(pl.format("generic anchor {}", quoted(ANCHOR))),
    ),
    (
        anchors.ANC_URL,
        "Naked-URL anchor",
        "The anchor is a bare URL or domain name.",
        flag("naked URL anchor"),
    ),
    (
        anchors.ANC_EMPTY,
        "Empty anchor",
        "A text link with no anchor text.",
        flag("text link with an empty anchor"),
    ),
    (
        anchors.ANC_IMAGE,
        "Image without alt",
        "An image link without alt text.",
        flag("image link without alt text"),
    ),
    (
        anchors.ANC_SYMBOL,
        "Symbol anchor",
        "The anchor has no letters or digits, only symbols.",
        flag(pl.format("anchor made only of symbols {}", quoted(ANCHOR))),
    ),
    *(
        (
            anchors.ANC_SPAM[vertical],
            f"{_VERTICAL_WORDS[vertical].capitalize()} words in anchor",
            f"The anchor contains {_VERTICAL_WORDS[vertical]} spam vocabulary.",
            flag(pl.format(f"{_VERTICAL_WORDS[vertical]} spam anchor {{}}", quoted(ANCHOR))),
        )
        for vertical in VERTICALS
    ),
    (
        anchors.ANC_LENGTH,
        "Anchor length",
        "Characters in the anchor text (0 when empty).",
        at_least(LONG_ANCHOR_CHARS, count("very long anchor ({} characters)")),
    ),
    (
        anchors.ANC_WORDS,
        "Anchor words",
        "Words in the anchor text.",
        never,  # said by the anchor length ("very long anchor")
    ),
    (
        anchors.ANC_NON_LATIN,
        "Non-Latin anchor",
        "The anchor is written in a non-Latin script (Cyrillic, CJK, Arabic ...).",
        flag("anchor in a non-Latin script"),
    ),
    (
        anchors.ANC_SYMBOL_SHARE,
        "Symbols in anchor",
        "Share of the anchor's characters that are neither letters, digits nor spaces.",
        positive(share("{} of the anchor is symbols")),
    ),
    (
        anchors.ANC_TARGET_KEYWORD,
        "Target-keyword anchor",
        "The anchor consists only of words from the target site's own URL paths (its keywords).",
        flag("anchor made only of the target site's own keywords"),
    ),
    (
        anchors.ANC_PROFILE_LINK_SHARE,
        "Frequent anchor",
        "Share of the profile's links that use exactly this anchor text.",
        at_least(0.01, share("{} of the site's backlinks use this exact anchor")),
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
        _nofollow_reason,
    ),
    (
        links.LINK_UGC,
        "UGC",
        "The link carries rel=ugc (user-generated content).",
        flag("link marked rel=ugc (comment or other user-generated content)"),
    ),
    (
        links.LINK_SPONSORED,
        "Sponsored",
        "The link carries rel=sponsored (a declared paid link).",
        flag("paid link (marked rel=sponsored)"),
    ),
    (
        links.LINK_SITEWIDE,
        "Sitewide",
        "The link appears on (nearly) every page of the source site.",
        flag("sitewide link (on every page of the source site)"),
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
        flag("link in the page footer"),
    ),
    (
        links.LINK_POSITION["sidebar"],
        "Sidebar / blogroll link",
        'The text around the link looks like a sidebar or blogroll ("blogroll", "widget").',
        flag("link in a sidebar or blogroll"),
    ),
    (
        links.LINK_POSITION["comment"],
        "Comment link",
        'The text around the link looks like a comment ("says:", "reply", "posted by").',
        flag("link in a comment"),
    ),
    (
        links.LINK_POSITION["signature"],
        "Signature link",
        'The text around the link looks like a signature ("--", "my site", "check out my").',
        flag("link in a forum/post signature"),
    ),
    (
        links.LINK_AGE_DAYS,
        "Link age",
        "Days from first seen to the profile's latest date (not the wall clock).",
        _age_reason,
    ),
    (
        links.LINK_SEEN_DAYS,
        "Days seen",
        "Days between first seen and last seen.",
        _seen_reason,
    ),
    (
        links.LINK_UNSEEN_DAYS,
        "Days unseen",
        "Days from last seen to the profile's latest date (large = probably lost).",
        _unseen_reason,
    ),
    (
        links.LINK_BURST_LINKS,
        "First-seen burst",
        "Links of the profile first seen in the densest burst window containing this link's date.",
        only_if(
            lambda value: value > 1,
            count("{} of the site's links appeared in the same burst"),
        ),
    ),
    (
        links.LINK_BURST_RATIO,
        "Burst intensity",
        "Burst count over the count expected (at least 1) if the profile's links arrived evenly.",
        _burst_ratio_reason,
    ),
    (
        links.PAGE_EXTERNAL_LINKS,
        "Outbound links",
        "External (outbound) links on the source page.",
        at_least(MANY_OUTBOUND_LINKS, count("{} outbound links on the page")),
    ),
    (
        links.PAGE_INTERNAL_LINKS,
        "Internal links",
        "Internal links on the source page.",
        _internal_links_reason,
    ),
    (
        links.PAGE_EXTERNAL_RATIO,
        "Outbound link ratio",
        "External links over all links on the source page.",
        at_least(0.5, share("{} of the page's links point to other sites")),
    ),
    (
        links.PAGE_TITLE_LENGTH,
        "Title length",
        "Characters in the source page title.",
        _title_length_reason,
    ),
    (
        links.PAGE_TITLE_SPAM,
        "Spam words in title",
        "The source page title contains pharma, gambling, adult, loan or SEO spam words.",
        flag(pl.format("spam words in page title {}", quoted(SOURCE_TITLE))),
    ),
    (
        links.PAGE_DIRECTORY,
        "Link directory page",
        "The source URL or title looks like a links page or web directory.",
        flag("source looks like a link directory / links page"),
    ),
    (
        links.PAGE_GUEST_POST,
        "Guest / sponsored post",
        'The source URL or title looks like a guest or sponsored post ("write for us").',
        flag("source looks like a guest or sponsored post"),
    ),
    (
        links.PAGE_FORUM,
        "Forum / profile page",
        "The source URL looks like a forum thread, member profile or guestbook.",
        flag("source is a forum thread, profile or guestbook"),
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
        only_if(
            lambda value: value > 1,
            decimal("{} links to the site per linking page on average"),
        ),
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
        positive(share("{} of this domain's links are sitewide")),
    ),
    (
        domains.DOM_DOFOLLOW_SHARE,
        "Followed share",
        "Share of this domain's links without nofollow/ugc/sponsored.",
        positive(share("{} of this domain's links are followed (pass PageRank)")),
    ),
    (
        domains.DOM_MONEY_SHARE,
        "Money-anchor share",
        "Share of this domain's links with money or compound anchors.",
        positive(share("{} of this domain's anchors are money anchors")),
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
        only_if(
            lambda value: value > 1,
            count("{} of this domain's links appeared in one burst window"),
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
        at_least(LONG_DOMAIN_NAME_CHARS, count("long domain name ({} characters)")),
    ),
    (
        domains.DOM_NAME_DIGITS,
        "Digits in domain name",
        "Digits in the domain name.",
        positive(count("{} digits in the domain name", "{} digit in the domain name")),
    ),
    (
        domains.DOM_NAME_HYPHENS,
        "Hyphens in domain name",
        "Hyphens in the domain name.",
        positive(count("{} hyphens in the domain name", "{} hyphen in the domain name")),
    ),
    (
        domains.DOM_NAME_VOWEL_RATIO,
        "Vowel ratio",
        "Vowels over Latin letters in the domain name (random strings are vowel-poor).",
        _vowel_reason,
    ),
    (
        domains.DOM_NAME_DICT_SHARE,
        "Dictionary words in name",
        "Share of the domain name's letters covered by common English words.",
        share("{} of the domain name is dictionary words"),
    ),
    *(
        (
            domains.DOM_NAME_SPAM[vertical],
            f"{_VERTICAL_WORDS[vertical].capitalize()} domain name",
            f"The domain name contains {_VERTICAL_WORDS[vertical]} spam vocabulary.",
            flag(f"{_VERTICAL_WORDS[vertical]} words in the domain name"),
        )
        for vertical in VERTICALS
    ),
    (
        domains.DOM_TLD_SPAM,
        "Spam TLD",
        "The source's TLD is on the documented list of spam-correlated TLDs (.xyz, .top ...).",
        flag(pl.format("spam TLD .{}", pl.col(SOURCE_TLD))),
    ),
    (
        domains.DOM_FREE_HOST,
        "Free host",
        "The source is a user site on a free blog or hosting platform (blogspot.com ...).",
        flag(pl.format("free hosting subdomain on {}", pl.col(SOURCE_SUFFIX))),
    ),
    (
        domains.SRC_PAGE_AUTHORITY,
        "Page authority",
        "The vendor's authority score of the source page.",
        never,  # low authority alone never makes a link toxic
    ),
    (
        domains.SRC_DOMAIN_AUTHORITY,
        "Domain authority",
        "The vendor's authority score of the source domain.",
        never,  # low authority alone never makes a link toxic
    ),
    (
        domains.DOM_LOG_TRAFFIC,
        "Domain traffic (log10)",
        "log10(1 + the source domain's estimated monthly organic traffic).",
        never,  # low traffic alone never makes a link toxic
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
        _topic_score_reason,
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
        flag("page written in a different script from most referring pages"),
    ),
    (
        relevance.REL_LANGUAGE_MISMATCH,
        "Language mismatch",
        "The page language differs from the one most referring domains use.",
        flag(
            pl.format(
                "page in another language ({}) than most referring pages", pl.col(SOURCE_LANGUAGE)
            )
        ),
    ),
    (
        relevance.REL_COUNTRY_SHARE,
        "Geographic share",
        "Share of the profile's referring domains from the same country as this source.",
        _country_reason,
    ),
]

FEATURES: dict[str, Feature] = {
    name: Feature(name=name, title=title, description=description, reason=reason)
    for name, title, description, reason in _SPECS
} | {
    # Open domain knowledge (features/knowledge.py words its own reasons).
    name: Feature(name=k.name, title=k.title, description=k.description, reason=k.reason)
    for name, k in KNOWLEDGE_REGISTRY.items()
}
