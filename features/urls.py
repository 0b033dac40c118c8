"""URL parsing and registrable domains (Public Suffix List) as polars expressions and joins.

SEO tools group backlinks by *referring domain*, which is the registrable domain of the source
host: ``blog.example.co.uk`` and ``shop.example.co.uk`` are one site, ``a.blogspot.com`` and
``b.blogspot.com`` are two. Getting that right needs the Public Suffix List, which we read once from
tldextract's bundled offline snapshot and apply as a vectorised join on the *unique* hosts.

Decisions:
- The private section of the list is included (``blogspot.com``, ``github.io`` ...), and the free
  hosts of :data:`features.vocab.FREE_HOSTS` are added as suffixes too, so each user site on a free
  platform is its own referring domain. That keeps a disavow of one spam blog from covering the
  whole platform.
- The suffix match runs on the Unicode form of the host (the list is written in Unicode); key
  columns keep the host as the export wrote it (lower-cased), usually ASCII/punycode, which is what
  Google's disavow file expects.
- IP-address hosts have no registrable domain; the IP itself stands in as the referring domain.
"""

from __future__ import annotations

import functools
import pkgutil
from dataclasses import dataclass

import polars as pl

from features.vocab import FREE_HOSTS, SHORTENERS

# Matches scheme://authority/path?query#fragment; the scheme and "//" are optional, because
# exports sometimes drop them ("example.com/page").
_URL_RE = r"^\s*(?:([A-Za-z][A-Za-z0-9+.\-]*)://)?([^/?#\s]*)([^?#\s]*)(?:\?([^#\s]*))?"
_IPV4_RE = r"^\d{1,3}(?:\.\d{1,3}){3}$"
_HOST_NAME_RE = r"^[\p{L}\p{N}_-]+(?:\.[\p{L}\p{N}_-]+)*$"

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
)

# Columns of the suffix-rule frame.
RULE = "rule"
RULE_EXACT = "exact"
RULE_WILDCARD = "wildcard"
RULE_EXCEPTION = "exception"

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
        """Registrable domain, else the host itself (IPs, bare suffixes): the grouping key."""
        return f"{self.prefix}_site"


@functools.cache
def suffix_rules() -> pl.DataFrame:
    """The Public Suffix List (ICANN + private sections) plus free hosts, one row per rule base.

    ``rule`` is the rule without its ``*.``/``!`` marker; the flags say which kinds of rule exist
    for it. Read from tldextract's offline snapshot so that no network is ever needed; cached
    because it is immutable data.
    """
    raw = pkgutil.get_data("tldextract", ".tld_set_snapshot")
    if raw is None:  # pragma: no cover - the wheel always ships it
        raise RuntimeError("tldextract's bundled .tld_set_snapshot is missing")
    lines = pl.Series("line", raw.decode("utf-8").splitlines(), dtype=pl.String)
    extra = pl.Series("line", sorted(FREE_HOSTS), dtype=pl.String)
    text = (
        pl.concat([lines, extra])
        .str.strip_chars()
        .str.extract(r"^(\S+)")
        .str.to_lowercase()
        .alias("line")
    )
    frame = pl.DataFrame({"line": text}).filter(
        pl.col("line").is_not_null() & ~pl.col("line").str.starts_with("//")
    )
    return (
        frame.with_columns(
            pl.col("line").str.starts_with("*.").alias(RULE_WILDCARD),
            pl.col("line").str.starts_with("!").alias(RULE_EXCEPTION),
            pl.col("line").str.replace(r"^(\*\.|!)", "").alias(RULE),
        )
        .with_columns((~pl.col(RULE_WILDCARD) & ~pl.col(RULE_EXCEPTION)).alias(RULE_EXACT))
        .group_by(RULE)
        .agg(pl.col(RULE_EXACT).any(), pl.col(RULE_WILDCARD).any(), pl.col(RULE_EXCEPTION).any())
        .sort(RULE)
    )


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


def split_url(lf: pl.LazyFrame, url_col: str, parts: UrlParts) -> pl.LazyFrame:
    """Add scheme, host (lower-case; no userinfo, port or trailing dot), path, query and IP flag.

    Built in steps of plain columns so each regex runs once per row (expressions reused inside
    one ``with_columns`` are not always shared by the streaming engine).
    """
    groups = f"{parts.prefix}_groups"
    authority = f"{parts.prefix}_authority"
    lf = lf.with_columns(pl.col(url_col).str.extract_groups(_URL_RE).alias(groups))
    lf = lf.with_columns(
        pl.col(groups).struct.field("1").str.to_lowercase().alias(parts.scheme),
        pl.col(groups).struct.field("2").alias(authority),
        pl.col(groups).struct.field("3").alias(parts.path),
        pl.col(groups).struct.field("4").alias(parts.query),
    ).drop(groups)
    auth = pl.col(authority)
    auth = (
        pl.when(auth.str.contains("@", literal=True))
        .then(auth.str.replace(r"^.*@", ""))
        .otherwise(auth)
    )
    lf = lf.with_columns(auth.alias(authority))
    auth = pl.col(authority)
    bracketed = auth.str.starts_with("[")
    host = (
        pl.when(bracketed)
        .then(auth.str.extract(r"^\[([^\]]*)\]"))
        .otherwise(auth.str.replace(r":\d*$", ""))
        .str.to_lowercase()
        .str.strip_chars(".")
    )
    lf = lf.with_columns(host.alias(parts.host), bracketed.alias(f"{parts.prefix}_bracketed"))
    # Only well-formed hosts count: dot-separated labels of letters/digits/_/-, or an IPv6
    # literal in brackets. "not a url", "::::" and other junk give a null host.
    host = pl.col(parts.host)
    valid = pl.when(pl.col(f"{parts.prefix}_bracketed")).then(
        host.str.contains(r"^[0-9a-f:.]*:[0-9a-f:.]*$")
    ).otherwise(host.str.contains(_HOST_NAME_RE)) & ~pl.col(url_col).str.strip_chars().str.contains(
        r"\s"
    )
    lf = lf.with_columns(pl.when(valid).then(host).alias(parts.host)).drop(
        authority, f"{parts.prefix}_bracketed"
    )
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
        pl.coalesce(pl.col(found).struct.field("domain"), host).alias(parts.site),
    ).drop(found)


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
    )
