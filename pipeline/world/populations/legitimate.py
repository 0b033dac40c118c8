"""The nine legitimate populations: links a careful human reviewer keeps (label 0).

Several are confounders by design: small blogs have low authority, scrapers sit on spam TLDs,
resource pages have many outbound links, partners link sitewide, press releases carry money
anchors. Each builder follows its entry under "Legitimate populations" in
docs/synthetic-world.md.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import polars as pl

from features import schema
from pipeline.world import sampling, tactics, vocab
from pipeline.world.common import (
    BRAND,
    COMPOUND,
    GENERIC,
    HOST,
    MONEY,
    NAKED_TARGET,
    PARTIAL,
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
)
from pipeline.world.domains import (
    BLOG_NAMES,
    COMPANY_NAMES,
    FORUM_NAMES,
    NEWS_NAMES,
    RESOURCE_NAMES,
    SCRAPER_NAMES,
    TRADE_NAMES,
    UNRELATED_BLOG_NAMES,
    DomainSpec,
    english_domains,
    mix_rows,
    on_free_hosts,
    platform_domains,
    platform_groups,
    press_wires,
    spam_domains,
    stack_groups,
)
from pipeline.world.links import (
    LinkSpec,
    build_links,
    english_or_foreign,
    lagged,
    organic_dates,
    sidebar,
)
from pipeline.world.populations.pages import Pages, template_pages, with_site_name


def _article_pages(rng: np.random.Generator, n: int, sep: str, paths: Sequence[str]) -> Pages:
    """Editorial pages: headline and site name (or a title in the domain's own language), and
    one of ``paths`` per link."""
    return {
        "title": english_or_foreign(with_site_name("headline", sep)),
        "path": sampling.templates("_p", paths),
        "extra": {"_p": rng.integers(0, len(paths), n)},
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


_NEWS_SIZES = Mixture(
    share=0.01, then=LogNormal(150, sigma=1.0, lo=20, hi=3_000), otherwise=Geometric(1.8, cap=30)
)


def news(tab: SiteTable, rng: np.random.Generator, counts: np.ndarray) -> pl.DataFrame:
    """Major news and trade media: high authority, huge traffic, editorial in-content links.

    A few big outlets link hundreds of times (archives, tag and topic pages, a puzzle blog), with
    varied anchors, as real media domains do in real profiles."""
    groups = sampling.group_links(rng, counts, _NEWS_SIZES)
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
        .otherwise(with_site_name("q", " | "))
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
    extra: dict[str, Any] = {
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
        **template_pages(
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
        **template_pages(rng, groups.n_links, vocab.RESOURCE_TITLES, vocab.RESOURCE_PATHS),
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
        **template_pages(rng, n, vocab.PRESS_TITLES, vocab.PRESS_PATHS),
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
        .otherwise(with_site_name("article", " – ")),
        path=sampling.templates(
            "_p", [p.replace("{slug}", "{article_slug}") for p in vocab.SCRAPER_PATHS]
        ),
        extra={
            "_t": rng.integers(0, 2, n),
            "_p": rng.integers(0, len(vocab.SCRAPER_PATHS), n),
        },
    )


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
}
