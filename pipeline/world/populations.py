"""The populations of the synthetic world, one builder per tactic.

A builder gets how many links each target site receives from its population and returns one row
per link: the canonical columns plus a few private ``_`` columns the assembler needs (target-site
index, referring-domain key, host, scheme, path). Each builder first groups its links into
referring domains (a domain's links share its IP, authority, traffic, country and language), then
draws link attributes. All of it is vectorised: numpy draws and polars expressions over whole
columns.

The signals each population leaves follow /work/shared/reference/toxic-signals.md and are
described per population in docs/synthetic-world.md.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypedDict

import numpy as np
import polars as pl

from features import schema
from pipeline.world import sampling, tactics, vocab
from pipeline.world.common import (
    BRAND,
    COMPOUND,
    ENGLISH,
    FOREIGN_GENERIC,
    FOREIGN_SPAM,
    GENERIC,
    HOST,
    LANG,
    MONEY,
    NAKED_TARGET,
    PARTIAL,
    POISON,
    STUFFED,
    TITLE,
    URL,
    Builder,
    SiteTable,
)
from pipeline.world.dists import (
    Beta,
    Categorical,
    DomainSizes,
    Geometric,
    LogNormal,
    Mixture,
    Uniform,
    UniformInt,
)
from pipeline.world.domains import (
    BLOG_NAMES,
    COMPANY_NAMES,
    DIRECTORY_NAMES,
    EXPIRED_NAMES,
    FORUM_NAMES,
    NEWS_NAMES,
    RESOURCE_NAMES,
    SCRAPER_NAMES,
    SPAM_NAMES,
    TRADE_NAMES,
    UNRELATED_BLOG_NAMES,
    WHEEL_NAMES,
    DomainSpec,
    choose_frames,
    comment_hosts,
    domain_frame,
    draw_names,
    draw_words,
    english_country,
    english_domains,
    foreign_domains,
    hacked_domains,
    join_host,
    mix_rows,
    on_free_hosts,
    per_site_groups,
    platform_domains,
    platform_groups,
    press_wires,
    spam_domains,
    stack_groups,
    subnet_octets,
)
from pipeline.world.links import (
    LinkSpec,
    attack_days,
    build_links,
    english_or_foreign,
    home_then,
    lagged,
    organic_dates,
    sidebar,
    window_dates,
)

# --- What several populations share ------------------------------------------------------------
#
# None of these helpers reorders random draws: each draws exactly what its callers drew inline,
# in the same order, so the world stays the same for a given seed.


class _Pages(TypedDict):
    """A link's page title and path, and the template-index columns they read.

    The keys are :func:`build_links` keyword arguments: pass the dict with ``**`` after
    ``first_seen`` (arguments are evaluated left to right, so the draws keep their order).
    """

    title: pl.Expr
    path: pl.Expr
    extra: dict[str, np.ndarray]


def _with_site_name(page: str, sep: str) -> pl.Expr:
    """A page's own title, then the referring site's name: ``"{headline} | {Name}"``."""
    return pl.concat_str([pl.col(page), pl.lit(sep), pl.col("Name")])


def _article_pages(rng: np.random.Generator, n: int, sep: str, paths: Sequence[str]) -> _Pages:
    """Editorial pages: headline and site name (or a title in the domain's own language), and
    one of ``paths`` per link."""
    return {
        "title": english_or_foreign(_with_site_name("headline", sep)),
        "path": sampling.templates("_p", paths),
        "extra": {"_p": rng.integers(0, len(paths), n)},
    }


def _template_pages(
    rng: np.random.Generator,
    n: int,
    titles: Sequence[str],
    paths: Sequence[str],
    *,
    per_link: np.ndarray | None = None,
    home_first: bool = False,
) -> _Pages:
    """Pages titled from ``titles`` and placed at ``paths`` templates, ``n`` of each drawn.

    Without ``per_link`` there is one draw per link. With it, ``n`` counts groups of links
    (networks) and ``per_link`` is each link's group: a network shares one title and one path
    template, the footprint that gives it away. ``home_first`` puts each domain's first link on
    its home page (sitewide links).
    """
    title_index = rng.integers(0, len(titles), n)
    path_index = rng.integers(0, len(paths), n)
    if per_link is not None:
        title_index, path_index = title_index[per_link], path_index[per_link]
    path = sampling.templates("_p", paths)
    return {
        "title": sampling.templates("_t", titles),
        "path": home_then(path) if home_first else path,
        "extra": {"_t": title_index, "_p": path_index},
    }


def _platform_split(
    rng: np.random.Generator,
    counts: np.ndarray,
    share: float,
    platforms: Categorical[str],
    sizes: DomainSizes,
) -> tuple[sampling.Groups, sampling.Groups]:
    """Each site's links split in two: a ``share`` on fixed ``platforms`` (picked by weight),
    the rest grouped into the population's own domains of ``sizes`` links."""
    on_platform = np.floor(counts * share).astype(np.int64)
    platform = platform_groups(rng, on_platform, platforms)
    return platform, sampling.group_links(rng, counts - on_platform, sizes)


def _network_days(
    tab: SiteTable, rng: np.random.Generator, tactic: str, network: np.ndarray, site: np.ndarray
) -> np.ndarray:
    """The day each network (PBN, link farm, wheel) was built, within ``tactic``'s window for
    its target site; ``network`` and ``site`` are given per domain."""
    start, end = tab.window(tactic)
    network_site = np.zeros(int(network.max()) + 1 if len(network) else 0, dtype=np.int64)
    network_site[network] = site
    return sampling.bounded_dates(rng, len(network_site), start[network_site], end[network_site])


def _web20_domains(
    tab: SiteTable,
    rng: np.random.Generator,
    site: np.ndarray,
    spec: DomainSpec,
    names: Sequence[tuple[str, str]],
) -> pl.DataFrame:
    """Thin English web 2.0 blogs on free-host subdomains (``name.blogspot.com``), one per row
    of ``site``."""
    n = len(site)
    drawn = draw_names(draw_words(tab, rng, site), rng, names)
    domains = domain_frame(
        rng,
        spec,
        drawn["label"],
        drawn["name"],
        pl.Series(["US"] * n, dtype=pl.String),
        np.full(n, ENGLISH, dtype=np.int64),
    )
    return on_free_hosts(rng, domains, np.ones(n, dtype=bool), vocab.FREE_HOSTS)


# --- The populations ---------------------------------------------------------------------------


def news(tab: SiteTable, rng: np.random.Generator, counts: np.ndarray) -> pl.DataFrame:
    """Major news and trade media: high authority, huge traffic, editorial in-content links."""
    groups = sampling.group_links(rng, counts, Geometric(1.8, cap=30))
    site = groups.domain_site
    trade = sampling.mask(rng, len(site), 0.45)
    big = english_domains(
        tab,
        rng,
        site,
        DomainSpec(
            da=Beta(68, 95, a=3, b=1.4), traffic=LogNormal(2.5e6, sigma=1.2), cdn=0.5, www=0.8
        ),
        NEWS_NAMES,
        foreign_share=tab.foreign_legit_share[site],
    )
    small = english_domains(
        tab,
        rng,
        site,
        DomainSpec(
            da=Beta(38, 78, a=2.5, b=2), traffic=LogNormal(5e4, sigma=1.2), cdn=0.5, www=0.6
        ),
        TRADE_NAMES,
        foreign_share=tab.foreign_legit_share[site],
    )
    domains = mix_rows(trade, small, big)
    spec = LinkSpec(
        anchors=Categorical(
            {BRAND: 0.45, URL: 0.12, GENERIC: 0.13, PARTIAL: 0.25, MONEY: 0.03, COMPOUND: 0.02}
        ),
        contexts=Categorical({"editorial": 0.85, "none": 0.15}),
        nofollow=0.35,
        alive=0.85,
        external=LogNormal(12, sigma=0.8, lo=1, hi=400),
        internal=LogNormal(140, sigma=0.5, hi=5_000),
        sponsored=0.01,
        link_types=Categorical({"text": 0.93, "image": 0.07}),
        page_authority=Uniform(0.4, 0.75),
    )
    return build_links(
        tab,
        rng,
        groups,
        domains,
        spec,
        first_seen=organic_dates(tab, rng, groups.link_site, growth=1.4, event_share=0.25),
        **_article_pages(rng, groups.n_links, " | ", vocab.NEWS_PATHS),
    )


# Mostly one or two links per blog; 0.5% of blogs link from every page (a blogroll).
_BLOG_SIZES = Mixture(
    share=0.005,
    then=LogNormal(25, sigma=1.0, lo=1, hi=2_000),
    otherwise=Geometric(1.5, cap=20),
)


def niche_blog(tab: SiteTable, rng: np.random.Generator, counts: np.ndarray) -> pl.DataFrame:
    """Topical blogs of middling authority; a few link sitewide from a blogroll."""
    groups = sampling.group_links(rng, counts, _BLOG_SIZES)
    site = groups.domain_site
    sizes = np.bincount(groups.link_domain, minlength=groups.n_domains)
    blogroll = sizes >= 8
    domains = english_domains(
        tab,
        rng,
        site,
        DomainSpec(
            da=Beta(12, 62, a=2, b=2.4),
            traffic=LogNormal(2500, sigma=1.4),
            traffic_null=0.12,
            http=0.1,
        ),
        BLOG_NAMES,
        foreign_share=tab.foreign_legit_share[site],
        sitewide=blogroll,
    )
    spec = LinkSpec(
        anchors=Categorical(
            {BRAND: 0.3, URL: 0.1, GENERIC: 0.15, PARTIAL: 0.35, MONEY: 0.06, COMPOUND: 0.04}
        ),
        contexts=Categorical({"editorial": 0.75, "none": 0.25}),
        nofollow=0.15,
        alive=0.8,
        external=LogNormal(15, sigma=0.8, lo=1, hi=600),
        internal=LogNormal(60, sigma=0.6, hi=5_000),
        link_types=Categorical({"text": 0.92, "image": 0.08}),
    )
    frame = build_links(
        tab,
        rng,
        groups,
        domains,
        spec,
        first_seen=organic_dates(tab, rng, groups.link_site, growth=1.4, event_share=0.1),
        **_article_pages(rng, groups.n_links, " - ", vocab.BLOG_PATHS),
    )
    return sidebar(frame, rng, brand_rows=True, tab=tab)


def small_blog(tab: SiteTable, rng: np.random.Generator, counts: np.ndarray) -> pl.DataFrame:
    """Small relevant blogs, authority 1-15, little traffic: not toxic, the classic false positive.

    A third live on free hosts (blogspot.com, wordpress.com...) and share those platforms' IPs
    with web 2.0 spam, so neither the host nor the IP gives them away.
    """
    groups = sampling.group_links(rng, counts, Geometric(1.3, cap=12))
    site = groups.domain_site
    nd = groups.n_domains
    spec_d = DomainSpec(
        da=Beta(1, 15, a=1.3, b=2.0),
        traffic=LogNormal(40, sigma=1.5),
        traffic_zero=0.25,
        traffic_null=0.25,
        cdn=0.3,
        www=0.4,
        http=0.25,
    )
    domains = english_domains(
        tab, rng, site, spec_d, BLOG_NAMES, foreign_share=tab.foreign_legit_share[site] / 2
    )
    free = sampling.mask(rng, nd, 0.3)
    domains = on_free_hosts(rng, domains, free, vocab.SMALL_BLOG_FREE_HOSTS)
    spec = LinkSpec(
        anchors=Categorical(
            {
                BRAND: 0.3,
                URL: 0.15,
                GENERIC: 0.2,
                PARTIAL: 0.26,
                MONEY: 0.05,
                COMPOUND: 0.02,
                NAKED_TARGET: 0.02,
            }
        ),
        contexts=Categorical({"editorial": 0.6, "sidebar": 0.1, "none": 0.3}),
        nofollow=0.12,
        alive=0.7,
        external=LogNormal(8, sigma=0.9, hi=300),
        internal=LogNormal(25, sigma=0.7, hi=5_000),
        link_types=Categorical({"text": 0.93, "image": 0.07}),
        page_authority=Uniform(0.5, 1.3),
    )
    return build_links(
        tab,
        rng,
        groups,
        domains,
        spec,
        first_seen=organic_dates(tab, rng, groups.link_site, growth=1.3, event_share=0.05),
        **_article_pages(rng, groups.n_links, " - ", vocab.BLOG_PATHS),
    )


_REDDIT_PATH = "/r/{sub}/comments/{rand}{n}/{q_slug}/"


def forum_ugc(tab: SiteTable, rng: np.random.Generator, counts: np.ndarray) -> pl.DataFrame:
    """Forums, Q&A and UGC: real users mentioning the site; ugc and nofollow."""
    plat, fg = _platform_split(rng, counts, 0.35, vocab.UGC_PLATFORMS, Geometric(3.0, cap=60))
    plat_domains = platform_domains(vocab.UGC_PLATFORMS.options, len(counts))
    forum_domains = english_domains(
        tab,
        rng,
        fg.domain_site,
        DomainSpec(
            da=Beta(12, 58, a=2, b=2.2), traffic=LogNormal(3000, sigma=1.5), traffic_null=0.15
        ),
        FORUM_NAMES,
    )
    groups, domains = stack_groups((plat, plat_domains), (fg, forum_domains))
    n = groups.n_links
    ugc = sampling.mask(rng, n, 0.72)
    spec = LinkSpec(
        anchors=Categorical(
            {
                BRAND: 0.35,
                URL: 0.25,
                GENERIC: 0.15,
                PARTIAL: 0.15,
                NAKED_TARGET: 0.05,
                MONEY: 0.03,
                COMPOUND: 0.02,
            }
        ),
        contexts=Categorical({"forum": 0.8, "none": 0.2}),
        nofollow=0.0,
        alive=0.85,
        external=LogNormal(10, sigma=0.9, hi=500),
        internal=LogNormal(90, sigma=0.6, hi=5_000),
        link_types=Categorical({"text": 0.98, "image": 0.02}),
    )
    nofollow = ugc | sampling.mask(rng, n, 0.4)
    host = pl.col(HOST)
    title = (
        pl.when(host == "reddit.com")
        .then(pl.concat_str([pl.col("q"), pl.lit(" : r/"), pl.col("sub")]))
        .when(host == "quora.com")
        .then(pl.concat_str([pl.col("q"), pl.lit(" - Quora")]))
        .otherwise(_with_site_name("q", " | "))
    )
    path = (
        pl.when(host == "reddit.com")
        .then(sampling.template(_REDDIT_PATH))
        .when(host == "quora.com")
        .then(
            pl.concat_str(
                [
                    pl.lit("/"),
                    pl.col("q").str.replace_all(r"[^A-Za-z0-9]+", "-").str.strip_chars("-"),
                ]
            )
        )
        .otherwise(sampling.templates("_p", vocab.FORUM_PATHS))
    )
    return build_links(
        tab,
        rng,
        groups,
        domains,
        spec,
        first_seen=organic_dates(tab, rng, groups.link_site, growth=1.3, event_share=0.1),
        title=title,
        path=path,
        extra={"_p": rng.integers(0, len(vocab.FORUM_PATHS), n)},
        overrides={schema.UGC: ugc, schema.NOFOLLOW: nofollow},
    )


_SOCIAL_TITLES: dict[str, str] = {
    "en.wikipedia.org": "{Topic} - Wikipedia",
    "twitter.com": '{First} {Last} on X: "{headline}"',
    "x.com": '{First} {Last} on X: "{headline}"',
    "reddit.com": "{q} : r/{sub}",
    "linkedin.com": "{First} {Last} on LinkedIn: {headline}",
    "medium.com": "{headline} | by {First} {Last} | Medium",
    "facebook.com": "{Brand} - {headline} | Facebook",
    "pinterest.com": "{headline} | Pinterest",
    "youtube.com": "{headline} - YouTube",
}
_SOCIAL_PATHS: dict[str, str] = {
    "en.wikipedia.org": "/wiki/{wiki}",  # "wiki" is drawn in wiki_social()
    "twitter.com": "/{user}/status/{long_id}",
    "x.com": "/{user}/status/{long_id}",
    "reddit.com": _REDDIT_PATH,
    "linkedin.com": "/posts/{user}_{slug}-activity-{long_id}-{rand}",
    "medium.com": "/@{user}/{slug}-{rand}{rand}",
    "facebook.com": "/{user}/posts/{long_id}",
    "pinterest.com": "/pin/{long_id}/",
    "youtube.com": "/watch?v={rand}{user}",
}


def wiki_social(tab: SiteTable, rng: np.random.Generator, counts: np.ndarray) -> pl.DataFrame:
    """Wikipedia and social networks: a few huge domains, nofollow links, brand and URL anchors."""
    groups = platform_groups(rng, counts, vocab.SOCIAL_PLATFORMS)
    domains = platform_domains(vocab.SOCIAL_PLATFORMS.options, len(counts))
    n = groups.n_links
    host = domains[HOST].gather(groups.link_domain)
    spec = LinkSpec(
        anchors=Categorical(
            {BRAND: 0.35, URL: 0.2, NAKED_TARGET: 0.25, GENERIC: 0.1, PARTIAL: 0.1}
        ),
        contexts=Categorical({"social": 0.6, "none": 0.4}),
        nofollow=0.97,
        alive=0.9,
        external=LogNormal(30, sigma=1.0, lo=1, hi=2000),
        internal=LogNormal(200, sigma=0.6, hi=5_000),
        link_types=Categorical({"text": 0.9, "image": 0.1}),
        page_authority=Uniform(0.2, 0.6),
    )
    wiki_rows = host == "en.wikipedia.org"
    contexts_wiki = wiki_rows.to_numpy()
    hosts = vocab.SOCIAL_PLATFORMS.options
    extra = {
        "_p": groups.link_domain % len(hosts),  # domain = site * len(hosts) + platform
        "First": sampling.pick(rng, vocab.FIRST_NAMES, n).str.to_titlecase(),
        "Last": sampling.pick(rng, vocab.LAST_NAMES, n).str.to_titlecase(),
        "long_id": pl.Series(rng.integers(10**15, 10**18, n)),
        "wiki": wiki_subjects(tab, rng, groups.link_site),
    }
    frame = build_links(
        tab,
        rng,
        groups,
        domains,
        spec,
        first_seen=organic_dates(tab, rng, groups.link_site, growth=1.6, event_share=0.3, spread=2),
        title=sampling.templates("_p", [_SOCIAL_TITLES[h] for h in hosts]),
        path=sampling.templates("_p", [_SOCIAL_PATHS[h] for h in hosts]),
        extra=extra,
        overrides={schema.UGC: (host == "reddit.com").to_numpy()},
    )
    # Wikipedia: reference-list context, always nofollow.
    return frame.with_columns(
        pl.when(pl.Series(contexts_wiki))
        .then(pl.lit(sampling.pick(rng, vocab.WIKI_LEFT, n)))
        .otherwise(pl.col(schema.LEFT_CONTEXT))
        .alias(schema.LEFT_CONTEXT),
        pl.when(pl.Series(contexts_wiki))
        .then(pl.lit(sampling.pick(rng, vocab.WIKI_RIGHT, n)))
        .otherwise(pl.col(schema.RIGHT_CONTEXT))
        .alias(schema.RIGHT_CONTEXT),
        (pl.col(schema.NOFOLLOW) | pl.Series(contexts_wiki)).alias(schema.NOFOLLOW),
    )


def wiki_subjects(tab: SiteTable, rng: np.random.Generator, site: np.ndarray) -> pl.Series:
    """Wikipedia article names that could cite the site (its topic, a town, a list...)."""
    n = len(site)
    frame = pl.DataFrame(
        {
            "_w": rng.integers(0, len(vocab.WIKI_SUBJECTS), n),
            "Topic": tab.topic_title.gather(site),
            "Brand": tab.brand.gather(site),
            "noun": sampling.pick_by(rng, tab.topic_nouns, site),
            "Town": sampling.pick(rng, vocab.TOWNS, n).str.to_titlecase(),
        }
    ).with_columns(pl.col("noun").str.to_titlecase().alias("Noun"))
    subject = sampling.templates("_w", vocab.WIKI_SUBJECTS)
    return frame.select(
        pl.concat_str([subject.str.slice(0, 1).str.to_uppercase(), subject.str.slice(1)])
        .str.replace_all(" ", "_")
        .str.replace_all("&", "%26")
    ).to_series()


_PARTNER_TITLES = ("{headline} | {Name}", "Home - {Name}", "About Us | {Name}", "{Name} Blog")


def partner_sitewide(tab: SiteTable, rng: np.random.Generator, counts: np.ndarray) -> pl.DataFrame:
    """Partners, integrators, agencies: legitimate sitewide footer links with brand anchors."""
    groups = sampling.group_links(rng, counts, LogNormal(35, sigma=1.2, lo=1, hi=3_000))
    site = groups.domain_site
    domains = english_domains(
        tab,
        rng,
        site,
        DomainSpec(
            da=Beta(15, 66, a=2, b=2), traffic=LogNormal(8000, sigma=1.3), cdn=0.45, www=0.7
        ),
        COMPANY_NAMES,
        sitewide=np.ones(len(site), dtype=bool),
    )
    spec = LinkSpec(
        anchors=Categorical({BRAND: 0.72, URL: 0.18, GENERIC: 0.05, PARTIAL: 0.05}),
        contexts=Categorical({"footer": 0.55, "sidebar": 0.2, "none": 0.25}),
        nofollow=0.3,
        sponsored=0.03,
        alive=0.75,
        external=LogNormal(15, sigma=0.6, lo=2, hi=200),
        internal=LogNormal(90, sigma=0.5, hi=5_000),
        link_types=Categorical({"text": 0.85, "image": 0.15}),
        empty_image=0.3,
    )
    start = organic_dates(tab, rng, site, growth=1.3)
    return build_links(
        tab,
        rng,
        groups,
        domains,
        spec,
        first_seen=lagged(rng, start[groups.link_domain], 120),
        **_template_pages(
            rng, groups.n_links, _PARTNER_TITLES, vocab.PARTNER_PATHS, home_first=True
        ),
    )


# Mostly non-profit and public-sector domains.
_RESOURCE_TLDS = Categorical(
    {
        "org": 0.42,
        "org.uk": 0.2,
        "gov.uk": 0.04,
        "edu": 0.04,
        "ac.uk": 0.03,
        "com": 0.17,
        "net": 0.06,
        "gov": 0.04,
    }
)


def resource_page(tab: SiteTable, rng: np.random.Generator, counts: np.ndarray) -> pl.DataFrame:
    """Libraries, councils, clubs, associations: curated resource pages with many outbound links."""
    groups = sampling.group_links(rng, counts, Geometric(1.2, cap=6))
    site = groups.domain_site
    domains = english_domains(
        tab,
        rng,
        site,
        DomainSpec(da=Beta(25, 82, a=2.5, b=2), traffic=LogNormal(5000, sigma=1.3), www=0.7),
        RESOURCE_NAMES,
        tlds=_RESOURCE_TLDS,
    )
    spec = LinkSpec(
        anchors=Categorical({BRAND: 0.55, URL: 0.2, PARTIAL: 0.2, GENERIC: 0.05}),
        contexts=Categorical({"resource": 0.75, "none": 0.25}),
        nofollow=0.15,
        alive=0.8,
        external=LogNormal(45, sigma=0.7, lo=5, hi=700),
        internal=LogNormal(40, sigma=0.6, hi=5_000),
        link_types=Categorical({"text": 0.97, "image": 0.03}),
    )
    return build_links(
        tab,
        rng,
        groups,
        domains,
        spec,
        first_seen=organic_dates(tab, rng, groups.link_site, growth=1.2),
        **_template_pages(rng, groups.n_links, vocab.RESOURCE_TITLES, vocab.RESOURCE_PATHS),
    )


def press_sponsored(tab: SiteTable, rng: np.random.Generator, counts: np.ndarray) -> pl.DataFrame:
    """Press releases and sponsored posts, mostly marked ``sponsored`` as Google asks."""
    wire_groups, pg = _platform_split(
        rng, counts, 0.45, Categorical.uniform(vocab.PRESS_HOSTS), Geometric(1.3, cap=8)
    )
    wires = press_wires(20_240_611, len(counts))
    posts = english_domains(
        tab,
        rng,
        pg.domain_site,
        DomainSpec(da=Beta(20, 62, a=2, b=2), traffic=LogNormal(5000, sigma=1.4)),
        UNRELATED_BLOG_NAMES + TRADE_NAMES,
    )
    groups, domains = stack_groups((wire_groups, wires), (pg, posts))
    n = groups.n_links
    spec = LinkSpec(
        anchors=Categorical({BRAND: 0.45, URL: 0.15, MONEY: 0.2, COMPOUND: 0.1, PARTIAL: 0.1}),
        contexts=Categorical({"press": 0.8, "none": 0.2}),
        nofollow=0.45,
        sponsored=0.85,
        alive=0.6,
        external=LogNormal(12, sigma=0.7, lo=1, hi=300),
        internal=LogNormal(60, sigma=0.6, hi=5_000),
        link_types=Categorical({"text": 0.95, "image": 0.05}),
    )
    return build_links(
        tab,
        rng,
        groups,
        domains,
        spec,
        first_seen=organic_dates(tab, rng, groups.link_site, growth=1.2, event_share=0.4, spread=2),
        **_template_pages(rng, n, vocab.PRESS_TITLES, vocab.PRESS_PATHS),
    )


def scraper(tab: SiteTable, rng: np.random.Generator, counts: np.ndarray) -> pl.DataFrame:
    """Harmless scrapers copying the site's articles: low authority, spammy TLDs, not toxic.

    Google ignores them; reviewers disagree on them, so they carry a high label-noise weight.
    """
    groups = sampling.group_links(rng, counts, Geometric(4.0, cap=60))
    domains = spam_domains(
        tab,
        rng,
        groups.domain_site,
        DomainSpec(
            da=Beta(0, 16, a=1.2, b=3),
            traffic=LogNormal(10, sigma=1.5),
            traffic_zero=0.4,
            traffic_null=0.35,
            www=0.3,
            http=0.3,
        ),
        SCRAPER_NAMES,
        spam_tld_share=0.45,
    )
    n = groups.n_links
    spec = LinkSpec(
        anchors=Categorical({BRAND: 0.4, TITLE: 0.3, NAKED_TARGET: 0.2, GENERIC: 0.1}),
        contexts=Categorical({"scraper_post": 0.55, "scraper": 0.25, "none": 0.2}),
        nofollow=0.1,
        alive=0.5,
        external=LogNormal(25, sigma=1.0, lo=1, hi=1500),
        internal=LogNormal(40, sigma=0.8, hi=5_000),
        link_types=Categorical({"text": 0.97, "image": 0.03}),
    )
    return build_links(
        tab,
        rng,
        groups,
        domains,
        spec,
        first_seen=organic_dates(tab, rng, groups.link_site, growth=1.5),
        title=pl.when(pl.col("_t") == 0)
        .then(pl.col("article"))
        .otherwise(_with_site_name("article", " – ")),
        path=sampling.templates(
            "_p", [p.replace("{slug}", "{article_slug}") for p in vocab.SCRAPER_PATHS]
        ),
        extra={
            "_t": rng.integers(0, 2, n),
            "_p": rng.integers(0, len(vocab.SCRAPER_PATHS), n),
        },
    )


# Expired domains are mostly old .com, .net and .org names.
_EXPIRED_TLDS = Categorical(
    {"com": 0.6, "net": 0.14, "org": 0.14, "info": 0.05, "co.uk": 0.05, "us": 0.02}
)


def pbn(tab: SiteTable, rng: np.random.Generator, counts: np.ndarray) -> pl.DataFrame:
    """Private blog networks: expired domains sharing a /24, one title and path template each.

    Inflated authority (20-50) with near-zero traffic, money anchors, posts built in bursts.
    """
    groups = sampling.group_links(rng, counts, Geometric(1.6, cap=5))
    site = groups.domain_site
    network = per_site_groups(rng, site, UniformInt(5, 40))
    words = draw_words(tab, rng, site)
    names = draw_names(words, rng, EXPIRED_NAMES)
    tld = sampling.pick(rng, _EXPIRED_TLDS, len(site))
    domains = domain_frame(
        rng,
        DomainSpec(
            da=Beta(20, 50, a=2.2, b=2),
            traffic=LogNormal(4, sigma=1.5),
            traffic_zero=0.4,
            traffic_null=0.25,
            www=0.5,
            http=0.15,
        ),
        join_host(names["label"], tld),
        names["name"],
        english_country(tld, rng),
        np.full(len(site), ENGLISH, dtype=np.int64),
        octets=subnet_octets(rng, network, single_ip=0.3, spread=0.15),
    )
    # Networks are cheap to run: their traffic is near zero whatever the authority says.
    domains = domains.with_columns(pl.col(schema.DOMAIN_TRAFFIC).clip(upper_bound=300))
    built = _network_days(tab, rng, tactics.PBN, network, site)
    link_network = network[groups.link_domain]
    spec = LinkSpec(
        anchors=Categorical(
            {MONEY: 0.55, COMPOUND: 0.15, PARTIAL: 0.1, BRAND: 0.12, URL: 0.05, GENERIC: 0.03}
        ),
        contexts=Categorical({"editorial": 0.75, "none": 0.25}),
        nofollow=0.03,
        alive=0.45,
        external=LogNormal(4, sigma=0.5, lo=1, hi=30),
        internal=LogNormal(15, sigma=0.6, hi=5_000),
        link_types=Categorical({"text": 0.97, "image": 0.03}),
        empty_image=0.2,
        life=LogNormal(300, sigma=1.0, lo=1, hi=10_000),
    )
    return build_links(
        tab,
        rng,
        groups,
        domains,
        spec,
        first_seen=lagged(rng, built[link_network], 20),
        # One title and one path template per network: the footprint that gives it away.
        **_template_pages(
            rng, len(built), vocab.PBN_TITLES, vocab.PBN_PATHS, per_link=link_network
        ),
    )


def link_farm(tab: SiteTable, rng: np.random.Generator, counts: np.ndarray) -> pl.DataFrame:
    """Link farms: machine-made names, spam TLDs, hundreds to thousands of outbound links."""
    groups = sampling.group_links(rng, counts, Geometric(2.0, cap=12))
    site = groups.domain_site
    farm = per_site_groups(rng, site, UniformInt(3, 25))
    domains = spam_domains(
        tab,
        rng,
        site,
        DomainSpec(
            da=Beta(3, 40, a=1.6, b=2.4),
            traffic=LogNormal(30, sigma=1.6),
            traffic_zero=0.3,
            traffic_null=0.3,
            www=0.3,
            http=0.5,
        ),
        SPAM_NAMES,
        spam_tld_share=0.65,
        octets=subnet_octets(rng, farm, single_ip=0.5, spread=0.3),
        foreign_share=0.12,
    )
    n = groups.n_links
    built = _network_days(tab, rng, tactics.LINK_FARM, farm, site)
    spec = LinkSpec(
        anchors=Categorical({MONEY: 0.35, URL: 0.25, BRAND: 0.25, GENERIC: 0.05, COMPOUND: 0.1}),
        contexts=Categorical({"farm": 0.7, "none": 0.3}),
        nofollow=0.1,
        alive=0.5,
        external=LogNormal(900, sigma=0.9, lo=150, hi=20_000),
        internal=LogNormal(20, sigma=0.8, hi=5_000),
        link_types=Categorical({"text": 0.88, "image": 0.08, "frame": 0.02, "redirect": 0.02}),
    )
    return build_links(
        tab,
        rng,
        groups,
        domains,
        spec,
        first_seen=lagged(rng, built[farm[groups.link_domain]], 15),
        **_template_pages(rng, n, vocab.FARM_TITLES, vocab.FARM_PATHS),
    )


def directory(tab: SiteTable, rng: np.random.Generator, counts: np.ndarray) -> pl.DataFrame:
    """Spammy web directories: listings with brand or money anchors, submitted in blasts."""
    groups = sampling.group_links(rng, counts, Geometric(1.3, cap=6))
    site = groups.domain_site
    domains = spam_domains(
        tab,
        rng,
        site,
        DomainSpec(
            da=Beta(8, 52, a=1.8, b=2.2),
            traffic=LogNormal(150, sigma=1.5),
            traffic_zero=0.1,
            traffic_null=0.2,
            www=0.5,
            http=0.4,
        ),
        DIRECTORY_NAMES,
        spam_tld_share=0.35,
    )
    n = groups.n_links
    link_site = groups.link_site
    # A submission service blasts the site into hundreds of directories within two weeks.
    start, end = tab.window(tactics.DIRECTORY)
    blast = start + ((end - start) * 0.2).astype(np.int64)
    in_blast = sampling.mask(rng, n, 0.65)
    days = window_dates(tab, rng, tactics.DIRECTORY, link_site)
    days[in_blast] = sampling.burst_dates(rng, blast[link_site[in_blast]], 5)
    spec = LinkSpec(
        anchors=Categorical({BRAND: 0.45, URL: 0.2, MONEY: 0.3, COMPOUND: 0.05}),
        contexts=Categorical({"directory": 0.8, "none": 0.2}),
        nofollow=0.25,
        alive=0.6,
        external=LogNormal(250, sigma=0.8, lo=60, hi=5_000),
        internal=LogNormal(300, sigma=0.6, hi=5_000),
        link_types=Categorical({"text": 0.95, "image": 0.05}),
        empty_image=0.2,
    )
    return build_links(
        tab,
        rng,
        groups,
        domains,
        spec,
        first_seen=days,
        **_template_pages(rng, n, vocab.DIRECTORY_TITLES, vocab.DIRECTORY_PATHS),
    )


def hacked(tab: SiteTable, rng: np.random.Generator, counts: np.ndarray) -> pl.DataFrame:
    """Hacked or injected pages: decent ordinary domains carrying pharma, casino, adult anchors."""
    groups = sampling.group_links(rng, counts, Geometric(2.5, cap=20))
    site = groups.domain_site
    domains = hacked_domains(
        tab,
        rng,
        site,
        DomainSpec(
            da=Beta(22, 72, a=2, b=2),
            traffic=LogNormal(2500, sigma=1.4),
            cdn=0.2,
            www=0.6,
            http=0.3,
        ),
    )
    n = groups.n_links
    hack_day = window_dates(tab, rng, tactics.HACKED, site)
    spec = LinkSpec(
        anchors=Categorical({POISON: 0.85, FOREIGN_SPAM: 0.05, MONEY: 0.1}),
        contexts=Categorical({"injected": 0.6, "none": 0.4}),
        nofollow=0.05,
        alive=0.35,
        external=LogNormal(150, sigma=0.9, lo=20, hi=3_000),
        internal=LogNormal(40, sigma=0.8, hi=5_000),
        link_types=Categorical({"text": 0.97, "image": 0.03}),
        empty_image=0.1,
        life=LogNormal(150, sigma=1.0, lo=1, hi=10_000),
    )
    return build_links(
        tab,
        rng,
        groups,
        domains,
        spec,
        first_seen=lagged(rng, hack_day[groups.link_domain], 10),
        # Half the injected pages keep the host's title, half are cloaked spam pages.
        title=pl.when(pl.col("_t") == 0)
        .then(sampling.templates("_h2", vocab.HACKED_TITLES))
        .otherwise(sampling.templates("_h2", vocab.INJECTED_TITLES)),
        path=sampling.templates("_p", vocab.HACKED_PATHS),
        extra={
            "_t": rng.integers(0, 2, n),
            "_h2": rng.integers(0, min(len(vocab.HACKED_TITLES), len(vocab.INJECTED_TITLES)), n),
            "_p": rng.integers(0, len(vocab.HACKED_PATHS), n),
        },
    )


def _unrelated_pages(rng: np.random.Generator, n: int) -> dict[str, pl.Series]:
    """Titles and slugs of pages about the host's own topic (a camping blog's camping posts)."""
    title = sampling.pick(rng, vocab.UNRELATED_TITLES, n)
    slug = pl.select(sampling.slug(pl.lit(title))).to_series()
    return {"_unrel": title, "_unrel_slug": slug}


def _own_topic(paths: Sequence[str]) -> list[str]:
    """Path templates whose slug comes from the host's own topic (see :func:`_unrelated_pages`)."""
    return [p.replace("{slug}", "{_unrel_slug}") for p in paths]


# Where comment spam sits; the index of each decides the page, title and context.
_COMMENT_KINDS = Categorical({"blog comment": 0.55, "forum signature": 0.25, "forum profile": 0.2})


def comment_spam(tab: SiteTable, rng: np.random.Generator, counts: np.ndarray) -> pl.DataFrame:
    """Blog-comment, forum-signature and forum-profile spam with money or stuffed anchors."""
    groups = sampling.group_links(rng, counts, Geometric(1.5, cap=15))
    site = groups.domain_site
    domains = comment_hosts(
        tab,
        rng,
        site,
        DomainSpec(
            da=Beta(8, 62, a=1.8, b=2),
            traffic=LogNormal(1500, sigma=1.6),
            traffic_null=0.2,
            http=0.3,
        ),
    )
    n = groups.n_links
    link_site = groups.link_site
    # Spam runs come in waves: many comments posted within days of each other.
    days = window_dates(tab, rng, tactics.COMMENT_SPAM, link_site)
    wave = sampling.mask(rng, n, 0.4)
    centres = (window_dates(tab, rng, tactics.COMMENT_SPAM, link_site[wave]) // 45) * 45
    days[wave] = sampling.burst_dates(rng, centres, 3)
    # Where the spam sits decides the page, its title and the text around the link.
    kind = sampling.choice(rng, n, _COMMENT_KINDS)
    no_context = sampling.mask(rng, n, 0.15)
    spec = LinkSpec(
        anchors=Categorical(
            {MONEY: 0.45, COMPOUND: 0.1, STUFFED: 0.1, BRAND: 0.15, URL: 0.15, GENERIC: 0.05}
        ),
        contexts=Categorical({"comment": 0.55, "signature": 0.25, "profile": 0.2, "none": 0.0}),
        nofollow=0.5,
        ugc=0.5,
        alive=0.6,
        external=LogNormal(60, sigma=1.0, lo=5, hi=3_000),
        internal=LogNormal(80, sigma=0.7, hi=5_000),
        link_types=Categorical({"text": 1.0}),
    )
    n_paths = min(len(vocab.BLOG_PATHS), len(vocab.FORUM_PATHS), len(vocab.PROFILE_PATHS))
    return build_links(
        tab,
        rng,
        groups,
        domains,
        spec,
        first_seen=days,
        title=sampling.choose(
            "_kind",
            [
                _with_site_name("_unrel", " - "),
                _with_site_name("_unrel", " | "),
                pl.concat_str(
                    [pl.lit("Profile of "), pl.col("user"), pl.lit(" | "), pl.col("Name")]
                ),
            ],
        ),
        path=sampling.choose(
            "_kind",
            [
                pl.concat_str(
                    [
                        sampling.templates("_p", _own_topic(vocab.BLOG_PATHS)),
                        pl.lit("#comment-"),
                        pl.col("id"),
                    ]
                ),
                sampling.templates("_p", _own_topic(vocab.FORUM_PATHS)),
                sampling.templates("_p", vocab.PROFILE_PATHS),
            ],
        ),
        extra={
            "_kind": kind,
            **_unrelated_pages(rng, n),
            "_p": rng.integers(0, n_paths, n),
        },
        context_style=np.where(no_context, 3, kind),
    )


def web20_wheel(tab: SiteTable, rng: np.random.Generator, counts: np.ndarray) -> pl.DataFrame:
    """Web 2.0 link wheels: thin free-host subdomains built within days, money anchors."""
    groups = sampling.group_links(rng, counts, Geometric(1.2, cap=3))
    site = groups.domain_site
    wheel = per_site_groups(rng, site, UniformInt(4, 12))
    domains = _web20_domains(
        tab,
        rng,
        site,
        DomainSpec(
            da=Beta(3, 35, a=1.5, b=2.5),
            traffic=LogNormal(2, sigma=1.5),
            traffic_zero=0.5,
            traffic_null=0.3,
        ),
        WHEEL_NAMES,
    )
    # Each wheel favours one or two platforms.
    built = _network_days(tab, rng, tactics.WEB20_WHEEL, wheel, site)
    link_wheel = wheel[groups.link_domain]
    n = groups.n_links
    spec = LinkSpec(
        anchors=Categorical({MONEY: 0.65, COMPOUND: 0.15, PARTIAL: 0.1, URL: 0.05, BRAND: 0.05}),
        contexts=Categorical({"editorial": 0.5, "none": 0.5}),
        nofollow=0.08,
        alive=0.4,
        external=LogNormal(4, sigma=0.5, lo=1, hi=20),
        internal=LogNormal(6, sigma=0.6, hi=5_000),
        link_types=Categorical({"text": 0.95, "image": 0.05}),
        life=LogNormal(200, sigma=1.0, lo=1, hi=10_000),
    )
    return build_links(
        tab,
        rng,
        groups,
        domains,
        spec,
        first_seen=lagged(rng, built[link_wheel], 3),
        title=sampling.templates("_t", vocab.WHEEL_TITLES),
        path=sampling.templates("_p", vocab.WHEEL_PATHS),
        extra={
            "_t": rng.integers(0, len(vocab.WHEEL_TITLES), len(built))[link_wheel],
            "_p": rng.integers(0, len(vocab.WHEEL_PATHS), n),
        },
    )


def paid_footer(tab: SiteTable, rng: np.random.Generator, counts: np.ndarray) -> pl.DataFrame:
    """Paid sitewide footer or sidebar links with money anchors, not marked sponsored."""
    groups = sampling.group_links(rng, counts, LogNormal(60, sigma=1.2, lo=1, hi=5_000))
    site = groups.domain_site
    domains = english_domains(
        tab,
        rng,
        site,
        DomainSpec(da=Beta(18, 62, a=2, b=2), traffic=LogNormal(6000, sigma=1.5), cdn=0.4, www=0.6),
        UNRELATED_BLOG_NAMES,
        sitewide=np.ones(len(site), dtype=bool),
    )
    start = window_dates(tab, rng, tactics.PAID_FOOTER, site)
    spec = LinkSpec(
        anchors=Categorical({MONEY: 0.7, COMPOUND: 0.12, BRAND: 0.1, PARTIAL: 0.08}),
        contexts=Categorical({"footer": 0.55, "sidebar": 0.3, "none": 0.15}),
        nofollow=0.05,
        alive=0.5,
        external=LogNormal(25, sigma=0.8, lo=3, hi=400),
        internal=LogNormal(120, sigma=0.5, hi=5_000),
        link_types=Categorical({"text": 1.0}),
    )
    n = groups.n_links
    return build_links(
        tab,
        rng,
        groups,
        domains,
        spec,
        first_seen=lagged(rng, start[groups.link_domain], 90),
        title=sampling.choose(
            "_t",
            [
                _with_site_name("_unrel", " | "),
                pl.concat_str([pl.lit("Home - "), pl.col("Name")]),
            ],
        ),
        path=home_then(sampling.templates("_p", _own_topic(vocab.FOOTER_PATHS))),
        extra={
            "_t": rng.integers(0, 2, n),
            **_unrelated_pages(rng, n),
            "_p": rng.integers(0, len(vocab.FOOTER_PATHS), n),
        },
    )


_FOREIGN_PATHS = (
    "/{w1}/{w2}-{id}.html",
    "/?p={id}",
    "/news/{id}",
    "/{w1}/{id}/",
    "/forum/topic/{id}",
)


def foreign_irrelevant(
    tab: SiteTable, rng: np.random.Generator, counts: np.ndarray
) -> pl.DataFrame:
    """Foreign-language sites with nothing to do with the English target."""
    groups = sampling.group_links(rng, counts, Geometric(2.0, cap=40))
    domains = foreign_domains(
        rng,
        groups.n_domains,
        DomainSpec(
            da=Beta(3, 58, a=1.6, b=2.2),
            traffic=LogNormal(800, sigma=1.8),
            traffic_null=0.2,
            www=0.4,
            http=0.35,
        ),
    )
    n = groups.n_links
    lang = domains[LANG].to_numpy()[groups.link_domain]
    word_groups = vocab.by_language(vocab.LANG_NAME_WORDS)
    spec = LinkSpec(
        anchors=Categorical(
            {
                URL: 0.3,
                NAKED_TARGET: 0.05,
                BRAND: 0.15,
                FOREIGN_GENERIC: 0.3,
                MONEY: 0.1,
                FOREIGN_SPAM: 0.1,
            }
        ),
        contexts=Categorical({"foreign": 0.6, "none": 0.4}),
        nofollow=0.2,
        alive=0.6,
        external=LogNormal(40, sigma=1.1, lo=1, hi=5_000),
        internal=LogNormal(70, sigma=0.8, hi=5_000),
    )
    return build_links(
        tab,
        rng,
        groups,
        domains,
        spec,
        first_seen=window_dates(tab, rng, tactics.FOREIGN_IRRELEVANT, groups.link_site, growth=1.3),
        title=pl.col("foreign_irrelevant"),
        path=sampling.templates("_p", _FOREIGN_PATHS),
        extra={
            "_p": rng.integers(0, len(_FOREIGN_PATHS), n),
            "w1": sampling.pick_by(rng, word_groups, lang),
            "w2": sampling.pick_by(rng, word_groups, lang),
        },
    )


# The hosts an attack uses, in the order of the frames negative_seo() chooses among.
_ATTACK_HOSTS = Categorical({"spam": 0.35, "hacked": 0.2, "foreign": 0.25, "web 2.0": 0.2})


def negative_seo(tab: SiteTable, rng: np.random.Generator, counts: np.ndarray) -> pl.DataFrame:
    """A negative-SEO attack: hundreds of links within days from spam, hacked and foreign hosts."""
    groups = sampling.group_links(rng, counts, Geometric(1.4, cap=20))
    site = groups.domain_site
    nd = groups.n_domains
    source = sampling.choice(rng, nd, _ATTACK_HOSTS)
    attacker_net = per_site_groups(rng, site, UniformInt(8, 30))
    spam = spam_domains(
        tab,
        rng,
        site,
        DomainSpec(
            da=Beta(0, 25, a=1.2, b=3),
            traffic=LogNormal(5, sigma=1.5),
            traffic_zero=0.4,
            traffic_null=0.3,
            www=0.2,
            http=0.5,
        ),
        SPAM_NAMES,
        spam_tld_share=0.8,
        octets=subnet_octets(rng, attacker_net, single_ip=0.2, spread=0.5),
        foreign_share=0.3,
    )
    hacked_hosts = hacked_domains(
        tab,
        rng,
        site,
        DomainSpec(
            da=Beta(20, 65, a=2, b=2), traffic=LogNormal(1500, sigma=1.4), cdn=0.2, http=0.3
        ),
    )
    foreign = foreign_domains(
        rng,
        nd,
        DomainSpec(
            da=Beta(0, 45, a=1.4, b=2.5),
            traffic=LogNormal(100, sigma=1.8),
            traffic_null=0.25,
            http=0.4,
        ),
    )
    web20 = _web20_domains(
        tab,
        rng,
        site,
        DomainSpec(da=Beta(1, 30, a=1.5, b=2.5), traffic=LogNormal(1, sigma=1.5), traffic_zero=0.6),
        SPAM_NAMES,
    )
    domains = choose_frames(source, (spam, hacked_hosts, foreign, web20))
    n = groups.n_links
    link_site = groups.link_site
    days = attack_days(tab, rng, link_site)
    spec = LinkSpec(
        anchors=Categorical({POISON: 0.55, FOREIGN_SPAM: 0.15, MONEY: 0.2, URL: 0.1}),
        contexts=Categorical({"injected": 0.5, "none": 0.5}),
        nofollow=0.1,
        alive=0.9,
        external=LogNormal(400, sigma=1.2, lo=5, hi=20_000),
        internal=LogNormal(10, sigma=1.0, hi=5_000),
        link_types=Categorical({"text": 0.9, "image": 0.04, "frame": 0.03, "redirect": 0.03}),
        empty_image=0.3,
    )
    pages = _template_pages(
        rng, n, vocab.INJECTED_TITLES + vocab.FARM_TITLES, vocab.HACKED_PATHS + vocab.FARM_PATHS
    )
    # Foreign hosts keep their own irrelevant titles.
    pages["title"] = english_or_foreign(pages["title"], foreign="foreign_irrelevant")
    return build_links(tab, rng, groups, domains, spec, first_seen=days, **pages)


BUILDERS: dict[str, Builder] = {
    tactics.NEWS: news,
    tactics.NICHE_BLOG: niche_blog,
    tactics.SMALL_BLOG: small_blog,
    tactics.FORUM_UGC: forum_ugc,
    tactics.WIKI_SOCIAL: wiki_social,
    tactics.PARTNER_SITEWIDE: partner_sitewide,
    tactics.RESOURCE_PAGE: resource_page,
    tactics.PRESS_SPONSORED: press_sponsored,
    tactics.SCRAPER: scraper,
    tactics.PBN: pbn,
    tactics.LINK_FARM: link_farm,
    tactics.DIRECTORY: directory,
    tactics.HACKED: hacked,
    tactics.COMMENT_SPAM: comment_spam,
    tactics.WEB20_WHEEL: web20_wheel,
    tactics.PAID_FOOTER: paid_footer,
    tactics.FOREIGN_IRRELEVANT: foreign_irrelevant,
    tactics.NEGATIVE_SEO: negative_seo,
}
