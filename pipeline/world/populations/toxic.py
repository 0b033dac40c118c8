"""The nine toxic tactics: links a careful human reviewer disavows or removes (label 1).

Each leaves the footprints audit tools look for (shared subnets, repeated templates, spam TLDs,
poison anchors, bursts), and each builder follows its entry under "Toxic tactics" in
docs/synthetic-world.md.
"""

from __future__ import annotations

from collections.abc import Sequence

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
    LANG,
    MONEY,
    NAKED_TARGET,
    PARTIAL,
    POISON,
    STUFFED,
    URL,
    Builder,
    SiteTable,
)
from pipeline.world.dists import Beta, Categorical, Geometric, LogNormal, Mixture, UniformInt
from pipeline.world.domains import (
    DIRECTORY_NAMES,
    EXPIRED_NAMES,
    SPAM_NAMES,
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
    on_free_hosts,
    per_site_groups,
    spam_domains,
    subnet_octets,
)
from pipeline.world.links import (
    LinkSpec,
    attack_days,
    build_links,
    english_or_foreign,
    home_then,
    lagged,
    window_dates,
)
from pipeline.world.populations.pages import template_pages, with_site_name


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
        **template_pages(rng, len(built), vocab.PBN_TITLES, vocab.PBN_PATHS, per_link=link_network),
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
        **template_pages(rng, n, vocab.FARM_TITLES, vocab.FARM_PATHS),
    )


_DIRECTORY_SIZES = Mixture(
    share=0.005, then=LogNormal(120, sigma=1.0, lo=20, hi=3_000), otherwise=Geometric(1.3, cap=6)
)


def directory(tab: SiteTable, rng: np.random.Generator, counts: np.ndarray) -> pl.DataFrame:
    """Spammy web directories: listings with brand or money anchors, submitted in blasts.

    Most list the site on a page or two; a few big ones repeat the listing on every category
    page (hundreds of links from one domain, as real directories in disavow files do)."""
    groups = sampling.group_links(rng, counts, _DIRECTORY_SIZES)
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
    pages = template_pages(rng, n, vocab.DIRECTORY_TITLES, vocab.DIRECTORY_PATHS)
    links = build_links(tab, rng, groups, domains, spec, first_seen=days, **pages)
    # A report page named after the site (SEO statistics, site info, "similar sites") is not a
    # listing among hundreds: it carries a handful of outbound links, often nofollow (real
    # SEO-checker pages: 2 to 20).
    named = [i for i, path in enumerate(vocab.DIRECTORY_PATHS) if "{target_host}" in path]
    report = pl.Series(np.isin(pages["extra"]["_p"], named))
    outbound = sampling.lognormal(rng, n, SEO_REPORT_EXTERNAL)
    nofollow = sampling.mask(rng, n, SEO_REPORT_NOFOLLOW)
    return links.with_columns(
        pl.when(pl.lit(report))
        .then(pl.lit(pl.Series(outbound)).cast(links.schema[schema.EXTERNAL_LINKS]))
        .otherwise(pl.col(schema.EXTERNAL_LINKS))
        .alias(schema.EXTERNAL_LINKS),
        pl.when(pl.lit(report))
        .then(pl.lit(pl.Series(nofollow)))
        .otherwise(pl.col(schema.NOFOLLOW))
        .alias(schema.NOFOLLOW),
    )


# Report pages of the directory tactic (paths naming the site's host): few outbound links.
SEO_REPORT_EXTERNAL = LogNormal(8, sigma=0.9, lo=1, hi=120)
SEO_REPORT_NOFOLLOW = 0.5


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
                with_site_name("_unrel", " - "),
                with_site_name("_unrel", " | "),
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
                with_site_name("_unrel", " | "),
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
    pages = template_pages(
        rng, n, vocab.INJECTED_TITLES + vocab.FARM_TITLES, vocab.HACKED_PATHS + vocab.FARM_PATHS
    )
    # Foreign hosts keep their own irrelevant titles.
    pages["title"] = english_or_foreign(pages["title"], foreign="foreign_irrelevant")
    return build_links(tab, rng, groups, domains, spec, first_seen=days, **pages)


BUILDERS: dict[str, Builder] = {
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
