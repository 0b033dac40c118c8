"""Weak labels for real links: disavow lists (toxic), WEBSPAM-UK2006 hosts, a popularity list.

None of these is ground truth. Real disavow files are noisy: next to spam domains they name whole
hosting platforms (``blogspot.com``, ``herokuapp.com``) and popular sites. So a list entry becomes
a weak *toxic* label only when it names one registrable domain that is neither a platform nor on
the popularity list. Matching is by **registrable domain** under the Public Suffix List with its
private section (so ``spam.blogspot.com`` is its own domain, and ``blogspot.com`` names no domain
at all), plus :data:`EXTRA_PLATFORMS`, big hosting platforms that the bundled list lacks. A URL
entry is matched by its host's registrable domain, like a ``domain:`` entry: exact URLs would
almost never meet a link of another tool's crawl (the exact-URL hits are counted on the side).

Everything here is pure (text and frames in, frames out) so that it can be tested on tiny inputs.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from functools import lru_cache

import polars as pl
import tldextract

# Hosting platforms where every user site is a subdomain, missing from tldextract's bundled Public
# Suffix List snapshot (checked with tldextract 5.4.0). Treated as public suffixes: a user site
# ``x.wordpress.com`` is its own registrable domain, and an entry ``domain:wordpress.com`` names a
# platform, not a spammer. The ``blogspot.<country>`` domains left the PSL in 2024; Blogger still
# serves them.
_BLOGSPOT_COUNTRIES: tuple[str, ...] = (
    "ae", "al", "am", "ba", "be", "bg", "bj", "ca", "cf", "ch", "cl", "co.at", "co.id", "co.il",
    "co.ke", "co.nz", "co.uk", "co.za", "com.ar", "com.au", "com.br", "com.by", "com.co",
    "com.cy", "com.ee", "com.eg", "com.es", "com.mt", "com.ng", "com.tr", "com.uy", "cv", "cz",
    "de", "dk", "fi", "fr", "gr", "hk", "hr", "hu", "ie", "in", "is", "it", "jp", "kr", "li",
    "lt", "lu", "md", "mk", "mr", "mx", "my", "nl", "no", "pe", "pt", "qa", "re", "ro", "rs",
    "ru", "se", "sg", "si", "sk", "sn", "td", "tw", "ug", "vn",
)  # fmt: skip
EXTRA_PLATFORMS: tuple[str, ...] = (
    "wordpress.com", "tumblr.com", "typepad.com", "weebly.com", "livejournal.com",
    "over-blog.com", "canalblog.com", "twoday.net", "soup.io", "webs.com", "medium.com",
    "jimdo.com", "jimdofree.com", "tripod.com", "angelfire.com", "blogsport.de", "blogger.com",
    "000webhostapp.com", "ucoz.ru", "ucoz.net", "narod.ru", "fc2.com", "free.fr", "wikidot.com",
    "sites.google.com", "ning.com", "substack.com", "webnode.com", "blog.jp",
    # User subdomains seen in the Semrush corpus: blogs, site builders, free hosting, servers.
    "pixnet.net", "squarespace.com", "xrea.com", "ovh.net", "site123.me", "home.blog", "lnk.to",
    "gain.tw", "lnk.bio", "geocities.ws",
    *(f"blogspot.{cc}" for cc in _BLOGSPOT_COUNTRIES),
)  # fmt: skip

# Why a list entry gives no weak toxic label.
PLATFORM = "platform"  # the entry is a public suffix itself (a hosting platform, or e.g. spb.ru)
POPULAR = "popular"  # its registrable domain is on the popularity list
INVALID = "invalid"  # no known public suffix (a typo such as ``20minutes-blogs.frx``)

# Column names of the frames built here.
LIST = "list"
ENTRY = "entry"
KIND = "kind"  # "domain" (``domain:x`` or a bare host) or "url"
HOST = "host"
URL_KEY = "url_key"  # a URL entry without scheme, ``www.`` and trailing slash, lowercased
KEY = "key"  # registrable domain (or the IP for IP hosts); null for suffixes and invalid hosts
EXCLUDED = "excluded"

_IPV4 = r"^\d{1,3}(\.\d{1,3}){3}$"
# scheme://[userinfo@]host[:port]...; the host is what matters for a domain match.
_URL_HOST = r"^(?:[A-Za-z][A-Za-z0-9+.\-]*://)?(?:[^/?#@]*@)?([^/?#:\s]+)"


@lru_cache(maxsize=1)
def _extractor() -> tldextract.TLDExtract:
    """tldextract on its bundled snapshot only (no network, no cache files), private section on."""
    return tldextract.TLDExtract(
        cache_dir=None,
        suffix_list_urls=(),
        include_psl_private_domains=True,
        extra_suffixes=EXTRA_PLATFORMS,
    )


def host_of(url: pl.Expr) -> pl.Expr:
    """The lowercased host of a URL (or of a bare ``host/path``), without a trailing dot."""
    return url.str.strip_chars().str.extract(_URL_HOST, 1).str.to_lowercase().str.strip_chars(".")


def host_keys(hosts: pl.Series) -> pl.DataFrame:
    """One row per distinct host: ``host``, ``key`` (registrable domain or IP) and ``suffix_only``.

    tldextract runs once per *distinct* host, never per link: a profile of 350k links has tens of
    thousands of hosts. ``suffix_only`` marks hosts that are a public suffix themselves.
    """
    extract = _extractor()
    unique = hosts.drop_nulls().unique().to_list()
    keys: list[str | None] = []
    suffix_only: list[bool] = []
    for host in unique:
        if re.match(_IPV4, host):
            keys.append(host)
            suffix_only.append(False)
            continue
        parts = extract(host)
        domain = parts.top_domain_under_public_suffix
        keys.append(domain or None)
        suffix_only.append(bool(parts.suffix) and not parts.domain)
    return pl.DataFrame(
        {HOST: unique, KEY: keys, "suffix_only": suffix_only},
        schema={HOST: pl.String, KEY: pl.String, "suffix_only": pl.Boolean},
    )


def with_keys(frame: pl.DataFrame, host_col: str = HOST) -> pl.DataFrame:
    """``frame`` plus ``key`` (and ``suffix_only``) for its ``host_col``, by a join on hosts."""
    keys = host_keys(frame.get_column(host_col)).rename({HOST: host_col})
    return frame.join(keys, on=host_col, how="left")


def list_entries(text: str) -> list[str]:
    """The entries of a disavow file: ``domain:`` lines, URLs or bare hosts; JSON exports too.

    Comments (``#``) and blank lines are dropped. A JSON document (a spreadsheet exported as JSON,
    as one of the public lists is) gives every string value in it.
    """
    stripped = text.lstrip("\ufeff").strip()
    if stripped[:1] in ("{", "["):
        try:
            return [value.strip() for value in _strings(json.loads(stripped)) if value.strip()]
        except json.JSONDecodeError:
            pass
    lines = (line.strip().strip("\"'").strip() for line in stripped.splitlines())
    return [line for line in lines if line and not line.startswith("#")]


def _strings(value: object) -> Iterable[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def entries_frame(name: str, entries: list[str], popular: set[str]) -> pl.DataFrame:
    """One row per distinct entry of list ``name``, with its key and why it is excluded (if so).

    Columns: ``list``, ``entry``, ``kind``, ``host``, ``url_key``, ``key``, ``excluded`` (null
    for an entry that gives a weak toxic label; else ``platform``, ``popular`` or ``invalid``).
    """
    frame = pl.DataFrame({ENTRY: entries}, schema={ENTRY: pl.String}).unique(maintain_order=True)
    body = pl.col(ENTRY).str.replace(r"(?i)^domain:\s*", "")
    is_url = pl.col(ENTRY).str.contains(r"(?i)^[a-z][a-z0-9+.\-]*://") | body.str.contains("/")
    frame = frame.with_columns(
        pl.lit(name).alias(LIST),
        pl.when(pl.col(ENTRY).str.contains(r"(?i)^domain:"))
        .then(pl.lit("domain"))
        .when(is_url)
        .then(pl.lit("url"))
        .otherwise(pl.lit("domain"))
        .alias(KIND),
        host_of(body).alias(HOST),
    ).with_columns(
        pl.when(pl.col(KIND) == "url").then(url_key(pl.col(ENTRY))).alias(URL_KEY),
    )
    frame = with_keys(frame)
    return frame.select(
        LIST,
        ENTRY,
        KIND,
        HOST,
        URL_KEY,
        KEY,
        pl.when(pl.col("suffix_only"))
        .then(pl.lit(PLATFORM))
        .when(pl.col(KEY).is_null())
        .then(pl.lit(INVALID))
        .when(pl.col(KEY).is_in(list(popular)))
        .then(pl.lit(POPULAR))
        .alias(EXCLUDED),
    )


def url_key(url: pl.Expr) -> pl.Expr:
    """A URL compared loosely: lowercased, no scheme, no ``www.``, no trailing slash."""
    return (
        url.str.strip_chars()
        .str.to_lowercase()
        .str.replace(r"^[a-z][a-z0-9+.\-]*://", "")
        .str.replace(r"^www\.", "")
        .str.strip_chars_end("/")
    )


def popular_domains(majestic: pl.DataFrame) -> set[str]:
    """The popularity list as a set of lowercased domains (Majestic's ``Domain`` column).

    A listed name that is a platform under the private PSL (``blogspot.com``) is kept as given; it
    matches no link's registrable domain, but it still excludes an entry naming the platform.
    """
    column = "Domain" if "Domain" in majestic.columns else majestic.columns[0]
    names = majestic.get_column(column).cast(pl.String).str.strip_chars().str.to_lowercase()
    return set(names.str.replace(r"^www\.", "").drop_nulls().to_list()) - {""}


def weak_toxic_keys(entries: pl.DataFrame) -> pl.DataFrame:
    """Distinct (list, key) pairs that give a weak toxic label (entries not excluded)."""
    kept = entries.filter(pl.col(EXCLUDED).is_null() & pl.col(KEY).is_not_null())
    return kept.select(LIST, KEY).unique().sort(LIST, KEY)


def exclusion_counts(entries: pl.DataFrame) -> pl.DataFrame:
    """Per list: entries, distinct keys kept, and entries excluded for each reason."""
    return (
        entries.group_by(LIST)
        .agg(
            pl.len().alias("entries"),
            (pl.col(KIND) == "url").sum().alias("url_entries"),
            pl.col(KEY).filter(pl.col(EXCLUDED).is_null()).n_unique().alias("kept_domains"),
            (pl.col(EXCLUDED) == PLATFORM).sum().alias("excluded_platform"),
            (pl.col(EXCLUDED) == POPULAR).sum().alias("excluded_popular"),
            (pl.col(EXCLUDED) == INVALID).sum().alias("excluded_invalid"),
        )
        .sort(LIST)
    )


def label_links(
    links: pl.DataFrame,
    entries: pl.DataFrame,
    popular: set[str],
    webspam: pl.DataFrame | None = None,
) -> pl.DataFrame:
    """Add weak-label columns to ``links`` (which needs ``source_url``; ``key`` is added if absent).

    Added: ``on_<list>`` (Boolean, source key on that list, before exclusions), ``toxic_<list>``
    (after exclusions), ``weak_toxic`` (any list after exclusions), ``on_any_list`` (before),
    ``popular`` (source key on the popularity list), ``url_hit`` (the link's source URL is a URL
    entry of some list, loosely compared) and, with ``webspam``, ``webspam_class`` (the
    WEBSPAM-UK2006 class of the source host, ``www.`` ignored).
    """
    if KEY not in links.columns:
        if HOST not in links.columns:
            links = links.with_columns(host_of(pl.col("source_url")).alias(HOST))
        links = with_keys(links).drop("suffix_only")
    lists = entries.get_column(LIST).unique().sort().to_list()
    out = links
    for name in lists:
        mine = entries.filter(pl.col(LIST) == name)
        listed = mine.get_column(KEY).drop_nulls().unique()
        kept = mine.filter(pl.col(EXCLUDED).is_null()).get_column(KEY).drop_nulls().unique()
        out = out.with_columns(
            pl.col(KEY).is_in(listed.implode()).fill_null(False).alias(f"on_{name}"),
            pl.col(KEY).is_in(kept.implode()).fill_null(False).alias(f"toxic_{name}"),
        )
    urls = entries.get_column(URL_KEY).drop_nulls().unique()
    out = out.with_columns(
        pl.any_horizontal([pl.col(f"toxic_{name}") for name in lists] or [pl.lit(False)]).alias(
            "weak_toxic"
        ),
        pl.any_horizontal([pl.col(f"on_{name}") for name in lists] or [pl.lit(False)]).alias(
            "on_any_list"
        ),
        pl.col(KEY).is_in(list(popular)).fill_null(False).alias("popular"),
        url_key(pl.col("source_url")).is_in(urls.implode()).fill_null(False).alias("url_hit"),
    )
    if webspam is not None:
        hosts = webspam.select(
            pl.col("host").str.to_lowercase().str.replace(r"^www\.", "").alias("_wh"),
            pl.col("class").alias("webspam_class"),
        ).unique("_wh", keep="first")
        out = (
            out.with_columns(pl.col(HOST).str.replace(r"^www\.", "").alias("_wh"))
            .join(hosts, on="_wh", how="left")
            .drop("_wh")
        )
    return out
