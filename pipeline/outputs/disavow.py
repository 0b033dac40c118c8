"""Google disavow files: build from the rollup, merge with the previous upload, refuse bad files.

Google's rules (Search Console help): one entry per line, either a full URL or
``domain:example.com`` (which covers every subdomain and protocol); ``#`` starts a comment; no
subpaths (``domain:example.com/en/``) and no wildcards (``*.example.com``); UTF-8 or ASCII text
named ``*.txt``; at most 100,000 lines (blank and comment lines count), at most 2 MB and URLs of
at most 2,048 characters. A new upload *replaces* the old file, hence the merge.

Decisions where Google is silent:

* "2 MB" is read as the stricter 2,000,000 bytes (not 2 MiB).
* Domains are written in punycode (``xn--``), which every tool reads. Each label is NFKC-normalised,
  lower-cased and punycoded as IDNA 2008 does; the stdlib ``idna`` codec is not used because it
  follows IDNA 2003, which maps ``ß`` to ``ss`` and would name another domain (``faß.de`` is
  ``xn--fa-hia.de``, not ``fass.de``).
* A protected domain (own site, whitelist) is never covered by a ``domain:`` line, in both
  directions: ``domain:example.com`` is withheld when ``blog.example.com`` is whitelisted, because
  it would disavow that blog too.
* Comments of the previous file are not carried over (they no longer sit next to the entries
  they described once the file is sorted); the header says how many were dropped.
* Domain lines come first, sorted, then URL lines, sorted; no blank lines.

What is disavowed (the rule of :func:`pipeline.outputs.rollup.disavow_actions`, also in the
README):

* A ``domain:`` line for each toxic referring site (at least half of its links toxic, and more
  toxic than whitelisted links) that a domain line can name alone.
* **Platforms are never disavowed whole.** A user site on a hosting platform is its own site
  (``spam.weebly.com`` gets ``domain:spam.weebly.com``, which covers only it). Google's file has
  no path-prefix entry (``domain:sites.google.com/view/x`` is invalid), so a toxic site on a
  path-based platform (``sites.google.com/view/x``, ``medium.com/@user``) and a toxic platform
  host itself (``weebly.com``) are disavowed by listing their URLs, every one the export holds.
  The header says which platforms have sites listed, and how many.
* A site that is not toxic as a whole but has toxic links (a hacked page on an otherwise
  legitimate ``.edu``) gets URL lines for those links only.
* Never the site's own domains, a whitelisted domain (nor their subdomains), nor a parent domain
  whose line would cover them: such a toxic parent is *spared* and only its toxic URLs outside
  the protected hosts are listed. URLs over 2,048 characters are left out (counted in the
  header).
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import polars as pl

from pipeline.errors import LinktoxError, atomic_path
from pipeline.outputs.columns import (
    BY_DOMAIN,
    DISAVOW,
    DOMAIN_LABEL,
    OWN,
    PLATFORM,
    PROTECTED,
    REF_DOMAIN,
    SOURCE_URL,
    SPARED,
    TOXIC,
    WHITELISTED,
)

log = logging.getLogger(__name__)

MAX_LINES = 100_000
MAX_BYTES = 2_000_000  # Google says "2 MB"; the stricter decimal reading
MAX_URL_CHARS = 2_048
DISAVOW_EXTENSION = ".txt"
DOMAIN_PREFIX = "domain:"

# A host name in ASCII (after punycode): dot-separated labels of letters, digits, '-' and '_'
# (underscores occur in real host names, and browsers open labels that start or end with '-',
# such as zh-.example.com), no empty label, at least two labels.
_LABEL = r"[a-z0-9_-]{1,63}"
HOST_PATTERN = rf"^(?:{_LABEL}\.)+{_LABEL}$"
_HOST_RE = re.compile(HOST_PATTERN)
_MAX_HOST_CHARS = 253
_ASCII = r"^[\x00-\x7f]*$"
# Dots other than '.' that browsers accept between labels (UTS 46).
_DOTS = str.maketrans({"\u3002": ".", "\uff0e": ".", "\uff61": "."})

_URL_START = r"(?i)^https?://"
_URL_HOST = r"(?i)^https?://(?:[^/?#@]*@)?([^/?#:]*)"  # host, without user info and port

# Line kinds of a disavow file.
_BLANK, _COMMENT, _DOMAIN, _URL, _INVALID = "blank", "comment", "domain", "url", "invalid"
_LINE, _KIND, _VALUE, _HOST = "__line", "__kind", "__value", "__host"


@dataclass(frozen=True)
class DisavowEntries:
    """The entries of a parsed disavow file: punycode domains, URLs as written, comment count."""

    domains: tuple[str, ...]
    urls: tuple[str, ...]
    comments: int


# --- host names -----------------------------------------------------------------------------


def _punycode_host(host: str) -> str | None:
    """A non-ASCII host in punycode, or None when it is not a valid host name."""
    labels = []
    for label in unicodedata.normalize("NFKC", host.translate(_DOTS)).lower().split("."):
        if label.isascii():
            labels.append(label)
        else:
            try:
                labels.append("xn--" + label.encode("punycode").decode("ascii"))
            except UnicodeError:
                return None
    ascii_host = ".".join(labels)
    return ascii_host if _is_host(ascii_host) else None


def _is_host(host: str) -> bool:
    return len(host) <= _MAX_HOST_CHARS and _HOST_RE.fullmatch(host) is not None


def normalise_hosts(hosts: pl.Series) -> pl.Series:
    """Lower-case punycode host names; null where a value is not a valid host name.

    Vectorised for ASCII names; only the unique non-ASCII names go through Python.
    """
    clean = (
        pl.DataFrame({_VALUE: hosts.cast(pl.String)})
        .select(pl.col(_VALUE).str.strip_chars().str.strip_chars_end(".").str.to_lowercase())
        .get_column(_VALUE)
    )
    is_ascii = clean.str.contains(_ASCII)
    foreign = clean.filter(~is_ascii).drop_nulls().unique().to_list()
    mapping = {host: _punycode_host(host) for host in foreign}
    converted = clean.replace(mapping) if mapping else clean
    lengths_ok = converted.str.len_chars() <= _MAX_HOST_CHARS
    valid = converted.str.contains(HOST_PATTERN) & lengths_ok
    return (
        pl.DataFrame({_VALUE: converted, "ok": valid})
        .select(pl.when(pl.col("ok")).then(pl.col(_VALUE)).alias(_VALUE))
        .get_column(_VALUE)
        .rename(hosts.name)
    )


def normalise_host(host: str) -> str | None:
    """One host name in lower-case punycode, or None when it is not a valid host name."""
    return normalise_hosts(pl.Series([host])).item()


def _suffixes(host: str) -> list[str]:
    """``a.b.c`` -> ``[a.b.c, b.c, c]``: the host and every parent domain."""
    labels = host.split(".")
    return [".".join(labels[i:]) for i in range(len(labels))]


def _within(host: str, domains: set[str]) -> bool:
    """True when ``host`` is one of ``domains`` or a subdomain of one."""
    return any(suffix in domains for suffix in _suffixes(host))


# --- own domains and whitelist --------------------------------------------------------------


def normalise_entries(entries: Iterable[str], what: str, *, strict: bool = True) -> set[str]:
    """Domains from ``example.com``, ``domain:example.com`` or URL notation; ``#`` lines skipped.

    ``www.`` and ``*.`` prefixes are dropped: both mean the site. Being generous is safe here,
    the set only ever protects domains from being disavowed. With ``strict=False`` an entry that
    is not a host name is skipped (logged): it cannot match any disavowable domain anyway.

    Raises:
        LinktoxError: (strict) an entry is none of the three notations, naming ``what`` and its
            number.
    """
    hosts: set[str] = set()
    for number, raw in enumerate(entries, start=1):
        entry = raw.strip()
        if not entry or entry.startswith("#"):
            continue
        value = re.sub(r"(?i)^domain:", "", entry).strip()
        url_host = re.match(_URL_HOST, value)
        if url_host:
            value = url_host.group(1)
        value = re.split(r"[/?#]", value, maxsplit=1)[0]
        value = re.sub(r"^(?:\*\.|www\.)", "", value.lower())
        host = normalise_host(value)
        if host is None and not strict:
            log.warning("%s %r is not a host name; ignored", what, entry)
            continue
        if host is None:
            raise LinktoxError(
                f"{what} entry {number} {entry[:80]!r}: expected a domain (example.com), "
                "domain:example.com or a URL"
            )
        hosts.add(host)
    return hosts


def protection(host: str | None, own: set[str], allowed: set[str], parents: set[str]) -> str:
    """How a site's host is protected: ``own``, ``whitelisted``, ``spared`` (a domain line for
    it would cover a protected host) or ``""``. ``parents`` is :func:`parents_of` of both sets."""
    if host is None:
        return ""
    if _within(host, own):
        return OWN
    if _within(host, allowed):
        return WHITELISTED
    if host in parents:
        return SPARED
    return ""


def parents_of(domains: set[str]) -> set[str]:
    """Every domain and its parents: a ``domain:`` line on any of them covers one of them."""
    return _parents(domains)


def _protected(host: str, protected: set[str], parents: set[str]) -> bool:
    """A ``domain:`` line for ``host`` would touch a protected domain (either direction)."""
    return host in parents or _within(host, protected)


def _parents(domains: set[str]) -> set[str]:
    """Every protected domain and its parents: a ``domain:`` line on any of them covers it."""
    return {suffix for domain in domains for suffix in _suffixes(domain)}


# --- reading a disavow file -----------------------------------------------------------------


def _classify(text: str) -> pl.DataFrame:
    """One row per line: number, stripped text, kind, value (domain or URL), punycode host."""
    text = text.removeprefix("\ufeff")
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if lines and lines[-1] == "":
        lines.pop()  # the final newline ends the last line, it does not start a new one
    frame = pl.DataFrame({_LINE: lines}, schema={_LINE: pl.String}).with_row_index(
        "number", offset=1
    )
    line = pl.col(_LINE).str.strip_chars()
    frame = frame.with_columns(line.alias(_LINE)).with_columns(
        pl.when(pl.col(_LINE) == "")
        .then(pl.lit(_BLANK))
        .when(pl.col(_LINE).str.starts_with("#"))
        .then(pl.lit(_COMMENT))
        .when(pl.col(_LINE).str.contains(r"(?i)^domain:"))
        .then(pl.lit(_DOMAIN))
        .when(pl.col(_LINE).str.contains(_URL_START) & ~pl.col(_LINE).str.contains(r"\s"))
        .then(pl.lit(_URL))
        .otherwise(pl.lit(_INVALID))
        .alias(_KIND)
    )
    frame = frame.with_columns(
        pl.when(pl.col(_KIND) == _DOMAIN)
        .then(pl.col(_LINE).str.replace(r"(?i)^domain:", "").str.strip_chars())
        .when(pl.col(_KIND) == _URL)
        .then(pl.col(_LINE))
        .alias(_VALUE),
    )
    raw_host = (
        pl.when(pl.col(_KIND) == _DOMAIN)
        .then(pl.col(_VALUE))
        .when(pl.col(_KIND) == _URL)
        .then(pl.col(_VALUE).str.extract(_URL_HOST, 1))
    )
    hosts = frame.select(raw_host.alias(_HOST)).get_column(_HOST)
    return frame.with_columns(normalise_hosts(hosts).alias(_HOST))


def _line_problem(kind: str, value: str | None, host: str | None) -> str | None:
    """Why a classified line is not acceptable to Google, or None."""
    if kind == _INVALID:
        return "not a domain: entry, a full http(s) URL or a # comment"
    if kind == _DOMAIN:
        assert value is not None
        if "*" in value:
            return "wildcards are invalid; write domain:example.com to cover all subdomains"
        if "/" in value:
            return "a domain: entry cannot have a path (domain:example.com/en/ is invalid)"
        if host is None:
            return "not a valid domain name"
    if kind == _URL:
        assert value is not None
        if len(value) > MAX_URL_CHARS:
            return f"URL of {len(value):,} characters; Google accepts at most {MAX_URL_CHARS:,}"
        if host is None:
            return "URL without a valid host name"
    return None


def _check_lines(frame: pl.DataFrame, name: str) -> None:
    """Raise on the first line Google would reject, naming the file and line number."""
    suspect = frame.filter(
        (pl.col(_KIND) == _INVALID)
        | (pl.col(_KIND).is_in((_DOMAIN, _URL)) & pl.col(_HOST).is_null())
        | ((pl.col(_KIND) == _URL) & (pl.col(_VALUE).str.len_chars() > MAX_URL_CHARS))
    )
    for number, line, kind, value, host in suspect.select(
        "number", _LINE, _KIND, _VALUE, _HOST
    ).iter_rows():
        problem = _line_problem(kind, value, host)
        if problem is not None:
            shown = line if len(line) <= 80 else line[:77] + "..."
            raise LinktoxError(f"{name}: line {number}: {shown!r}: {problem}")


def parse_disavow(text: str, name: str = "previous disavow file") -> DisavowEntries:
    """The entries of an existing disavow file, validated against Google's rules.

    Raises:
        LinktoxError: a line is neither ``domain:host``, a full http(s) URL of at most 2,048
            characters, a comment nor blank; the message names ``name`` and the line number.
    """
    frame = _classify(text)
    _check_lines(frame, name)
    domains = frame.filter(pl.col(_KIND) == _DOMAIN).get_column(_HOST).unique(maintain_order=True)
    urls = frame.filter(pl.col(_KIND) == _URL).get_column(_VALUE).unique(maintain_order=True)
    comments = frame.filter(pl.col(_KIND) == _COMMENT).height
    return DisavowEntries(tuple(domains.to_list()), tuple(urls.to_list()), comments)


def check_disavow(text: str, name: str = "disavow file") -> None:
    """Refuse a disavow text Google would reject: size, line count, line syntax, line endings.

    Raises:
        LinktoxError: with the numbers (lines, bytes, URL length) and Google's limit.
    """
    size = len(text.encode("utf-8"))
    if size > MAX_BYTES:
        raise LinktoxError(
            f"{name}: {size:,} bytes; Google accepts at most {MAX_BYTES:,} bytes (2 MB). "
            "Disavow fewer entries (whitelist more domains or review before disavowing)"
        )
    lines = text.count("\n") + (0 if text.endswith("\n") else 1)
    if lines > MAX_LINES:
        raise LinktoxError(
            f"{name}: {lines:,} lines; Google accepts at most {MAX_LINES:,} lines "
            "(comment lines count). Disavow fewer entries (whitelist more domains or review "
            "before disavowing)"
        )
    if text and not text.endswith("\n"):
        raise LinktoxError(f"{name}: must end with a newline")
    if "\r" in text:
        raise LinktoxError(f"{name}: must use \\n line endings, not \\r\\n")
    _check_lines(_classify(text), name)


# --- building -------------------------------------------------------------------------------


def _plural(count: int, word: str, plural: str | None = None) -> str:
    return f"{count:,} {word if count == 1 else (plural or word + 's')}"


def _one_line(text: str) -> str:
    """Free text for a comment line: no line breaks that would start a non-comment line."""
    return " ".join(text.split())


def format_generated_at(generated_at: date | datetime) -> str:
    """``2026-11-24`` for a date, ``2026-11-24 10:31:05+00:00`` for a datetime."""
    if isinstance(generated_at, datetime):
        return generated_at.isoformat(sep=" ", timespec="seconds")
    return generated_at.isoformat()


def build_disavow(
    rollup: pl.DataFrame,
    *,
    own_domains: Sequence[str],
    whitelist: Sequence[str] = (),
    merge_with: str | None = None,
    merge_name: str | None = None,
    generated_at: date | datetime,
    tool_version: str,
    links: pl.DataFrame | None = None,
    listed_urls: pl.DataFrame | None = None,
    domain: str = REF_DOMAIN,
    domain_label: str = DOMAIN_LABEL,
) -> str:
    """The text of a Google disavow file: the rollup's decisions merged with a previous file.

    ``links`` (the per-link view: ``ref_domain``, ``label``, ``source_url``, optionally
    ``source_host``) supplies the URLs of sites disavowed by URL (module docstring); without it
    only ``domain:`` lines are written. ``listed_urls`` replaces ``links`` when those URLs were
    already chosen by :func:`pipeline.outputs.rollup.disavow_urls` from this rollup (with the
    same own domains and whitelist), on disjoint groups of referring domains (``source_url``,
    ``ref_domain``; ``linktox spark score`` gathers them so). ``own_domains`` and ``whitelist``
    (``example.com``, ``domain:example.com`` or URLs) are never disavowed, nor their
    subdomains, nor a parent domain whose line would cover them; previous entries that are now
    protected are dropped, as are URL lines whose domain is disavowed anyway. The header
    comments give the date, the tool, every count and the platforms whose sites are listed one
    by one.

    Raises:
        LinktoxError: the previous file has an invalid line, a whitelist or own-domain entry is
            not a domain, or the result breaks Google's limits (100,000 lines, 2,000,000 bytes,
            2,048-character URLs).
    """
    from pipeline.outputs.rollup import disavow_actions, disavow_urls

    # Own domains come from target URLs (e.g. ``localhost``): skip the odd one, do not fail.
    own = normalise_entries(own_domains, "own domain", strict=False)
    allowed = normalise_entries(whitelist, "whitelist")
    protected = own | allowed
    parents = _parents(protected)

    frame = rollup.rename({domain: REF_DOMAIN, domain_label: DOMAIN_LABEL})
    marked = disavow_actions(frame, own_domains=own_domains, whitelist=whitelist)
    toxic = marked.filter(pl.col(DOMAIN_LABEL) == TOXIC)
    chosen = marked.filter(pl.col(DISAVOW) == BY_DOMAIN).get_column(REF_DOMAIN).cast(pl.String)
    hosts = normalise_hosts(chosen)
    invalid = int(hosts.is_null().sum()) - int(chosen.is_null().sum())
    if invalid:
        log.warning("%d toxic domains are not valid host names and are not disavowed", invalid)
    new_domains = set(hosts.drop_nulls().to_list())
    spared = toxic.filter(pl.col(PROTECTED) != "").height

    previous = DisavowEntries((), (), 0)
    if merge_with is not None:
        previous = parse_disavow(merge_with, merge_name or "previous disavow file")
    kept_domains = {host for host in previous.domains if not _protected(host, protected, parents)}
    domains = new_domains | kept_domains

    if links is not None and listed_urls is not None:
        raise ValueError("build_disavow takes the links or the URLs chosen from them, not both")
    if listed_urls is not None:
        listed = listed_urls
    elif links is not None:
        listed = disavow_urls(marked, links)
    else:
        listed = pl.DataFrame(schema={SOURCE_URL: pl.String, REF_DOMAIN: pl.String})
    new_urls = listed.get_column(SOURCE_URL).str.strip_chars()
    too_long = new_urls.filter(new_urls.str.len_chars() > MAX_URL_CHARS).len()
    new_urls = new_urls.filter(
        (new_urls.str.len_chars() <= MAX_URL_CHARS) & new_urls.str.contains(_URL_START)
    )
    new_hosts = dict(zip(new_urls.to_list(), _url_hosts(new_urls.to_list()), strict=True))
    fresh_urls = {
        url
        for url, host in new_hosts.items()
        if host is not None and not _within(host, protected) and not _within(host, domains)
    }
    url_hosts = dict(zip(previous.urls, _url_hosts(previous.urls), strict=True))
    urls_protected = {url for url, host in url_hosts.items() if _within(host, protected)}
    urls_covered = {
        url
        for url, host in url_hosts.items()
        if url not in urls_protected and _within(host, domains)
    }
    kept_urls = set(previous.urls) - urls_protected - urls_covered
    urls = kept_urls | fresh_urls
    dropped_protected = len(previous.domains) - len(kept_domains) + len(urls_protected)

    header = [
        f"# linktox disavow file, generated {format_generated_at(generated_at)}",
        f"# {_one_line(tool_version)}",
        f"# {_plural(len(domains), 'domain')} disavowed "
        f"({len(domains - kept_domains):,} new, {len(kept_domains):,} kept from previous file)",
        f"# {_plural(len(urls), 'URL')} disavowed ({len(urls - kept_urls):,} new, "
        f"{len(kept_urls):,} kept from previous file): pages of sites a domain: line cannot "
        "name (path-based platform sites, platform hosts) and toxic pages on otherwise "
        "legitimate sites",
    ]
    header.extend(_platform_lines(marked))
    if merge_with is not None:
        header.append(
            f"# previous file: {_plural(dropped_protected, 'entry', 'entries')} dropped "
            f"(now whitelisted or own domains), {_plural(len(urls_covered), 'URL')} dropped "
            f"(domain disavowed), {_plural(previous.comments, 'comment line')} not carried over"
        )
    header.append(
        f"# never disavowed: {_plural(len(own), 'own domain')} and "
        f"{_plural(len(allowed), 'whitelisted domain')} with their subdomains, and no hosting "
        f"platform whole; {_plural(spared, 'toxic domain')} spared"
    )
    if invalid:
        header.append(f"# {_plural(invalid, 'toxic domain')} skipped: not a valid host name")
    if too_long:
        header.append(
            f"# {_plural(too_long, 'toxic URL')} left out: longer than {MAX_URL_CHARS:,} "
            "characters, which Google refuses"
        )
    body = [DOMAIN_PREFIX + host for host in sorted(domains)] + sorted(urls)
    text = "\n".join(header + body) + "\n"
    check_disavow(text)
    return text


def _platform_lines(marked: pl.DataFrame) -> list[str]:
    """Header lines naming the platforms whose sites are listed one by one."""
    on_platforms = (
        marked.filter((pl.col(PLATFORM) != "") & (pl.col(DISAVOW) != ""))
        .group_by(PLATFORM)
        .agg(
            (pl.col(DISAVOW) == BY_DOMAIN).sum().alias("domains"),
            (pl.col(DISAVOW) != BY_DOMAIN).sum().alias("by_url"),
        )
        .sort([PLATFORM])
    )
    if on_platforms.is_empty():
        return []
    parts = []
    for platform, by_domain, by_url in on_platforms.iter_rows():
        counts = []
        if by_domain:
            counts.append(f"{by_domain:,} as domain: lines")
        if by_url:
            counts.append(f"{by_url:,} by URL")
        parts.append(f"{platform} ({', '.join(counts)})")
    return [
        "# platforms never disavowed whole; their sites are listed one by one: " + "; ".join(parts)
    ]


def _url_hosts(urls: Sequence[str]) -> list[str]:
    """Punycode hosts of URLs already validated by :func:`parse_disavow`."""
    raw = pl.Series(list(urls), dtype=pl.String).str.extract(_URL_HOST, 1)
    return normalise_hosts(raw).to_list()


def write_disavow(text: str, path: Path) -> None:
    """Write a disavow file atomically, UTF-8 with ``\\n`` endings, after checking Google's rules.

    Raises:
        LinktoxError: ``path`` does not end in ``.txt`` or ``text`` breaks Google's rules.
    """
    path = Path(path)
    if path.suffix.lower() != DISAVOW_EXTENSION:
        raise LinktoxError(f"{path}: Google only accepts a disavow file named *.txt")
    check_disavow(text, str(path))
    with atomic_path(path) as tmp:
        tmp.write_bytes(text.encode("utf-8"))  # bytes: no platform newline translation
