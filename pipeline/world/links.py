"""Link attributes: dates, anchors, targets, flags, page metrics and context text.

:func:`build_links` turns a population's grouped links and domain rows into the builder's
output frame, drawing every per-link attribute from a :class:`LinkSpec`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import polars as pl

from features import schema
from pipeline.world import sampling, vocab
from pipeline.world.common import (
    BRAND,
    COMPOUND,
    DOMAIN_KEY,
    EXPORT_DAY,
    FOREIGN_GENERIC,
    FOREIGN_SPAM,
    GENERIC,
    LANG,
    MONEY,
    NAKED_TARGET,
    PARTIAL,
    PATH,
    POISON,
    PRIVATE,
    SITE_IDX,
    START_DAY,
    STUFFED,
    TITLE,
    URL,
    SiteTable,
)
from pipeline.world.dists import Categorical, LogNormal, Uniform
from pipeline.world.domains import lang_codes

# --- Dates --------------------------------------------------------------------------------------


def clip_days(days: np.ndarray, lo: np.ndarray | int) -> np.ndarray:
    """Keep days between ``lo`` and the day before the export."""
    return np.clip(days, lo, EXPORT_DAY - 1)


def organic_dates(
    tab: SiteTable,
    rng: np.random.Generator,
    site: np.ndarray,
    *,
    growth: float = 1.5,
    event_share: float = 0.0,
    spread: float = 4.0,
) -> np.ndarray:
    """First-seen days of earned links: growing over the site's life, some bursting at events.

    Launches and press moments make legitimate bursts too, so a burst alone proves nothing.
    """
    start = tab.launch_day[site]
    days = sampling.bounded_dates(rng, len(site), start, np.full(len(site), EXPORT_DAY), growth)
    has_events = np.array([len(e) > 0 for e in tab.events])
    burst = sampling.mask(rng, len(site), event_share) & has_events[site]
    if burst.any():
        flat = [e if e else (0,) for e in tab.events]
        centre = pick_days(rng, flat, site[burst])
        days[burst] = sampling.burst_dates(rng, centre, spread)
    return clip_days(days, start)


def pick_days(
    rng: np.random.Generator, groups: Sequence[Sequence[int]], site: np.ndarray
) -> np.ndarray:
    """For each row, one day number from its site's group (events, attack waves)."""
    counts = np.array([len(g) for g in groups], dtype=np.int64)
    offsets = np.concatenate([[0], np.cumsum(counts)[:-1]])
    flat = np.array([d for g in groups for d in g], dtype=np.int64)
    within = np.floor(rng.random(len(site)) * counts[site]).astype(np.int64)
    return flat[offsets[site] + within]


def window_dates(
    tab: SiteTable, rng: np.random.Generator, tactic: str, site: np.ndarray, growth: float = 1.0
) -> np.ndarray:
    """Days within the tactic's campaign window for each row's site."""
    start, end = tab.window(tactic)
    return sampling.bounded_dates(rng, len(site), start[site], end[site], growth)


def lagged(rng: np.random.Generator, base: np.ndarray, lag_days: float) -> np.ndarray:
    """Links found after their domain's start: sitewide pages are crawled over weeks."""
    return clip_days(base + np.floor(rng.exponential(lag_days, len(base))).astype(np.int64), base)


# --- Link attributes ----------------------------------------------------------------------------


# LinkSpec's defaults, named here because a dataclass default should not be a call.
_INTERNAL_LINKS = LogNormal(60, sigma=0.6, hi=5_000)
_TEXT_AND_IMAGE = Categorical({"text": 0.94, "image": 0.06})
_PAGE_AUTHORITY = Uniform(0.3, 0.85)
_LOST_LIFE = LogNormal(420, sigma=1.0, lo=1, hi=10_000)


@dataclass(frozen=True)
class LinkSpec:
    """How a population's links look (all per link; the shares are probabilities per link)."""

    anchors: Categorical[int]  # anchor kinds (BRAND, MONEY... from common)
    contexts: Categorical[str]  # context styles; "none": the export has no context text
    nofollow: float  # share marked rel="nofollow"
    alive: float  # share still live at export time
    external: LogNormal  # outbound links to other domains on the linking page
    internal: LogNormal = _INTERNAL_LINKS  # internal links on the page
    ugc: float = 0.0  # share marked rel="ugc"
    sponsored: float = 0.0  # share marked rel="sponsored"
    link_types: Categorical[str] = _TEXT_AND_IMAGE  # text, image, frame, redirect
    empty_image: float = 0.6  # share of image links without alt text: an empty anchor
    page_authority: Uniform = _PAGE_AUTHORITY  # page authority / domain authority, before noise
    life: LogNormal = _LOST_LIFE  # days a link that is now lost was live


# Context styles: (left pool, right pool); special styles are built in _contexts().
_CONTEXT_POOLS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "editorial": (vocab.EDITORIAL_LEFT, vocab.EDITORIAL_RIGHT),
    "footer": (vocab.FOOTER_LEFT, vocab.FOOTER_RIGHT),
    "sidebar": (vocab.SIDEBAR_LEFT, vocab.SIDEBAR_RIGHT),
    "comment": (vocab.COMMENT_LEFT, vocab.COMMENT_RIGHT),
    "signature": (vocab.SIGNATURE_LEFT, vocab.SIGNATURE_RIGHT),
    "profile": (("Website:", "Homepage:", "About me:", "Occupation:"), ("Location:", "Joined:")),
    "forum": (vocab.FORUM_LEFT, vocab.FORUM_RIGHT),
    "directory": (vocab.DIRECTORY_LEFT, vocab.DIRECTORY_RIGHT),
    "press": (vocab.PRESS_LEFT, vocab.PRESS_RIGHT),
    "wiki": (vocab.WIKI_LEFT, vocab.WIKI_RIGHT),
    "social": (vocab.SOCIAL_LEFT, vocab.SOCIAL_RIGHT),
    "resource": (vocab.RESOURCE_LEFT, vocab.RESOURCE_RIGHT),
    "scraper": (vocab.SCRAPER_LEFT, vocab.SCRAPER_RIGHT),
}


def _contexts(
    rng: np.random.Generator,
    frame: pl.DataFrame,
    styles: Categorical[str],
    style: np.ndarray | None = None,
) -> pl.DataFrame:
    """Left and right context per link in its style (every style listed is drawn, in order).

    ``style`` (indices into ``styles``) fixes each row's style; otherwise it is drawn by weight.
    """
    n = frame.height
    names = styles.options
    if style is None:
        style = sampling.choice(rng, n, styles)
    lang = np.maximum(frame[LANG].to_numpy(), 0)
    lefts: list[pl.Expr | str | None] = []
    rights: list[pl.Expr | str | None] = []
    for name in names:
        if name == "none":
            lefts.append(None)
            rights.append(None)
        elif name in _CONTEXT_POOLS:
            left, right = _CONTEXT_POOLS[name]
            lefts.append(pl.lit(sampling.pick(rng, left, n)))
            rights.append(pl.lit(sampling.pick(rng, right, n)))
        elif name == "foreign":
            lefts.append(pl.lit(sampling.pick_by(rng, vocab.by_language(vocab.LANG_LEFT), lang)))
            rights.append(pl.lit(sampling.pick_by(rng, vocab.by_language(vocab.LANG_RIGHT), lang)))
        elif name == "injected":  # other injected spam links around ours
            a, b, c = (pl.lit(sampling.pick(rng, vocab.POISON_ANCHORS, n)) for _ in range(3))
            lefts.append(pl.concat_str([a, pl.lit(" | "), b, pl.lit(" |")]))
            rights.append(pl.concat_str([pl.lit("| "), c]))
        elif name == "farm":  # a long list of unrelated links
            a = pl.lit(sampling.pick(rng, vocab.UNRELATED_TITLES, n))
            lefts.append(pl.concat_str([a, pl.lit(" |")]))
            rights.append(pl.lit(sampling.pick(rng, vocab.FARM_RIGHT, n)))
        elif name == "scraper_post":  # WordPress RSS footer kept by content scrapers
            lefts.append(
                pl.concat_str(
                    [pl.lit("The post "), pl.col("article"), pl.lit(" appeared first on")]
                )
            )
            rights.append(pl.lit("."))
        else:
            raise ValueError(f"unknown context style {name!r}")
    with_style = frame.with_columns(_style=pl.Series(style))
    return with_style.select(
        sampling.choose("_style", lefts).alias(schema.LEFT_CONTEXT),
        sampling.choose("_style", rights).alias(schema.RIGHT_CONTEXT),
    )


def _pages(home: float, money: float, content: float) -> Categorical[str]:
    """Which page of the target site a link points to, by weight."""
    return Categorical({"home": home, "money page": money, "content page": content})


# Target page per anchor kind: money anchors point at money pages, title anchors at articles.
_TARGET_PAGES: dict[int, Categorical[str]] = {
    MONEY: _pages(home=0.2, money=0.75, content=0.05),
    COMPOUND: _pages(home=0.25, money=0.7, content=0.05),
    STUFFED: _pages(home=0.3, money=0.65, content=0.05),
    PARTIAL: _pages(home=0.25, money=0.3, content=0.45),
    TITLE: _pages(home=0.0, money=0.0, content=1.0),
    POISON: _pages(home=0.75, money=0.2, content=0.05),
    FOREIGN_SPAM: _pages(home=0.75, money=0.2, content=0.05),
}
_DEFAULT_PAGES = _pages(home=0.55, money=0.1, content=0.35)
_SCHEMES = Categorical({"https://www.": 0.86, "http://www.": 0.07, "https://": 0.07})


def _targets(
    tab: SiteTable, rng: np.random.Generator, site: np.ndarray, kind: np.ndarray
) -> pl.Series:
    """Target URLs on the site's own domain: home, a money page or a content page."""
    n = len(site)
    page = np.zeros(n, dtype=np.int64)
    for k in np.unique(kind).tolist():
        rows = kind == k
        page[rows] = sampling.choice(rng, int(rows.sum()), _TARGET_PAGES.get(k, _DEFAULT_PAGES))
    frame = pl.DataFrame(
        {
            "_page": page,
            "_scheme": sampling.choice(rng, n, _SCHEMES),
            "domain": tab.domain.gather(site),
            "money": sampling.pick_by(rng, tab.money_pages, site),
            "content": sampling.pick_by(rng, tab.content_pages, site),
        }
    )
    return frame.select(
        pl.concat_str(
            [
                sampling.choose("_scheme", _SCHEMES.options),
                pl.col("domain"),
                sampling.choose("_page", ["/", pl.col("money"), pl.col("content")]),
            ]
        )
    ).to_series()


def _anchors(
    tab: SiteTable,
    rng: np.random.Generator,
    frame: pl.DataFrame,
    kind: np.ndarray,
) -> pl.Series:
    """Anchor text per link from its kind (only the kinds in use are drawn)."""
    n = frame.height
    site = frame[SITE_IDX].to_numpy()
    lang = np.maximum(frame[LANG].to_numpy(), 0)
    options: dict[int, pl.Expr] = {}
    for k in np.unique(kind).tolist():
        if k == BRAND:
            options[k] = pl.lit(sampling.pick_by(rng, tab.brand_anchors, site))
        elif k == URL:
            options[k] = pl.lit(sampling.pick_by(rng, tab.url_anchors, site))
        elif k == GENERIC:
            options[k] = pl.lit(sampling.pick(rng, vocab.GENERIC_ANCHORS, n))
        elif k == PARTIAL:
            options[k] = pl.lit(sampling.pick_by(rng, tab.partial, site))
        elif k == MONEY:
            options[k] = pl.lit(sampling.pick_by(rng, tab.money, site))
        elif k == COMPOUND:
            money = pl.lit(sampling.pick_by(rng, tab.money, site))
            brand = pl.lit(tab.brand.gather(site))
            form = pl.lit(pl.Series(rng.integers(0, 3, n)))
            options[k] = (
                pl.when(form == 0)
                .then(pl.concat_str([money, pl.lit(" - "), brand]))
                .when(form == 1)
                .then(pl.concat_str([brand, pl.lit(" "), money]))
                .otherwise(pl.concat_str([money, pl.lit(" at "), brand]))
            )
        elif k == STUFFED:  # keyword-stuffed: two money phrases run together
            a = pl.lit(sampling.pick_by(rng, tab.money, site))
            b = pl.lit(sampling.pick_by(rng, tab.money, site))
            options[k] = pl.concat_str([a, pl.lit(" "), b])
        elif k == POISON:
            options[k] = pl.lit(sampling.pick(rng, vocab.POISON_ANCHORS, n))
        elif k == TITLE:
            options[k] = pl.col("article")
        elif k == FOREIGN_GENERIC:
            groups = vocab.by_language(vocab.LANG_GENERIC_ANCHORS)
            options[k] = pl.lit(sampling.pick_by(rng, groups, lang))
        elif k == FOREIGN_SPAM:
            groups = vocab.by_language(vocab.LANG_SPAM_ANCHORS)
            options[k] = pl.lit(sampling.pick_by(rng, groups, lang))
        elif k == NAKED_TARGET:
            options[k] = pl.col(schema.TARGET_URL)
    ordered = [options.get(k) for k in range(NAKED_TARGET + 1)]
    return (
        frame.with_columns(_kind=pl.Series(kind))
        .select(sampling.choose("_kind", ordered))
        .to_series()
    )


# Range of the share of off-topic pages per site and population (see _helpers).
OFF_TOPIC_SHARE = (0.1, 0.5)


def _helpers(tab: SiteTable, rng: np.random.Generator, frame: pl.DataFrame) -> pl.DataFrame:
    """Columns that title and path templates use: topic, brand, dates, ids, headline, slug..."""
    n = frame.height
    site = frame[SITE_IDX].to_numpy()
    money = sampling.pick_by(rng, tab.money, site)
    hexchars = pl.Series(list("0123456789abcdef"))
    rand = pl.concat_str([pl.lit(hexchars.gather(rng.integers(0, 16, n))) for _ in range(4)])
    helpers = frame.with_columns(
        pl.lit(tab.topic_title.gather(site)).alias("Topic"),
        pl.lit(tab.topic.gather(site)).alias("topic"),
        pl.lit(tab.brand.gather(site)).alias("Brand"),
        # The site's host as report pages name it: bare or with www.
        pl.when(pl.lit(pl.Series(sampling.mask(rng, n, 0.4))))
        .then(pl.lit("www.") + pl.lit(tab.domain.gather(site)))
        .otherwise(pl.lit(tab.domain.gather(site)))
        .alias("target_host"),
        pl.lit(pl.Series(sampling.pick_by(rng, tab.articles, site))).alias("article"),
        pl.lit(money).alias("money"),
        pl.col(schema.FIRST_SEEN).dt.year().cast(pl.String).alias("year"),
        pl.col(schema.FIRST_SEEN).dt.month().cast(pl.String).str.zfill(2).alias("mm"),
        pl.col(schema.FIRST_SEEN).dt.day().cast(pl.String).str.zfill(2).alias("dd"),
        pl.lit(pl.Series(rng.integers(100, 9_999_999, n))).alias("id"),
        pl.lit(pl.Series(rng.integers(2, 16, n))).alias("n"),
        pl.lit(sampling.pick(rng, vocab.NEWS_SECTIONS, n)).alias("section"),
        pl.lit(sampling.pick(rng, vocab.DIRECTORY_CATEGORIES, n)).alias("category"),
        pl.lit(sampling.pick(rng, vocab.POISON_SLUGS, n)).alias("spam"),
        pl.concat_str(
            [
                pl.lit(sampling.pick(rng, vocab.FIRST_NAMES, n)),
                pl.lit(pl.Series(rng.integers(1, 999, n))),
            ]
        ).alias("user"),
        # Half the subreddits are general, half named after the site's topic (r/running).
        pl.when(pl.lit(pl.Series(sampling.mask(rng, n, 0.5))))
        .then(pl.lit(sampling.pick(rng, vocab.SUBREDDITS, n)))
        .otherwise(pl.lit(sampling.pick_by(rng, tab.topic_nouns, site)))
        .alias("sub"),
        rand.alias("rand"),
        pl.lit(pl.Series(rng.integers(0, len(vocab.HEADLINES), n))).alias("_h"),
        pl.lit(pl.Series(rng.integers(0, len(vocab.FORUM_QUESTIONS), n))).alias("_q"),
    )
    helpers = helpers.with_columns(
        sampling.slug(pl.col("Brand")).alias("brand"),
        sampling.slug(pl.col("money")).alias("kw"),
        pl.col("money").str.to_titlecase().alias("Money"),
        pl.col("category").str.replace_all("-", " ").str.to_titlecase().alias("Category"),
        pl.col("_name").alias("Name"),
        sampling.templates("_h", vocab.HEADLINES).alias("headline"),
        sampling.templates("_q", vocab.FORUM_QUESTIONS).alias("q"),
    )
    # A share of every site's pages (itself drawn wide, per site and population) is about
    # something else: real legitimate links often sit on pages that never name the topic.
    off_share = rng.uniform(*OFF_TOPIC_SHARE, len(tab.topic))[site]
    off_topic = pl.Series(rng.random(n) < off_share)
    helpers = helpers.with_columns(
        pl.when(pl.lit(off_topic))
        .then(
            pl.lit(sampling.pick(rng, vocab.OFF_TOPIC_HEADLINES, n))
            + pl.lit(sampling.pick(rng, vocab.OFF_TOPIC_TAILS, n))
        )
        .otherwise(pl.col("headline"))
        .alias("headline")
    )
    lang = np.maximum(frame[LANG].to_numpy(), 0)
    relevant = sampling.pick_by(rng, vocab.by_language(vocab.LANG_RELEVANT_TITLES), lang)
    irrelevant = vocab.by_language(vocab.LANG_IRRELEVANT_TITLES)
    topic_group = site * len(vocab.LANGUAGES) + lang
    return helpers.with_columns(
        sampling.slug(pl.col("headline")).alias("slug"),
        sampling.slug(pl.col("article")).alias("article_slug"),
        sampling.slug(pl.col("q")).alias("q_slug"),
        # Titles of pages in other languages: relevant ones about the site's topic, irrelevant
        # ones about anything else.
        pl.lit(relevant)
        .str.replace(
            "{topic}", pl.lit(sampling.pick_by(rng, tab.foreign_topic, topic_group)), literal=True
        )
        .str.replace("{brand}", pl.col("Brand"), literal=True)
        .str.replace("{year}", pl.col("year"), literal=True)
        .alias("foreign_relevant"),
        pl.lit(sampling.pick_by(rng, irrelevant, lang)).alias("foreign_irrelevant"),
    )


def build_links(
    tab: SiteTable,
    rng: np.random.Generator,
    groups: sampling.Groups,
    domains: pl.DataFrame,
    spec: LinkSpec,
    *,
    first_seen: np.ndarray,
    title: pl.Expr,
    path: pl.Expr,
    extra: Mapping[str, np.ndarray | pl.Series] | None = None,
    overrides: Mapping[str, np.ndarray] | None = None,
    context_style: np.ndarray | None = None,
) -> pl.DataFrame:
    """Draw every link attribute and return the builder's output frame.

    ``title`` and ``path`` are expressions over the domain columns, ``extra`` and the helper
    columns of :func:`_helpers`; ``overrides`` replaces drawn boolean flags (e.g. ugc per link);
    ``context_style`` fixes each link's context style (indices into ``spec.contexts``).
    """
    n = groups.n_links
    site = groups.link_site
    frame = domains[groups.link_domain].with_columns(
        pl.Series(SITE_IDX, site),
        pl.Series(DOMAIN_KEY, groups.link_domain),
        pl.Series(schema.FIRST_SEEN, clip_days(first_seen, START_DAY).astype(np.int32)).cast(
            pl.Date
        ),
        *(pl.Series(name, values) for name, values in (extra or {}).items()),
    )
    kind = sampling.options(rng, n, spec.anchors)
    frame = _helpers(tab, rng, frame).with_columns(
        _targets(tab, rng, site, kind).alias(schema.TARGET_URL)
    )
    anchor = _anchors(tab, rng, frame, kind)
    link_type = sampling.options(rng, n, spec.link_types)
    empty = (link_type == "image") & sampling.mask(rng, n, spec.empty_image)
    anchor = anchor.scatter(pl.Series(np.flatnonzero(empty)), "")

    flags = {
        schema.NOFOLLOW: sampling.mask(rng, n, spec.nofollow),
        schema.UGC: sampling.mask(rng, n, spec.ugc),
        schema.SPONSORED: sampling.mask(rng, n, spec.sponsored),
    }
    flags.update(overrides or {})
    da = frame[schema.DOMAIN_AUTHORITY].to_numpy()
    ratio = sampling.uniform(rng, n, spec.page_authority)
    page_authority = np.clip(np.round(da * ratio + rng.normal(0, 3, n)), 0, 100)
    external = sampling.lognormal(rng, n, spec.external)
    internal = sampling.lognormal(rng, n, spec.internal)

    first = frame[schema.FIRST_SEEN].cast(pl.Int32).to_numpy().astype(np.int64)
    span = EXPORT_DAY - first
    alive = sampling.mask(rng, n, spec.alive)
    recrawl = np.minimum(np.floor(rng.uniform(0, 21, n)), span)
    life = np.minimum(sampling.lognormal(rng, n, spec.life), span)
    last = np.where(alive, EXPORT_DAY - recrawl, first + life).astype(np.int32)

    frame = frame.with_columns(
        anchor.alias(schema.ANCHOR),
        pl.Series(schema.LINK_TYPE, link_type),
        pl.Series(schema.PAGE_AUTHORITY, page_authority),
        pl.Series(schema.EXTERNAL_LINKS, external.astype(np.int64)),
        pl.Series(schema.INTERNAL_LINKS, internal.astype(np.int64)),
        pl.Series(schema.LAST_SEEN, last).cast(pl.Date),
        *(pl.Series(name, values) for name, values in flags.items()),
    )
    contexts = _contexts(rng, frame, spec.contexts, context_style)
    return frame.with_columns(
        title.alias(schema.SOURCE_TITLE),
        path.alias(PATH),
        lang_codes(frame[LANG].to_numpy()).alias(schema.SOURCE_LANGUAGE),
        contexts[schema.LEFT_CONTEXT],
        contexts[schema.RIGHT_CONTEXT],
    ).select(
        *PRIVATE,
        *(name for name in schema.CANONICAL if name != schema.SOURCE_URL),
    )


# --- Helpers the population builders share ------------------------------------------------------


def english_or_foreign(english: pl.Expr, foreign: str = "foreign_relevant") -> pl.Expr:
    """Use the foreign-language title on rows whose domain writes in another language."""
    return pl.when(pl.col(LANG) >= 0).then(pl.col(foreign)).otherwise(english)


def sidebar(
    frame: pl.DataFrame, rng: np.random.Generator, *, brand_rows: bool, tab: SiteTable
) -> pl.DataFrame:
    """Blogroll links: sitewide rows get sidebar context and (for legit blogs) brand anchors."""
    n = frame.height
    side = frame[schema.SITEWIDE].to_numpy()
    if not side.any():
        return frame
    left = sampling.pick(rng, vocab.SIDEBAR_LEFT, n)
    right = sampling.pick(rng, vocab.SIDEBAR_RIGHT, n)
    updates = [
        pl.when(pl.col(schema.SITEWIDE))
        .then(pl.lit(left))
        .otherwise(pl.col(schema.LEFT_CONTEXT))
        .alias(schema.LEFT_CONTEXT),
        pl.when(pl.col(schema.SITEWIDE))
        .then(pl.lit(right))
        .otherwise(pl.col(schema.RIGHT_CONTEXT))
        .alias(schema.RIGHT_CONTEXT),
    ]
    if brand_rows:
        brand = sampling.pick_by(rng, tab.brand_anchors, frame[SITE_IDX].to_numpy())
        updates.append(
            pl.when(pl.col(schema.SITEWIDE))
            .then(pl.lit(brand))
            .otherwise(pl.col(schema.ANCHOR))
            .alias(schema.ANCHOR)
        )
    return frame.with_columns(updates)


def home_then(inner: pl.Expr) -> pl.Expr:
    """Sitewide links: a domain's first link is on its home page, the rest on inner pages."""
    page = pl.int_range(pl.len()).over(DOMAIN_KEY)
    return pl.when(page == 0).then(pl.lit("/")).otherwise(inner)


def attack_days(tab: SiteTable, rng: np.random.Generator, site: np.ndarray) -> np.ndarray:
    """First-seen days of attack links: most in the first wave, all within about a week."""
    n = len(site)
    fallback = (EXPORT_DAY - 45,)
    waves = [w if w else fallback for w in tab.attacks]
    first = np.array([w[0] for w in waves], dtype=np.int64)[site]
    other = pick_days(rng, waves, site)
    centre = np.where(sampling.mask(rng, n, 0.8), first, other)
    lag = np.minimum(np.floor(rng.exponential(1.5, n)), 6).astype(np.int64)
    return clip_days(centre + lag, START_DAY)
