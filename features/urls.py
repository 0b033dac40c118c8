"""URL parsing and registrable domains (Public Suffix List) as polars expressions and joins.

SEO tools group backlinks by *referring domain*, which is the registrable domain of the source
host: ``blog.example.co.uk`` and ``shop.example.co.uk`` are one site, ``a.blogspot.com`` and
``b.blogspot.com`` are two. Getting that right needs the Public Suffix List, which we read once from
tldextract's bundled offline snapshot and apply as a vectorised join on the *unique* hosts.

Decisions:
- Hosts are read as browsers read them (the WHATWG URL standard's host parser, see
  :func:`browser_hosts`): IDNA with the lenient rules browsers apply (UTS 46 non-transitional
  mapping, no hyphen checks, no DNS length checks), so ``zh-.example.com``, ``a_b.example.com``,
  ``-x-.example.com``, ``Bücher.de`` and ``ＥＸＡＭＰＬＥ。com`` are hosts, while a space, ``<``,
  ``%`` left after decoding, an unpaired bidi label or a number-like last label that is not an
  IPv4 address (``1.2.3.256``) are not. Key columns hold the host in the browser's ASCII form
  (lower case, punycode), so ``Bücher.de`` and ``xn--bcher-kva.de`` are one referring domain and
  Google's disavow file gets the form it expects. A trailing dot is dropped (``example.com.``).
- The private section of the list is included (``blogspot.com``, ``github.io`` ...), and the
  platforms of :mod:`features.platforms` are added as suffixes too, so each user site on a free
  platform is its own referring domain. On path-based platforms (``sites.google.com/view/x``,
  ``medium.com/@user``) the referring site is the host plus the user's path prefix. That keeps a
  disavow of one spam blog from covering the whole platform.
- The suffix match runs on the Unicode form of the host (the list is written in Unicode).
- IP-address hosts have no registrable domain; the IP itself stands in as the referring domain.
"""

from __future__ import annotations

import functools
import importlib.util
import re
import unicodedata
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

import idna
import polars as pl

from features.platforms import PATH_HOSTS, PATH_PATTERNS
from features.vocab import FREE_HOSTS, SHORTENERS

# Matches scheme://authority/path?query#fragment; the scheme and "//" are optional, because
# exports sometimes drop them ("example.com/page"). Tabs and line breaks are removed and "\" is
# read as "/" first, as browsers do; spaces inside the path and query are kept (browsers
# percent-encode them), a space in the host makes it no host.
_URL_RE = r"^(?:([A-Za-z][A-Za-z0-9+.\-]*)://)?([^/?#]*)([^?#]*)(?:\?([^#]*))?"
_IPV4_RE = r"^\d{1,3}(?:\.\d{1,3}){3}$"
# Code points a browser refuses in a domain once it is in ASCII (WHATWG "forbidden domain code
# point"): C0 controls, space, # % / : < > ? @ [ \ ] ^ | and DEL.
_FORBIDDEN_DOMAIN = r"[\x00-\x20#%/:<>?@\[\\\]^|\x7f]"
# A last label that makes the WHATWG host parser read the host as an IPv4 address.
_ENDS_IN_NUMBER = r"(?:^|\.)(?:\d+|0[xX][0-9a-fA-F]*)$"
_DOTTED_QUAD = r"^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$"
_MAX_PORT = 65_535

# Feature columns produced by :func:`url_features` (all about the source URL).
URL_HTTPS = "url_https"
URL_IS_IP = "url_is_ip"
URL_SHORTENER = "url_shortener"
URL_IDN = "url_idn"
URL_SUBDOMAIN_DEPTH = "url_subdomain_depth"
URL_PATH_DEPTH = "url_path_depth"
URL_PATH_LENGTH = "url_path_length"
URL_LENGTH = "url_length"
URL_QUERY_PARAMS = "url_query_params"
URL_NAMES_SITE = "url_names_site"

URL_FEATURES: tuple[str, ...] = (
    URL_HTTPS,
    URL_IS_IP,
    URL_SHORTENER,
    URL_IDN,
    URL_SUBDOMAIN_DEPTH,
    URL_PATH_DEPTH,
    URL_PATH_LENGTH,
    URL_LENGTH,
    URL_QUERY_PARAMS,
    URL_NAMES_SITE,
)

# Top-level domains a report page's path ends a host name with: the generic ones and the
# country codes common in real exports. A file name never ends in one (.html, .php, .js).
_NAMED_TLDS = (
    "com|net|org|info|biz|name|pro|xyz|top|online|site|club|io|co|me|tv|cc|us|uk|de|fr|nl|it|"
    "es|pl|ru|jp|br|au|ca|in|eu|ch|at|be|se|dk|no|fi|cz|gr|ro|hu|pt|ua|cn|tk|ml|ga|cf|gq|ir|tr|"
    "vn|id|mx|ar|za|kr|tw|hk|sg|my|nz|ie|il|sk|lt|lv|ee|bg|hr|si|rs|by|kz"
)
# A host name (or an IPv4 address) as a whole path segment, optionally followed by a page
# suffix: /site/example.com, /backlinks/www.example.co.uk/, /reverse-ip/192.0.2.1, /www,x.com.html
_NAMED_HOST = (
    r"(?:^|[/=,_+])("
    rf"(?:www\.)?[a-z0-9][a-z0-9-]*(?:\.[a-z0-9-]+)*\.(?:{_NAMED_TLDS})"
    r"|\d{1,3}(?:\.\d{1,3}){3})"
    r"(?:[/,.]html?|/|$)"
)

# Columns of the suffix-rule frame.
RULE = "rule"
RULE_EXACT = "exact"
RULE_WILDCARD = "wildcard"
RULE_EXCEPTION = "exception"
RULE_PRIVATE = "private"

# Scratch names used inside the host join.
_HOST = "_lt_h"
_UNI = "_lt_hu"
_LABELS = "_lt_labels"
_N = "_lt_n"
_K = "_lt_k"
_CAND = "_lt_cand"
_PS_LEN = "_lt_ps_len"


@dataclass(frozen=True)
class UrlParts:
    """Column names of one parsed URL column, all sharing ``prefix`` (e.g. ``_lt_src``)."""

    prefix: str

    @property
    def scheme(self) -> str:
        return f"{self.prefix}_scheme"

    @property
    def host(self) -> str:
        return f"{self.prefix}_host"

    @property
    def host_unicode(self) -> str:
        return f"{self.prefix}_host_unicode"

    @property
    def path(self) -> str:
        return f"{self.prefix}_path"

    @property
    def query(self) -> str:
        return f"{self.prefix}_query"

    @property
    def is_ip(self) -> str:
        return f"{self.prefix}_is_ip"

    @property
    def suffix(self) -> str:
        return f"{self.prefix}_suffix"

    @property
    def domain(self) -> str:
        """Registrable domain; null for IP hosts and hosts that are themselves a suffix."""
        return f"{self.prefix}_domain"

    @property
    def tld(self) -> str:
        return f"{self.prefix}_tld"

    @property
    def site(self) -> str:
        """The referring site, the grouping key: the registrable domain, else the host itself
        (IPs, bare suffixes); on a path-based platform the host and the user's path prefix
        (``sites.google.com/view/x``)."""
        return f"{self.prefix}_site"


@functools.cache
def suffix_rules() -> pl.DataFrame:
    """The Public Suffix List (ICANN + private sections) plus platforms, one row per rule base.

    ``rule`` is the rule without its ``*.``/``!`` marker; the flags say which kinds of rule exist
    for it, and ``private`` whether it comes from the list's private section (hosting companies)
    or from :mod:`features.platforms`. Read from tldextract's offline snapshot so that no network
    is ever needed; cached because it is immutable data.
    """
    lines = pl.Series("line", _snapshot().splitlines(), dtype=pl.String)
    extra = pl.Series("line", sorted(FREE_HOSTS), dtype=pl.String)
    text = (
        pl.concat([lines, extra])
        .str.strip_chars()
        .str.extract(r"^(\S+)")
        .str.to_lowercase()
        .alias("line")
    )
    marker = pl.concat([lines, extra]).str.contains("===BEGIN PRIVATE DOMAINS===", literal=True)
    frame = (
        pl.DataFrame({"line": text, RULE_PRIVATE: marker.cum_sum() > 0})
        .with_columns(pl.col(RULE_PRIVATE) | (pl.int_range(pl.len()) >= lines.len()))
        .filter(pl.col("line").is_not_null() & ~pl.col("line").str.starts_with("//"))
    )
    return (
        frame.with_columns(
            pl.col("line").str.starts_with("*.").alias(RULE_WILDCARD),
            pl.col("line").str.starts_with("!").alias(RULE_EXCEPTION),
            pl.col("line").str.replace(r"^(\*\.|!)", "").alias(RULE),
        )
        .with_columns((~pl.col(RULE_WILDCARD) & ~pl.col(RULE_EXCEPTION)).alias(RULE_EXACT))
        .group_by(RULE)
        .agg(
            pl.col(RULE_EXACT).any(),
            pl.col(RULE_WILDCARD).any(),
            pl.col(RULE_EXCEPTION).any(),
            pl.col(RULE_PRIVATE).any(),
        )
        .sort(RULE)
    )


def _snapshot() -> str:
    """The text of tldextract's bundled suffix-list snapshot, read from its package folder
    without importing the package (which imports ``requests``: a fifth of a second of a small
    export's run)."""
    spec = importlib.util.find_spec("tldextract")
    folders = [] if spec is None else list(spec.submodule_search_locations or [])
    for folder in folders:
        path = Path(folder) / ".tld_set_snapshot"
        if path.is_file():
            return path.read_text(encoding="utf-8")
    raise RuntimeError("tldextract's bundled .tld_set_snapshot is missing")  # pragma: no cover


@functools.cache
def _private_suffixes() -> frozenset[str]:
    rules = suffix_rules().filter(pl.col(RULE_PRIVATE) & ~pl.col(RULE_EXCEPTION))
    return frozenset(rules.get_column(RULE).to_list())


@functools.cache
def _all_suffixes() -> frozenset[str]:
    return frozenset(suffix_rules().filter(~pl.col(RULE_EXCEPTION)).get_column(RULE).to_list())


def site_platforms(sites: pl.Series) -> pl.Series:
    """The platform each referring site sits on, null for an ordinary registrable domain.

    ``sites`` are referring-site keys (:attr:`UrlParts.site`). A path-based site
    (``sites.google.com/view/x``) sits on its host; a site one label under a private suffix or a
    listed platform (``spam.weebly.com``) on that suffix; a site that *is* a public suffix or a
    platform host (``weebly.com``, ``blogspot.com``, ``co.uk``) is a platform itself. Used by the
    rollup and the disavow file, which never disavow a platform whole.
    """
    text = sites.cast(pl.String)
    frame = pl.DataFrame({_HOST: text}).with_columns(
        pl.col(_HOST).str.extract(r"^([^/]+)/").alias("_path_host"),
        pl.col(_HOST).str.replace(r"^[^.]*\.", "").alias("_parent"),
    )
    private = sorted(_private_suffixes())
    bare = sorted(_all_suffixes() | PATH_HOSTS)
    return frame.select(
        pl.when(pl.col("_path_host").is_not_null())
        .then(pl.col("_path_host"))
        .when(pl.col(_HOST).is_in(bare))
        .then(pl.col(_HOST))
        .when(pl.col(_HOST).str.contains(".", literal=True) & pl.col("_parent").is_in(private))
        .then(pl.col("_parent"))
        .alias(sites.name)
    ).to_series()


def _decode_label(label: str) -> str:
    if not label.startswith("xn--"):
        return label
    try:
        return label[4:].encode("ascii").decode("punycode")
    except (UnicodeError, ValueError):
        return label  # malformed punycode: keep the ASCII form rather than fail the batch


def decode_idn(hosts: pl.Series) -> pl.Series:
    """Decode punycode labels (``xn--bcher-kva.de`` -> ``bücher.de``); other hosts pass through.

    Polars has no punycode decoder, so this is the one per-value Python call in the package. It is
    only ever applied to the *unique* hosts that contain ``xn--`` (a handful per profile).
    """
    todo = hosts.filter(hosts.str.contains("xn--", literal=True).fill_null(False)).unique()
    mapping = {
        host: ".".join(_decode_label(label) for label in host.split(".")) for host in todo.to_list()
    }
    if not mapping:
        return hosts
    return hosts.replace(mapping)


def _ipv4_number(part: str) -> int | None:
    """One part of a WHATWG IPv4 address: decimal, hex (``0x``) or octal (leading ``0``)."""
    if part[:2].lower() == "0x":
        digits, base = part[2:], 16
    elif len(part) > 1 and part.startswith("0"):
        digits, base = part[1:], 8
    else:
        digits, base = part, 10
    if not digits:
        return 0
    try:
        return int(digits, base)
    except ValueError:
        return None


def _ipv4(host: str) -> str | None:
    """The WHATWG IPv4 parser (``0x7f.1`` -> ``127.0.0.1``); None where browsers refuse it."""
    parts = host.split(".")
    if parts[-1] == "" and len(parts) > 1:
        parts.pop()
    if len(parts) > 4 or "" in parts:
        return None
    numbers = [_ipv4_number(part) for part in parts]
    if any(number is None for number in numbers):
        return None
    values = [number for number in numbers if number is not None]
    if any(number > 255 for number in values[:-1]) or values[-1] >= 256 ** (5 - len(values)):
        return None
    address = values[-1] + sum(n * 256 ** (3 - i) for i, n in enumerate(values[:-1]))
    return ".".join(str((address >> shift) & 255) for shift in (24, 16, 8, 0))


def _unicode_label(label: str) -> str | None:
    """A label after UTS 46 mapping, punycode decoded and checked as browsers do; None if bad."""
    if label[:4] == "xn--":
        try:
            decoded = label[4:].encode("ascii").decode("punycode")
        except (UnicodeError, ValueError):
            return None
        if not decoded or decoded.isascii():
            return None
        try:
            if idna.uts46_remap(decoded, std3_rules=False, transitional=False) != decoded:
                return None
        except idna.IDNAError:
            return None
        label = decoded
    if label.isascii():
        return label
    if unicodedata.normalize("NFC", label) != label or unicodedata.category(label[0])[0] == "M":
        return None
    try:
        for index, char in enumerate(label):  # CheckJoiners
            if char in "\u200c\u200d" and not idna.valid_contextj(label, index):
                return None
        idna.check_bidi(label)  # CheckBidi
    except idna.IDNAError:
        return None
    return label


def browser_host(host: str) -> str | None:
    """One host as a browser's URL parser reads it, in ASCII; None where the browser refuses it.

    The WHATWG host parser for http(s) URLs: percent-decode, UTS 46 mapping (non-transitional,
    no STD3 rules, no hyphen checks, no DNS length checks), punycode, forbidden code points,
    and the IPv4 parser for hosts whose last label is a number. A trailing dot is dropped.
    """
    try:
        text = urllib.parse.unquote_to_bytes(host).decode("utf-8") if "%" in host else host
        mapped = idna.uts46_remap(text, std3_rules=False, transitional=False)
    except (UnicodeError, idna.IDNAError):
        return None
    labels = []
    for label in unicodedata.normalize("NFC", mapped).rstrip(".").split("."):
        unicode = _unicode_label(label)
        if unicode is None:
            return None
        ascii_label = unicode if unicode.isascii() else "xn--" + unicode.encode("punycode").decode()
        labels.append(ascii_label)
    ascii_host = ".".join(labels)
    if not ascii_host or any(char in _FORBIDDEN_CHARS for char in ascii_host):
        return None
    last = ascii_host.rsplit(".", 1)[-1]
    if last.isdigit() or (last[:2] == "0x" and all(c in "0123456789abcdef" for c in last[2:])):
        return _ipv4(ascii_host)
    return ascii_host


_FORBIDDEN_CHARS = frozenset(
    [chr(code) for code in range(0x21)] + list("#%/:<>?@[\\]^|") + ["\x7f"]
)


def browser_hosts(hosts: pl.Series) -> pl.Series:
    """:func:`browser_host` for a Series, vectorised: plain ASCII hosts (nearly all) are checked
    with expressions; only the unique hosts with non-ASCII letters, ``xn--`` labels, ``%``
    escapes or a number-like last label go through Python (a handful per profile)."""
    frame = pl.DataFrame({_HOST: hosts.cast(pl.String)}).with_columns(
        pl.col(_HOST).str.strip_chars_end(".").str.to_lowercase().alias(_UNI)
    )
    lowered = pl.col(_UNI)
    special = (
        ~pl.col(_HOST).str.contains(r"^[\x00-\x7f]*$")
        | lowered.str.contains("xn--", literal=True)
        | lowered.str.contains("%", literal=True)
        | (lowered.str.contains(_ENDS_IN_NUMBER) & ~lowered.str.contains(_DOTTED_QUAD))
    )
    frame = frame.with_columns(special.fill_null(False).alias(_CAND))
    todo = frame.filter(pl.col(_CAND)).get_column(_HOST).unique().drop_nulls().to_list()
    mapping = {host: browser_host(host) for host in todo}
    plain_ok = (lowered.str.len_bytes() > 0) & ~lowered.str.contains(_FORBIDDEN_DOMAIN)
    result = frame.select(
        pl.when(pl.col(_CAND))
        .then(pl.col(_HOST).replace_strict(mapping, default=None, return_dtype=pl.String))
        .when(plain_ok)
        .then(lowered)
        .alias(hosts.name)
    )
    return result.to_series()


def _authority_host(authority: pl.Expr) -> pl.Expr:
    """The host text of an authority: user info, port and IPv6 brackets removed. An authority
    with a port out of range, or text after the port, gives a host with ':' (refused later)."""
    auth = (
        pl.when(authority.str.contains("@", literal=True))
        .then(authority.str.replace(r"^.*@", ""))
        .otherwise(authority)
    )
    port = auth.str.extract(r":(\d+)$").cast(pl.Int64, strict=False)
    return (
        pl.when(auth.str.starts_with("["))
        .then(auth.str.extract(r"^\[([^\]]*)\]"))
        .when(port > _MAX_PORT)
        .then(auth)  # keeps the ':' so the host is refused
        .otherwise(auth.str.replace(r":\d*$", ""))
    )


def split_url(lf: pl.LazyFrame, url_col: str, parts: UrlParts) -> pl.LazyFrame:
    """Add scheme, host (browser's ASCII form; no userinfo, port or trailing dot), path, query
    and IP flag; the host is null where a browser would not open the URL's host.

    Built in steps of plain columns so each regex runs once per row (expressions reused inside
    one ``with_columns`` are not always shared by the streaming engine).
    """
    groups = f"{parts.prefix}_groups"
    authority = f"{parts.prefix}_authority"
    bracketed = f"{parts.prefix}_bracketed"
    url = (
        pl.col(url_col)
        .str.strip_chars()
        .str.replace_all(r"[\t\n\r]", "")
        .str.replace_all("\\", "/", literal=True)
    )
    lf = lf.with_columns(url.str.extract_groups(_URL_RE).alias(groups))
    lf = lf.with_columns(
        pl.col(groups).struct.field("1").str.to_lowercase().alias(parts.scheme),
        pl.col(groups).struct.field("2").alias(authority),
        pl.col(groups).struct.field("3").alias(parts.path),
        pl.col(groups).struct.field("4").alias(parts.query),
    ).drop(groups)
    lf = lf.with_columns(
        _authority_host(pl.col(authority)).alias(parts.host),
        pl.col(authority).str.starts_with("[").alias(bracketed),
    )
    # IPv6 literals in brackets are checked by shape; every other host as a browser reads it.
    ipv6 = pl.col(parts.host).str.to_lowercase()
    lf = lf.with_columns(
        pl.when(pl.col(bracketed))
        .then(pl.when(ipv6.str.contains(r"^[0-9a-f:.]*:[0-9a-f:.]*$")).then(ipv6))
        .otherwise(
            pl.col(parts.host).map_batches(
                browser_hosts, return_dtype=pl.String, is_elementwise=True
            )
        )
        .alias(parts.host)
    ).drop(authority, bracketed)
    has_host = pl.col(parts.host).is_not_null()
    path = pl.col(parts.path)
    return lf.with_columns(
        # An empty path is the root page; a URL without a host has no parts at all.
        pl.when(has_host)
        .then(pl.when(path.str.len_bytes() > 0).then(path).otherwise(pl.lit("/")))
        .alias(parts.path),
        pl.when(has_host).then(pl.col(parts.query)).alias(parts.query),
        (pl.col(parts.host).str.contains(_IPV4_RE) | pl.col(parts.host).str.contains(":")).alias(
            parts.is_ip
        ),
    )


def url_hosts(urls: pl.Series) -> pl.Series:
    """The browser's host of each http(s) URL (``https://`` then a host), null for anything
    else: the one check importers and features share."""
    lf = pl.LazyFrame({"_lt_url": urls.cast(pl.String)})
    parts = UrlParts("_lt_check")
    split = split_url(lf, "_lt_url", parts).collect()
    scheme_ok = split[parts.scheme].is_in(["http", "https"]) & urls.cast(pl.String).str.contains(
        r"^\s*(?i:https?)://"
    )
    return split.select(
        pl.when(scheme_ok.fill_null(False)).then(pl.col(parts.host)).alias(urls.name)
    ).to_series()


def _host_domains(hosts: pl.LazyFrame) -> pl.LazyFrame:
    """Public suffix and registrable domain for a frame of unique, non-IP hosts (column _HOST).

    Every suffix of a host ("a.b.c" -> "c", "b.c", "a.b.c") is a candidate joined against the
    rules; the prevailing rule is an exception rule if any matches (its suffix is one label
    shorter), else the longest exact or wildcard match, else the implicit ``*`` rule (one label).
    """
    rules = suffix_rules().lazy()
    labelled = hosts.with_columns(
        pl.col(_HOST).map_batches(decode_idn, return_dtype=pl.String).alias(_UNI)
    ).with_columns(pl.col(_UNI).str.split(".").alias(_LABELS))
    labelled = labelled.with_columns(pl.col(_LABELS).list.len().cast(pl.Int64).alias(_N))
    candidates = (
        labelled.select(_HOST, _LABELS, _N)
        .with_columns(pl.int_ranges(1, pl.col(_N) + 1).alias(_K))
        .explode(_K)
        .with_columns(
            pl.col(_LABELS).list.slice(pl.col(_N) - pl.col(_K)).list.join(".").alias(_CAND)
        )
    )
    matched = (
        candidates.join(rules, left_on=_CAND, right_on=RULE, how="inner")
        .group_by(_HOST)
        .agg(
            pl.when(pl.col(RULE_EXCEPTION)).then(pl.col(_K) - 1).max().alias("_exc"),
            pl.max_horizontal(
                pl.when(pl.col(RULE_EXACT)).then(pl.col(_K)),
                pl.when(pl.col(RULE_WILDCARD) & (pl.col(_N) > pl.col(_K))).then(pl.col(_K) + 1),
            )
            .max()
            .alias("_norm"),
        )
    )
    ascii_labels = pl.col(_HOST).str.split(".")
    ps_len = pl.col(_PS_LEN)
    return (
        labelled.join(matched, on=_HOST, how="left")
        .with_columns(pl.coalesce("_exc", "_norm", pl.lit(1, pl.Int64)).alias(_PS_LEN))
        .select(
            _HOST,
            _UNI,
            ascii_labels.list.slice(-ps_len).list.join(".").alias("_suffix"),
            pl.when(pl.col(_N) > ps_len)
            .then(ascii_labels.list.slice(-(ps_len + 1)).list.join("."))
            .alias("_domain"),
        )
    )


_DOMAIN_FIELDS = {"unicode": pl.String(), "suffix": pl.String(), "domain": pl.String()}


def host_domains(hosts: pl.Series) -> pl.Series:
    """Struct of (Unicode host, public suffix, registrable domain) for a Series of hosts.

    The suffix work runs once per *unique* non-IP host (a vectorised PSL join), and the result is
    mapped back with a join. It is a Series function so that it can run inside ``map_batches``
    on the host column: joining a lazily derived unique-host table back onto the frame would
    make the engine compute the URL split twice.
    """
    frame = pl.DataFrame({_HOST: hosts.cast(pl.String)})
    unique = frame.unique().filter(
        pl.col(_HOST).is_not_null()
        & ~pl.col(_HOST).str.contains(_IPV4_RE)
        & ~pl.col(_HOST).str.contains(":")
    )
    table = _host_domains(unique.lazy()).collect()
    return (
        frame.join(table, on=_HOST, how="left", maintain_order="left")
        .select(
            pl.struct(
                pl.col(_UNI).alias("unicode"),
                pl.col("_suffix").alias("suffix"),
                pl.col("_domain").alias("domain"),
            ).alias(hosts.name)
        )
        .to_series()
    )


def add_domains(lf: pl.LazyFrame, parts: UrlParts) -> pl.LazyFrame:
    """Add Unicode host, public suffix, registrable domain, TLD and site key."""
    found = f"{parts.prefix}_found"
    lf = lf.with_columns(
        pl.col(parts.host)
        .map_batches(host_domains, return_dtype=pl.Struct(_DOMAIN_FIELDS), is_elementwise=True)
        .alias(found)
    )
    host = pl.col(parts.host)
    return lf.with_columns(
        pl.when(pl.col(parts.is_ip))
        .then(host)
        .otherwise(pl.col(found).struct.field("unicode"))
        .alias(parts.host_unicode),
        pl.col(found).struct.field("suffix").alias(parts.suffix),
        pl.col(found).struct.field("domain").alias(parts.domain),
        pl.when(~pl.col(parts.is_ip)).then(host.str.extract(r"([^.]+)$")).alias(parts.tld),
        pl.coalesce(
            _path_site(host, pl.col(parts.path)), pl.col(found).struct.field("domain"), host
        ).alias(parts.site),
    ).drop(found)


def _path_site_pattern() -> str:
    """One anchored regex over ``host + path`` that matches the site prefix on any path-based
    platform (one regex per row, whatever the number of platforms)."""
    options = [
        f"{re.escape(host)}(?:{pattern.removeprefix('^').replace('|^', '|')})"
        for host, pattern in sorted(PATH_PATTERNS.items())
    ]
    return rf"^(?:{'|'.join(options)})"


def _path_site(host: pl.Expr, path: pl.Expr) -> pl.Expr:
    """The referring site of a URL on a path-based platform (``sites.google.com/view/x``): host
    (without ``www.``) and the user's path prefix; the bare host when the path names no site;
    null on every other host."""
    bare = host.str.replace(r"^www\.", "")
    prefixed = pl.concat_str([bare, path.fill_null("/")])
    return pl.when(bare.is_in(sorted(PATH_HOSTS))).then(
        pl.coalesce(prefixed.str.extract(f"({_path_site_pattern()})"), bare)
    )


def parse_urls(lf: pl.LazyFrame, url_col: str, parts: UrlParts) -> pl.LazyFrame:
    """Split ``url_col`` into parts and add its public suffix and registrable domain."""
    return add_domains(split_url(lf, url_col, parts), parts)


def is_free_host(suffix: pl.Expr, domain: pl.Expr) -> pl.Expr:
    """True when a registrable domain is a user site on a free platform (x.blogspot.com)."""
    free = suffix.is_in(list(FREE_HOSTS)) | suffix.str.starts_with("blogspot.")
    return free & domain.is_not_null()


def path_depth(path: pl.Expr) -> pl.Expr:
    """Number of non-empty path segments ("/a/b/" -> 2, "/" or "" -> 0)."""
    return path.str.count_matches(r"/[^/]+").cast(pl.Int32)


def url_features(lf: pl.LazyFrame, src: UrlParts, url_col: str) -> pl.LazyFrame:
    """Source-URL features: scheme, IP/IDN/shortener host, depths, lengths, query params."""
    host = pl.col(src.host)
    labels = host.str.replace(r"^www\.", "").str.count_matches(r"\.").cast(pl.Int32) + 1
    domain_labels = pl.col(src.domain).str.count_matches(r"\.").cast(pl.Int32) + 1
    query = pl.col(src.query)
    return lf.with_columns(
        (pl.col(src.scheme) == "https").alias(URL_HTTPS),
        pl.col(src.is_ip).alias(URL_IS_IP),
        (pl.col(src.site).is_in(list(SHORTENERS)) | host.is_in(list(SHORTENERS))).alias(
            URL_SHORTENER
        ),
        (host.str.contains("xn--", literal=True) | host.str.contains(r"[^\x00-\x7f]")).alias(
            URL_IDN
        ),
        pl.when(pl.col(src.domain).is_not_null())
        .then((labels - domain_labels).clip(lower_bound=0))
        .cast(pl.Int32)
        .alias(URL_SUBDOMAIN_DEPTH),
        path_depth(pl.col(src.path)).alias(URL_PATH_DEPTH),
        pl.col(src.path).str.len_chars().cast(pl.Int32).alias(URL_PATH_LENGTH),
        pl.col(url_col).str.strip_chars().str.len_chars().cast(pl.Int32).alias(URL_LENGTH),
        pl.when(host.is_not_null())
        .then(
            pl.when(query.str.len_bytes() > 0).then(query.str.count_matches("&") + 1).otherwise(0)
        )
        .cast(pl.Int32)
        .alias(URL_QUERY_PARAMS),
        names_site(pl.col(src.path), pl.col(src.domain)).alias(URL_NAMES_SITE),
    )


def names_site(path: pl.Expr, domain: pl.Expr) -> pl.Expr:
    """True when the URL path names another site's host or an IP address as a segment: the
    report pages of SEO-statistics, site-info, "similar sites" and scraper domains
    (``/site/example.com``). A path naming the page's own domain (an archive of its own
    subdomains) does not count; null when the URL has no host."""
    named = path.str.to_lowercase().str.extract(_NAMED_HOST, 1)
    own = named.str.contains(domain.fill_null("\x00"), literal=True)
    return pl.when(path.is_not_null()).then(named.is_not_null() & ~own.fill_null(False))
