"""Referring-site rollup: one row per referring site, the unit of a disavow decision.

A referring site is the referring domain of :mod:`features.urls` (registrable domain under the
Public Suffix List with its private section, one label below a listed platform, host plus path
prefix on a path-based platform), with one structural guard on top:

* **Unknown platforms.** A registrable domain whose links come from at least
  ``PLATFORM_MIN_SUBDOMAINS`` different subdomains that are not service or language labels
  (``www``, ``m``, ``blog``, ``shop``, ``de``, ``pt-br`` ... see ``SERVICE_LABELS``) is treated
  as a hosting platform even when no list knows it: each of its subdomains is then a site of
  its own, and the domain itself (its apex and ``www``) is never disavowed whole. A spam
  network on language subdomains of one domain (``de.``, ``pt.``, ``uz.``) stays one site.

Domain label rule (documented for users in the report and the README):

* ``toxic`` — at least half (``DOMAIN_TOXIC_SHARE``) of the site's links are labelled toxic, and
  more of them are toxic than whitelisted. A spam domain links with every page it has; a real
  site with one bad page does not deserve a ``domain:`` line that would also discard its good
  links (a ``.edu`` with one hacked page and one normal link is ``review``, and its hacked page
  is disavowed by URL).
* ``review`` — otherwise, if any of its links is toxic or review (its worst link is not clean):
  a human decides.
* ``whitelist`` — every link is whitelisted.

What the disavow file does with each site (``disavow``; the same rule :func:`disavow_actions`
gives :mod:`pipeline.outputs.disavow`):

* ``domain`` — a toxic site that can be named by a ``domain:`` line.
* ``urls`` — its URLs are listed instead: every known URL of a toxic site that a ``domain:`` line
  cannot name without naming a platform (a path-based site such as ``sites.google.com/view/x``,
  a platform's or public suffix's own host such as ``weebly.com``), or the toxic links of a site
  that is not toxic as a whole (a hacked page on an otherwise legitimate domain), or of a toxic
  site whose ``domain:`` line would cover a protected one (``spared``).
* ``""`` — nothing: no toxic link, or the site is protected (``own``, ``whitelisted``).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path

import polars as pl

from features.urls import site_platforms
from pipeline.errors import LinktoxError
from pipeline.outputs.columns import (
    BY_DOMAIN,
    BY_URLS,
    DISAVOW,
    DISAVOW_URLS,
    DOMAIN_LABEL,
    LABEL,
    LABEL_COUNT_COLUMNS,
    LABELS,
    LINKS,
    MEAN_SCORE,
    OWN,
    PLATFORM,
    PROTECTED,
    REASON_SEPARATOR,
    REASONS,
    REF_DOMAIN,
    REVIEW,
    REVIEW_LINKS,
    ROLLUP_COLUMNS,
    SOURCE_HOST,
    SOURCE_URL,
    SPARED,
    TOP_REASONS,
    TOXIC,
    TOXIC_LINKS,
    TOXIC_SHARE,
    TOXICITY_SCORE,
    WHITELIST,
    WHITELIST_LINKS,
    WHITELISTED,
    WORST_SCORE,
)
from pipeline.outputs.table import write_scored

log = logging.getLogger(__name__)

DOMAIN_TOXIC_SHARE = 0.5  # a domain is toxic when at least this share of its links is toxic
TOP_REASONS_PER_DOMAIN = 3
# A registrable domain whose links come from at least this many unrelated subdomains is a
# platform (its subdomains are separate sites), listed or not.
PLATFORM_MIN_SUBDOMAINS = 5
# Subdomain labels that name a part of one site, not a user's site: never counted as unrelated.
SERVICE_LABELS: frozenset[str] = frozenset(
    {
        "www", "www1", "www2", "www3", "m", "mobile", "amp", "wap", "web", "blog", "blogs",
        "shop", "store", "news", "mail", "webmail", "app", "apps", "api", "cdn", "static",
        "img", "images", "media", "assets", "files", "docs", "doc", "help", "support", "forum",
        "forums", "community", "wiki", "dev", "staging", "beta", "test", "demo", "old", "new",
        "secure", "login", "account", "my", "portal", "go", "info", "about", "careers", "jobs",
        "events", "press", "investors", "status", "search", "maps", "video", "videos", "music",
        "photos", "edu", "learn", "school", "library", "lib", "mx", "ns1", "ns2", "ftp",
    }
)  # fmt: skip
# Labels naming a language or region version of one site (de, pt-br, en_gb, zh-hans).
_LANGUAGE_LABEL = r"^[a-z]{2}(?:[-_](?:[a-z]{2}|hans|hant|latn|cyrl))?$"

_UNITS_PER_TENTH = 1_000  # the mean score sums scores in ten-thousandths (_score_units)
_REASON = "__reason"
_COUNT = "__count"
_FIRST = "__first"  # a pair's first link (row), so that a site's platform is its first link's
_UNITS = "__units"
_SCORED = "__scored"
SITE = "__site"  # a link's referring site, beside its (domain, host) pair


def check_labels(scored: pl.DataFrame, label: str = LABEL) -> None:
    """Refuse a frame whose label column holds anything but the three linktox labels."""
    if label not in scored.columns:
        raise LinktoxError(f"scored table has no {label!r} column")
    unknown = (
        scored.select(pl.col(label).cast(pl.String).unique())
        .filter(pl.col(label).is_null() | ~pl.col(label).is_in(LABELS))
        .get_column(label)
        .to_list()
    )
    if unknown:
        raise LinktoxError(
            f"scored table: column {label!r} holds {unknown!r}; expected one of {', '.join(LABELS)}"
        )


def normalised_domain(column: str) -> pl.Expr:
    """Lower-case, trimmed domain without a trailing dot (``Spam.XYZ.`` and ``spam.xyz`` meet)."""
    text = pl.col(column).cast(pl.String)
    return text.str.strip_chars().str.to_lowercase().str.strip_chars_end(".")


def split_reasons(reasons: str = REASONS) -> pl.Expr:
    """The individual reasons of a ``"; "``-joined reasons column, as a list per row."""
    return pl.col(reasons).cast(pl.String).fill_null("").str.split(REASON_SEPARATOR)


def referring_sites(
    links: pl.DataFrame, *, domain: str = REF_DOMAIN, host: str = SOURCE_HOST, quiet: bool = False
) -> pl.DataFrame:
    """``links`` with ``domain`` as the referring *site* and a ``platform`` column.

    Applies the structural guard of the module docstring: on a registrable domain with links
    from at least PLATFORM_MIN_SUBDOMAINS unrelated subdomains, each subdomain (the label right
    below the domain) becomes its own site and the domain its platform. Without a ``host``
    column only listed platforms are known. Shared by the rollup, the disavow file and the
    report's links, so that all key the same sites; ``quiet`` skips the log line (said once).
    """
    sites = links.with_columns(normalised_domain(domain).alias(domain))
    unique = sites.select(pl.col(domain).unique()).get_column(domain)
    platforms = pl.DataFrame({domain: unique, PLATFORM: site_platforms(unique)})
    sites = sites.join(platforms, on=domain, how="left", nulls_equal=True, maintain_order="left")
    if host not in sites.columns:
        return sites
    text = pl.col(host).cast(pl.String).str.to_lowercase().str.strip_chars_end(".")
    below = (
        pl.when(text.str.ends_with(pl.concat_str([pl.lit("."), pl.col(domain)])))
        .then(text.str.slice(0, text.str.len_chars() - pl.col(domain).str.len_chars() - 1))
        .str.extract(r"([^.]+)$")
    )
    sites = sites.with_columns(below.alias("__below"))
    unrelated = (
        pl.col("__below").is_not_null()
        & ~pl.col("__below").is_in(sorted(SERVICE_LABELS))
        & ~pl.col("__below").str.contains(_LANGUAGE_LABEL)
    )
    candidates = pl.col(PLATFORM).is_null() & ~pl.col(domain).str.contains("/", literal=True)
    structural = (
        sites.filter(candidates & unrelated)
        .group_by(domain)
        .agg(pl.col("__below").n_unique().alias("__subdomains"))
        .filter(pl.col("__subdomains") >= PLATFORM_MIN_SUBDOMAINS)
    )
    if structural.height and not quiet:
        shown = ", ".join(
            f"{name} ({count})"
            for name, count in structural.sort(["__subdomains", domain], descending=[True, False])
            .head(5)
            .iter_rows()
        )
        log.info(
            "%d domains treated as hosting platforms: links from at least %d unrelated "
            "subdomains each (%s); their subdomains are separate sites",
            structural.height, PLATFORM_MIN_SUBDOMAINS, shown,
        )  # fmt: skip
    is_platform = pl.col(domain).is_in(structural.get_column(domain).implode())
    own_site = pl.col("__below").is_not_null() & (pl.col("__below") != "www")
    return sites.with_columns(
        pl.when(is_platform & own_site)
        .then(pl.concat_str([pl.col("__below"), pl.lit("."), pl.col(domain)]))
        .otherwise(pl.col(domain))
        .alias(domain),
        pl.when(is_platform).then(pl.col(domain)).otherwise(pl.col(PLATFORM)).alias(PLATFORM),
    ).drop("__below")


def shared_sites(profiles: Sequence[pl.DataFrame]) -> list[pl.DataFrame]:
    """Profiles compared with each other, their ``ref_domain`` made the rollup's referring site.

    The platform guard of :func:`referring_sites` is decided on the links of every profile
    together, so that a domain is the same site (or the same subdomain sites) on every side: a
    domain whose unrelated subdomains reach ``PLATFORM_MIN_SUBDOMAINS`` between two audits is not
    one lost site and five new ones. ``source_host`` is dropped, its work done, so a later rollup
    of a returned frame keys the same sites. Without ``source_host`` (in any profile) only the
    listed platforms are known.
    """
    columns = [REF_DOMAIN]
    if all(SOURCE_HOST in frame.columns for frame in profiles):
        columns.append(SOURCE_HOST)
    together = pl.concat(
        [frame.select(pl.col(c).cast(pl.String) for c in columns) for frame in profiles]
    )
    sites = referring_sites(together).get_column(REF_DOMAIN)  # row order is kept
    out, start = [], 0
    for frame in profiles:
        out.append(
            frame.with_columns(sites.slice(start, frame.height).alias(REF_DOMAIN)).drop(
                SOURCE_HOST, strict=False
            )
        )
        start += frame.height
    return out


def domain_rollup(
    scored: pl.DataFrame,
    *,
    domain: str = REF_DOMAIN,
    score: str = TOXICITY_SCORE,
    label: str = LABEL,
    reasons: str = REASONS,
    toxic_share: float = DOMAIN_TOXIC_SHARE,
    own_domains: Sequence[str] = (),
    whitelist: Sequence[str] = (),
) -> pl.DataFrame:
    """One row per referring site (columns ``ROLLUP_COLUMNS``), worst score first.

    Links without a referring domain (unparseable URLs) cannot be disavowed by domain and are
    left out (logged). ``top_reasons`` holds the most frequent individual reasons among the
    site's toxic and review links, at most three, ties broken alphabetically. ``own_domains``
    and ``whitelist`` mark protected sites (and decide ``disavow``) as the disavow file does.
    """
    check_labels(scored, label)
    keys = [REF_DOMAIN, *([SOURCE_HOST] if SOURCE_HOST in scored.columns else [])]
    # The links keep their (categorical) columns: everything per link is summed per distinct
    # (domain, host) pair first, and only the pairs are made sites, so that ten million links
    # never become ten million strings. Exact: a link's site depends on its pair alone, and the
    # sums are of integers (see _mean_of_units).
    links = scored.select(
        pl.col(domain).alias(REF_DOMAIN),
        *keys[1:],
        pl.col(score).cast(pl.Float64).alias(TOXICITY_SCORE),
        pl.col(label).alias(LABEL),
        pl.col(reasons).alias(REASONS),
    )
    pairs = (
        links.lazy()
        .with_row_index(_FIRST)
        .group_by(keys)
        .agg(
            pl.col(_FIRST).min(),
            pl.len().cast(pl.Int64).alias(LINKS),
            pl.col(TOXICITY_SCORE).max().alias(WORST_SCORE),
            _score_units(pl.col(TOXICITY_SCORE)).sum().alias(_UNITS),
            pl.col(TOXICITY_SCORE).count().cast(pl.Int64).alias(_SCORED),
            *[
                (pl.col(LABEL) == value).sum().cast(pl.Int64).alias(column)
                for value, column in LABEL_COUNT_COLUMNS.items()
            ],
        )
        .sort(_FIRST)
        .collect(engine="streaming")
    )
    sites = _pair_sites(pairs, keys)
    usable = pl.col(SITE).is_not_null() & (pl.col(SITE) != "")
    missing = sites.filter(~usable).get_column(LINKS).sum()
    if missing:
        log.warning("%d links have no referring domain and are left out of the rollup", missing)
    sites = sites.filter(usable)

    per_domain = (
        sites.group_by(SITE)
        .agg(
            pl.col(PLATFORM).first().fill_null(""),  # of the site's first link (pairs sorted)
            pl.col(LINKS).sum(),
            pl.col(WORST_SCORE).max(),
            _mean_of_units(pl.col(_UNITS).sum(), pl.col(_SCORED).sum()).alias(MEAN_SCORE),
            *[pl.col(column).sum() for column in LABEL_COUNT_COLUMNS.values()],
        )
        .rename({SITE: REF_DOMAIN})
    )
    toxic_links = pl.col(TOXIC_LINKS)
    is_toxic = (
        (toxic_links > 0)
        & (toxic_links >= pl.col(LINKS) * toxic_share)
        & (toxic_links > pl.col(WHITELIST_LINKS))
    )
    flagged = (toxic_links + pl.col(REVIEW_LINKS)) > 0
    per_domain = per_domain.with_columns(
        (toxic_links / pl.col(LINKS)).round(4).alias(TOXIC_SHARE),
        pl.when(is_toxic)
        .then(pl.lit(TOXIC))
        .when(flagged)
        .then(pl.lit(REVIEW))
        .otherwise(pl.lit(WHITELIST))
        .alias(DOMAIN_LABEL),
    )
    per_domain = disavow_actions(per_domain, own_domains=own_domains, whitelist=whitelist)
    # Reasons are read from the flagged links only: each distinct reasons string of a pair is
    # counted, then given the pair's site.
    reasons_counted = (
        links.lazy()
        .filter(pl.col(LABEL).is_in((TOXIC, REVIEW)))
        .group_by(*keys, REASONS)
        .agg(pl.len().alias(_COUNT))
        .collect(engine="streaming")
        .join(sites.select(*keys, SITE), on=keys, how="inner", nulls_equal=True)
        .group_by(pl.col(SITE).alias(REF_DOMAIN), pl.col(REASONS).cast(pl.String))
        .agg(pl.col(_COUNT).sum())
    )
    return sort_rollup(
        per_domain.join(_top_reasons(reasons_counted), on=REF_DOMAIN, how="left")
        .with_columns(pl.col(TOP_REASONS).fill_null(""))
        .select(ROLLUP_COLUMNS)
    )


def link_sites(
    links: pl.DataFrame, *, domain: str = REF_DOMAIN, quiet: bool = False
) -> pl.DataFrame:
    """The distinct (``domain``, ``source_host``) pairs of ``links`` (``domain`` alone without
    a host column), each with its referring site (``SITE``) and ``platform`` as
    :func:`referring_sites` decides them on every link: a link's site depends on its pair
    alone, so a big profile is decided pair by pair."""
    keys = [domain, *([SOURCE_HOST] if SOURCE_HOST in links.columns else [])]
    pairs = links.lazy().select(keys).unique().collect(engine="streaming")
    return _pair_sites(pairs, keys, quiet=quiet)


def _pair_sites(pairs: pl.DataFrame, keys: list[str], *, quiet: bool = False) -> pl.DataFrame:
    """``pairs`` (distinct ``keys``: the domain, then the host if known; any other columns)
    with their referring site (``SITE``) and ``platform``, in the same order."""
    named = referring_sites(
        pairs.select(
            pl.col(keys[0]).cast(pl.String).alias(REF_DOMAIN),
            *(pl.col(key).cast(pl.String) for key in keys[1:]),
        ),
        quiet=quiet,
    )
    return pairs.with_columns(
        named.get_column(REF_DOMAIN).alias(SITE), named.get_column(PLATFORM).alias(PLATFORM)
    )


def _score_units(score: pl.Expr) -> pl.Expr:
    """A score in whole ten-thousandths (exact for linktox's scores, which have one decimal)."""
    return (score * (10 * _UNITS_PER_TENTH)).round().cast(pl.Int64)


def _mean_of_units(units: pl.Expr, count: pl.Expr) -> pl.Expr:
    """The mean score to one decimal, whatever the order of the links, from summed units
    (:func:`_score_units`) and a count: a sum of floats depends on the order (``linktox spark
    score`` sums a site's links in another order than ``linktox score``), a sum of integers
    does not; the mean in tenths is rounded half to even."""
    tenths = units / (count * _UNITS_PER_TENTH)
    return pl.when(count > 0).then((tenths.round() / 10).round(1))


def sort_rollup(rollup: pl.DataFrame) -> pl.DataFrame:
    """The rollup's order, worst score first: also that of rollups built in parts and joined
    (one part per group of referring domains, as Spark builds it)."""
    return rollup.sort(
        [WORST_SCORE, LINKS, REF_DOMAIN], descending=[True, True, False], nulls_last=True
    )


def by_url_site(site: pl.Expr, platform: pl.Expr) -> pl.Expr:
    """Sites a ``domain:`` line cannot name without naming a platform: path-based sites and
    hosts that are themselves a platform or public suffix."""
    return site.str.contains("/", literal=True) | (site == platform.fill_null(""))


def disavow_actions(
    rollup: pl.DataFrame,
    *,
    own_domains: Sequence[str] = (),
    whitelist: Sequence[str] = (),
    domain: str = REF_DOMAIN,
    domain_label: str = DOMAIN_LABEL,
) -> pl.DataFrame:
    """The rollup with ``protected``, ``disavow`` and ``disavow_urls`` (module docstring rule).

    Works on a bare rollup too (site and label only): the platform and the link counts are then
    derived or taken as unknown (a toxic site's URLs are counted as 0).
    """
    from pipeline.outputs.disavow import normalise_entries, normalise_hosts, parents_of, protection

    frame = rollup
    if PLATFORM not in frame.columns:
        frame = frame.with_columns(
            site_platforms(frame.get_column(domain).cast(pl.String)).fill_null("").alias(PLATFORM)
        )
    for name in (LINKS, TOXIC_LINKS):
        if name not in frame.columns:
            frame = frame.with_columns(pl.lit(None, pl.Int64).alias(name))
    own = normalise_entries(own_domains, "own domain", strict=False)
    allowed = normalise_entries(whitelist, "whitelist")
    hosts = normalise_hosts(frame.get_column(domain).cast(pl.String).str.extract(r"^([^/]+)"))
    parents = parents_of(own | allowed)
    # One Python call per site (not per link): the rollup has a row per referring site.
    marks = [protection(host, own, allowed, parents) for host in hosts.to_list()]
    toxic = pl.col(domain_label) == TOXIC
    by_urls = by_url_site(pl.col(domain).cast(pl.String), pl.col(PLATFORM))
    marked = frame.with_columns(pl.Series(PROTECTED, marks, pl.String), hosts.alias("__host"))
    kept = ~pl.col(PROTECTED).is_in([OWN, WHITELISTED])
    action = (
        pl.when(~kept | pl.col("__host").is_null())
        .then(pl.lit(""))
        .when(toxic & ~by_urls & (pl.col(PROTECTED) != SPARED))
        .then(pl.lit(BY_DOMAIN))
        .when(toxic | (pl.col(TOXIC_LINKS).fill_null(0) > 0))
        .then(pl.lit(BY_URLS))
        .otherwise(pl.lit(""))
    )
    marked = marked.with_columns(action.alias(DISAVOW))
    urls = (
        pl.when(pl.col(DISAVOW) != BY_URLS)
        .then(0)
        .when(toxic & by_urls)
        .then(pl.col(LINKS).fill_null(0))
        .otherwise(pl.col(TOXIC_LINKS).fill_null(0))
    )
    return marked.with_columns(
        pl.col(PROTECTED).fill_null(""), urls.cast(pl.Int64).alias(DISAVOW_URLS)
    ).drop("__host")


def disavow_urls(
    rollup: pl.DataFrame, links: pl.DataFrame, *, source_url: str = SOURCE_URL
) -> pl.DataFrame:
    """The URLs the disavow file lists (``source_url``, ``ref_domain``), per the rollup's
    ``disavow`` column: every known URL of a toxic site disavowed by its URLs, else the site's
    toxic links."""
    if source_url not in links.columns:
        return pl.DataFrame(schema={SOURCE_URL: pl.String, REF_DOMAIN: pl.String})
    keys = [REF_DOMAIN, *([SOURCE_HOST] if SOURCE_HOST in links.columns else [])]
    # Sites are decided on the distinct (domain, host) pairs of all links (a platform is known
    # by all its subdomains), then given to the few links that carry a URL.
    # quiet: the rollup, built from the same links, has said which domains are platforms.
    sites = link_sites(links, quiet=True).select(*keys, SITE)
    listed = rollup.filter(pl.col(DISAVOW) == BY_URLS).select(
        pl.col(REF_DOMAIN).alias(SITE), (pl.col(DOMAIN_LABEL) == TOXIC).alias("__site_toxic"),
        PLATFORM,
    )  # fmt: skip
    whole = pl.col("__site_toxic") & by_url_site(pl.col(SITE), pl.col(PLATFORM))
    chosen = (
        links.lazy()
        .with_row_index(_FIRST)
        .filter(pl.col(source_url).is_not_null())
        .select(_FIRST, *keys, LABEL, pl.col(source_url).cast(pl.String).alias(SOURCE_URL))
        .join(sites.lazy(), on=keys, how="inner", nulls_equal=True)
        .join(listed.lazy(), on=SITE, how="inner")
        .filter(whole | (pl.col(LABEL) == TOXIC))
        .select(_FIRST, SOURCE_URL, pl.col(SITE).alias(REF_DOMAIN))
        .collect(engine="streaming")
    )
    # In the links' order, as they came.
    return chosen.sort(_FIRST).drop(_FIRST).unique(maintain_order=True)


def _top_reasons(counted: pl.DataFrame) -> pl.DataFrame:
    """Per site, its most frequent reasons, ``"; "``-joined, from ``counted``: how many of the
    site's toxic and review links (``__count``) carry each reasons string. Each distinct string
    is split once and its reasons counted as often as it occurs: the same counts as splitting
    every link's, in far less memory."""
    return (
        counted.select(REF_DOMAIN, split_reasons().alias(_REASON), _COUNT)
        .explode(_REASON)
        .with_columns(pl.col(_REASON).str.strip_chars())
        .filter(pl.col(_REASON).is_not_null() & (pl.col(_REASON) != ""))
        .group_by(REF_DOMAIN, _REASON)
        .agg(pl.col(_COUNT).sum())
        .sort([REF_DOMAIN, _COUNT, _REASON], descending=[False, True, False])
        .group_by(REF_DOMAIN, maintain_order=True)
        .head(TOP_REASONS_PER_DOMAIN)
        .group_by(REF_DOMAIN, maintain_order=True)
        .agg(pl.col(_REASON).str.join(REASON_SEPARATOR).alias(TOP_REASONS))
    )


def write_rollup(rollup: pl.DataFrame, path: Path) -> None:
    """Write the rollup as CSV (formulas neutralised) or Parquet, by extension, atomically."""
    write_scored(rollup, path)
