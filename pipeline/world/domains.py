"""Referring domains: believable names per population and language, and per-domain attributes.

A domain's links share its host, IP, authority, traffic, country and language; these helpers draw
one row per domain, which the link builders then repeat for each of its links.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import polars as pl

from features import schema
from pipeline.world import sampling, vocab
from pipeline.world.common import ENGLISH, HOST, HTTP, LANG, SHARED, WWW, SiteTable
from pipeline.world.dists import Beta, Categorical, LogNormal, UniformInt

# --- Names ------------------------------------------------------------------------------------

# (domain label, display name) templates over the columns made by draw_words().
BLOG_NAMES = (
    ("the{adj}{word}", "The {Adj} {Word}"),
    ("{first}{word}s", "{First}'s {Word}s"),
    ("{word}{blogword}", "{Word} {Blogword}"),
    ("{first}-{last}", "{First} {Last}"),
    ("{adj}-{word}-{blogword}", "{Adj} {Word} {Blogword}"),
    ("{first}{last}", "{First} {Last}"),
    ("{word}with{first}", "{Word} with {First}"),
    ("{first}s{word}{blogword}", "{First}'s {Word} {Blogword}"),
)
UNRELATED_BLOG_NAMES = (
    ("{uword}{blogword}", "{Uword} {Blogword}"),
    ("the{adj}{uword}", "The {Adj} {Uword}"),
    ("{first}s{uword}", "{First}'s {Uword}"),
    ("{uword}{media}", "{Uword} {Media}"),
    ("{adj}{uword}{blogword}", "{Adj} {Uword} {Blogword}"),
    ("{town}{uword}", "{Town} {Uword}"),
)
NEWS_NAMES = (
    ("{prefix}{suffix}", "The {Prefix} {Suffix}"),
    ("the{prefix}{suffix}", "The {Prefix} {Suffix}"),
    ("{town}{suffix}", "{Town} {Suffix}"),
    ("{prefix}{suffix}online", "{Prefix} {Suffix}"),
)
TRADE_NAMES = (
    ("{word}{media}", "{Word} {Media}"),
    ("the{word}{media}", "The {Word} {Media}"),
    ("{noun}{media}", "{Noun} {Media}"),
)
COMPANY_NAMES = (
    ("{cword}{csuffix}", "{Cword} {Csuffix}"),
    ("{cword}{word}", "{Cword} {Word}"),
    ("{word}{csuffix}", "{Word} {Csuffix}"),
    ("{cword}-{noun}", "{Cword} {Noun}"),
)
FORUM_NAMES = (
    ("{word}{forum}", "{Word} {Forum}"),
    ("the{word}{forum}", "The {Word} {Forum}"),
    ("{town}{word}{forum}", "{Town} {Word} {Forum}"),
    ("{noun}{forum}", "{Noun} {Forum}"),
)
UNRELATED_FORUM_NAMES = (
    ("{uword}{forum}", "{Uword} {Forum}"),
    ("the{uword}{forum}", "The {Uword} {Forum}"),
    ("{town}{uword}{forum}", "{Town} {Uword} {Forum}"),
)
RESOURCE_NAMES = (
    ("{town}library", "{Town} Library"),
    ("{town}publiclibrary", "{Town} Public Library"),
    ("{town}{word}club", "{Town} {Word} Club"),
    ("{word}association", "{Word} Association"),
    ("{town}{word}association", "{Town} {Word} Association"),
    ("{town}council", "{Town} Council"),
    ("{town}chamber", "{Town} Chamber of Commerce"),
    ("{word}society", "{Word} Society"),
    ("{town}{word}society", "{Town} {Word} Society"),
    ("{town}communitycentre", "{Town} Community Centre"),
    ("{town}museum", "{Town} Museum"),
    ("{town}historicalsociety", "{Town} Historical Society"),
    ("{town}highschool", "{Town} High School"),
    ("{town}{word}group", "{Town} {Word} Group"),
    ("{word}trust", "{Word} Trust"),
    ("{last}foundation", "{Last} Foundation"),
    ("{town}{word}network", "{Town} {Word} Network"),
)
HACKED_NAMES = (
    ("{town}bistro", "{Town} Bistro"),
    ("the{adj}kitchen", "The {Adj} Kitchen"),
    ("stmarys{town}", "St Mary's {Town}"),
    ("grace{town}church", "Grace Church {Town}"),
    ("{last}dental", "{Last} Dental"),
    ("{town}autorepair", "{Town} Auto Repair"),
    ("{town}township", "{Town} Township"),
    ("{town}rotaryclub", "{Town} Rotary Club"),
    ("{last}lawoffice", "{Last} Law Office"),
    ("{town}pta", "{Town} PTA"),
    ("{last}andsons", "{Last} & Sons"),
    ("{town}yoga", "{Town} Yoga"),
    ("{town}bakery", "{Town} Bakery"),
    ("{last}photography", "{Last} Photography"),
)
EXPIRED_NAMES = (
    ("{town}{event}", "{Town} {Event}"),
    ("{first}{last}{trade}", "{First} {Last} {Trade}"),
    ("the{adj}{word2}", "The {Adj} {Word2}"),
    ("{adj}{word2}{trade}", "{Adj} {Word2} {Trade}"),
    ("{town}{word2}", "{Town} {Word2}"),
    ("{last}{trade}", "{Last} {Trade}"),
    ("{town}{event}{year}", "{Town} {Event} {year}"),
)
SPAM_NAMES = (
    ("{s1}-{s2}-{s3}{tail}", "{S1} {S2} {S3}"),
    ("{s1}{s2}{tail}", "{S1} {S2}"),
    ("{s1}-{s2}{num}", "{S1} {S2}"),
    ("{s1}{s2}{s3}", "{S1} {S2} {S3}"),
    ("{s1}-{uword}-{s2}", "{S1} {Uword} {S2}"),
)
DIRECTORY_NAMES = (
    ("{s1}{s2}directory", "{S1} {S2} Directory"),
    ("{word}-directory", "{Word} Directory"),
    ("dir-{s1}{tail}", "Dir {S1}"),
    ("{s1}links{tail}", "{S1} Links"),
    ("{town}business-directory", "{Town} Business Directory"),
    ("{s1}-{s2}-list", "{S1} {S2} List"),
    ("{town}{s1}", "{Town} {S1}"),
)
SCRAPER_NAMES = (
    ("{word}{scraper}{num}", "{Word} {Scraper}"),
    ("{scraper}-{word}", "{Scraper} {Word}"),
    ("{uword}{scraper}", "{Uword} {Scraper}"),
    ("{word}{scraper}", "{Word} {Scraper}"),
    ("{s1}{scraper}{tail}", "{S1} {Scraper}"),
)
WHEEL_NAMES = (
    ("{kw}{num}", "{Kw}"),
    ("{kw}-tips", "{Kw} Tips"),
    ("best{word}guide{num}", "Best {Word} Guide"),
    ("{kw}-{first}", "{Kw}"),
    ("{word}{blogword}{num}", "{Word} {Blogword}"),
    ("{kw}-info", "{Kw} Info"),
)

_WORD_POOLS: dict[str, tuple[str, ...]] = {
    "first": vocab.FIRST_NAMES,
    "last": vocab.LAST_NAMES,
    "adj": vocab.ADJECTIVES,
    "town": vocab.TOWNS,
    "blogword": vocab.BLOG_WORDS,
    "prefix": vocab.NEWS_PREFIX,
    "suffix": vocab.NEWS_SUFFIX,
    "media": vocab.MEDIA_SUFFIX,
    "cword": vocab.COMPANY_WORDS,
    "csuffix": vocab.COMPANY_SUFFIX,
    "event": vocab.EXPIRED_EVENTS,
    "trade": vocab.EXPIRED_TRADES,
    "word2": vocab.EXPIRED_WORDS,
    "uword": vocab.UNRELATED_WORDS,
    "s1": vocab.SPAM_NAME_WORDS,
    "s2": vocab.SPAM_NAME_WORDS,
    "s3": vocab.SPAM_NAME_WORDS,
    "tail": vocab.SPAM_NAME_TAILS,
    "forum": vocab.FORUM_SUFFIX,
    "scraper": vocab.SCRAPER_WORDS,
    "dept": vocab.UNIVERSITY_DEPTS,
}


def draw_words(tab: SiteTable, rng: np.random.Generator, site: np.ndarray) -> pl.DataFrame:
    """One row of name parts per domain: every pool, plus the site's own words, lower and Title.

    Drawing every pool for every row costs a few gathers and keeps name templates declarative.
    """
    n = len(site)
    cols: dict[str, pl.Series | np.ndarray] = {
        name: sampling.pick(rng, pool, n) for name, pool in _WORD_POOLS.items()
    }
    cols["word"] = sampling.pick_by(rng, tab.name_words, site)
    cols["noun"] = sampling.pick_by(rng, tab.topic_nouns, site)
    money = sampling.pick_by(rng, tab.money, site)
    cols["kw"] = money.str.replace_all(" ", "-")
    cols["num"] = rng.integers(2, 100, n)
    cols["year"] = rng.integers(2008, 2019, n)
    frame = pl.DataFrame(cols)
    text = [name for name, dtype in frame.schema.items() if dtype == pl.String]
    return frame.with_columns(
        pl.col(name).str.replace_all("-", " ").str.to_titlecase().alias(name.capitalize())
        for name in text
    )


def draw_names(
    words: pl.DataFrame, rng: np.random.Generator, patterns: Sequence[tuple[str, str]]
) -> pl.DataFrame:
    """Domain labels and display names from ``(label, display)`` templates, equally likely."""
    n = words.height
    idx = sampling.choice(rng, n, Categorical.uniform(patterns))
    frame = words.with_columns(_pat=pl.Series(idx))
    return frame.select(
        sampling.templates("_pat", [p[0] for p in patterns]).str.to_lowercase().alias("label"),
        sampling.templates("_pat", [p[1] for p in patterns]).alias("name"),
    )


def legit_tld(rng: np.random.Generator, n: int) -> pl.Series:
    """TLDs of ordinary English-language sites, .com first."""
    return sampling.pick(rng, vocab.LEGIT_TLDS, n)


def english_country(tld: pl.Series, rng: np.random.Generator) -> pl.Series:
    """Country from a country-code TLD, else an English-speaking country by weight."""
    fallback = sampling.pick(rng, vocab.ENGLISH_COUNTRIES, len(tld))
    frame = pl.DataFrame({"tld": tld, "fallback": fallback})
    keys = list(vocab.TLD_COUNTRY)
    return frame.select(
        pl.when(pl.col("tld").is_in(keys))
        .then(pl.col("tld").replace(vocab.TLD_COUNTRY))
        .otherwise(pl.col("fallback"))
    ).to_series()


def foreign_names(rng: np.random.Generator, lang: np.ndarray) -> pl.DataFrame:
    """Domain labels, TLDs, countries and display names for domains in other languages."""
    n = len(lang)
    groups = vocab.by_language(vocab.LANG_NAME_WORDS)
    frame = pl.DataFrame(
        {
            "w1": sampling.pick_by(rng, groups, lang),
            "w2": sampling.pick_by(rng, groups, lang),
            "num": rng.integers(1, 999, n),
            "_pat": rng.integers(0, 4, n),
            "tld": sampling.pick_by(rng, vocab.by_language(vocab.LANG_TLDS), lang),
            "country": sampling.pick_by(rng, vocab.by_language(vocab.LANG_COUNTRIES), lang),
        }
    )
    return frame.select(
        sampling.templates("_pat", ["{w1}{w2}", "{w1}-{w2}", "{w1}{w2}{num}", "{w1}{num}"]).alias(
            "label"
        ),
        pl.concat_str([pl.col("w1"), pl.col("w2")], separator=" ").str.to_titlecase().alias("name"),
        "tld",
        "country",
    )


def lang_codes(lang: np.ndarray) -> pl.Series:
    """ISO 639-1 codes from language indices (-1 is English)."""
    codes = pl.Series(["en", *vocab.LANGUAGES], dtype=pl.String)
    return codes.gather(lang + 1)


# --- Domain attributes --------------------------------------------------------------------------


@dataclass(frozen=True)
class DomainSpec:
    """How a population's referring domains look (all per domain, shared by its links).

    The shares are probabilities per domain, drawn independently of each other.
    """

    da: Beta  # domain authority, 0-100
    traffic: LogNormal  # monthly organic visits
    traffic_zero: float = 0.0  # share of domains with no measurable traffic
    traffic_null: float = 0.1  # share of domains whose traffic the export lacks
    cdn: float = 0.3  # share of domains behind a shared CDN range
    www: float = 0.5  # share of domains whose URLs start with "www."
    http: float = 0.1  # share of domains still served over plain http
    ip_null: float = 0.25  # real exports often lack the IP (about 20% of all rows)
    country_null: float = 0.08  # share of domains whose country the export lacks


def domain_frame(
    rng: np.random.Generator,
    spec: DomainSpec,
    host: pl.Series,
    name: pl.Series,
    country: pl.Series,
    lang: np.ndarray,
    *,
    octets: np.ndarray | None = None,
    ip: pl.Series | None = None,
    sitewide: np.ndarray | None = None,
    www: np.ndarray | None = None,
) -> pl.DataFrame:
    """The per-domain frame: host, display name, authority, traffic, IP, country, language."""
    n = len(host)
    da = sampling.beta(rng, n, spec.da)
    traffic = sampling.lognormal(rng, n, spec.traffic)
    traffic[sampling.mask(rng, n, spec.traffic_zero)] = 0.0
    if ip is None:
        ip = sampling.ip_strings(octets if octets is not None else sampling.ipv4(rng, n, spec.cdn))
    frame = pl.DataFrame(
        {
            HOST: host,
            "_name": name,
            schema.DOMAIN_AUTHORITY: da,
            schema.DOMAIN_TRAFFIC: traffic,
            schema.SOURCE_IP: ip,
            schema.SOURCE_COUNTRY: country,
            LANG: lang,
            WWW: www if www is not None else sampling.mask(rng, n, spec.www),
            HTTP: sampling.mask(rng, n, spec.http),
            schema.SITEWIDE: sitewide if sitewide is not None else np.zeros(n, dtype=bool),
            SHARED: np.zeros(n, dtype=bool),
        }
    )
    return frame.with_columns(
        pl.when(pl.Series(sampling.mask(rng, n, spec.traffic_null)))
        .then(None)
        .otherwise(pl.col(schema.DOMAIN_TRAFFIC))
        .alias(schema.DOMAIN_TRAFFIC),
        pl.when(pl.Series(sampling.mask(rng, n, spec.ip_null)))
        .then(None)
        .otherwise(pl.col(schema.SOURCE_IP))
        .alias(schema.SOURCE_IP),
        pl.when(pl.Series(sampling.mask(rng, n, spec.country_null)))
        .then(None)
        .otherwise(pl.col(schema.SOURCE_COUNTRY))
        .alias(schema.SOURCE_COUNTRY),
    )


def join_host(label: pl.Series, suffix: pl.Series | str) -> pl.Series:
    """``label.suffix`` as one Series."""
    frame = pl.DataFrame({"label": label, "suffix": suffix})
    return frame.select(
        pl.concat_str([pl.col("label"), pl.col("suffix")], separator=".")
    ).to_series()


def english_domains(
    tab: SiteTable,
    rng: np.random.Generator,
    site: np.ndarray,
    spec: DomainSpec,
    patterns: Sequence[tuple[str, str]],
    *,
    tlds: Categorical[str] = vocab.LEGIT_TLDS,
    foreign_share: np.ndarray | float = 0.0,
    foreign_langs: Sequence[str] = ("de", "es", "fr", "pl"),
    sitewide: np.ndarray | None = None,
) -> pl.DataFrame:
    """Domains named from English patterns, a ``foreign_share`` of them in another language."""
    n = len(site)
    names = draw_names(draw_words(tab, rng, site), rng, patterns)
    tld = sampling.pick(rng, tlds, n)
    country = english_country(tld, rng)
    lang = np.full(n, ENGLISH, dtype=np.int64)
    label, name = names["label"], names["name"]
    foreign = sampling.mask(rng, n, foreign_share)
    if foreign.any():
        codes = np.array([vocab.LANGUAGES.index(code) for code in foreign_langs])
        lang[foreign] = codes[rng.integers(0, len(codes), int(foreign.sum()))]
        other = foreign_names(rng, lang[foreign])
        at = pl.Series(np.flatnonzero(foreign))
        label = label.scatter(at, other["label"])
        name = name.scatter(at, other["name"])
        tld = tld.scatter(at, other["tld"])
        country = country.scatter(at, other["country"])
    return domain_frame(rng, spec, join_host(label, tld), name, country, lang, sitewide=sitewide)


def spam_domains(
    tab: SiteTable,
    rng: np.random.Generator,
    site: np.ndarray,
    spec: DomainSpec,
    patterns: Sequence[tuple[str, str]],
    spam_tld_share: float,
    *,
    octets: np.ndarray | None = None,
    foreign_share: float = 0.0,
) -> pl.DataFrame:
    """Machine-made names on spam TLDs (``spam_tld_share``) or ordinary ones."""
    n = len(site)
    names = draw_names(draw_words(tab, rng, site), rng, patterns)
    spam_tld = sampling.mask(rng, n, spam_tld_share)
    tld = pl.select(
        pl.when(pl.Series(spam_tld))
        .then(pl.lit(sampling.pick(rng, vocab.SPAM_TLDS, n)))
        .otherwise(pl.lit(legit_tld(rng, n)))
    ).to_series()
    country = english_country(tld, rng)
    lang = np.full(n, ENGLISH, dtype=np.int64)
    foreign = sampling.mask(rng, n, foreign_share)
    lang[foreign] = rng.integers(0, len(vocab.LANGUAGES), int(foreign.sum()))
    country = country.scatter(
        pl.Series(np.flatnonzero(foreign)),
        sampling.pick_by(rng, vocab.by_language(vocab.LANG_COUNTRIES), lang[foreign]),
    )
    host = join_host(names["label"], tld)
    return domain_frame(rng, spec, host, names["name"], country, lang, octets=octets)


def platform_domains(hosts: Sequence[str], n_sites: int) -> pl.DataFrame:
    """Fixed platform domains, one row per (site, platform), identical for every site.

    Row ``site * len(hosts) + k`` is platform ``k`` for target ``site``; reddit.com has the same
    authority, traffic and IP in every profile.
    """
    with_www = {"reddit.com", "linkedin.com", "facebook.com", "pinterest.com", "youtube.com"}
    rows = [vocab.PLATFORMS[h] for h in hosts]
    m = len(hosts) * n_sites
    return pl.DataFrame(
        {
            HOST: list(hosts) * n_sites,
            "_name": [h.split(".")[-2].capitalize() for h in hosts] * n_sites,
            schema.DOMAIN_AUTHORITY: [r.authority for r in rows] * n_sites,
            schema.DOMAIN_TRAFFIC: [r.traffic for r in rows] * n_sites,
            schema.SOURCE_IP: [r.ip for r in rows] * n_sites,
            schema.SOURCE_COUNTRY: [r.country for r in rows] * n_sites,
            LANG: [ENGLISH] * m,
            WWW: [h in with_www for h in hosts] * n_sites,
            HTTP: [False] * m,
            schema.SITEWIDE: [False] * m,
            SHARED: [True] * m,
        },
        schema_overrides={LANG: pl.Int64},
    )


def platform_groups(
    rng: np.random.Generator, counts: np.ndarray, platforms: Categorical[str]
) -> sampling.Groups:
    """Links on fixed platforms: each link picks a platform; domain = (site, platform)."""
    site = np.repeat(np.arange(len(counts), dtype=np.int64), counts)
    platform = sampling.choice(rng, len(site), platforms)
    k = len(platforms)
    return sampling.Groups(site * k + platform, np.repeat(np.arange(len(counts)), k))


def mix_rows(use_first: np.ndarray, first: pl.DataFrame, second: pl.DataFrame) -> pl.DataFrame:
    """Row-wise choice between two equally long frames with the same columns."""
    return choose_frames(np.where(use_first, 0, 1), (first, second))


def choose_frames(index: np.ndarray, frames: Sequence[pl.DataFrame]) -> pl.DataFrame:
    """Row ``i`` of ``frames[index[i]]`` for every ``i`` (equally long frames, same columns)."""
    n = len(index)
    columns = frames[0].columns
    stacked = pl.concat([f.select(columns) for f in frames], how="vertical_relaxed")
    return stacked[index.astype(np.int64) * n + np.arange(n)]


FREE_HOST_IP = dict(zip(vocab.FREE_HOSTS, vocab.FREE_HOST_IPS, strict=True)) | {
    "substack.com": "104.18.33.181",
    "medium.com": vocab.PLATFORMS["medium.com"].ip,
}


def on_free_hosts(
    rng: np.random.Generator, domains: pl.DataFrame, rows: np.ndarray, hosts: Sequence[str]
) -> pl.DataFrame:
    """Move the chosen domains onto free-host subdomains (``name.blogspot.com``) and their IPs."""
    n = domains.height
    host = sampling.pick(rng, hosts, n)
    ip = host.replace_strict(FREE_HOST_IP, return_dtype=pl.String)
    label = domains[HOST].str.extract(r"^([^.]+)").str.replace_all("-", "")
    return domains.with_columns(
        pl.when(pl.Series(rows))
        .then(pl.concat_str([pl.lit(label), pl.lit("."), pl.lit(host)]))
        .otherwise(pl.col(HOST))
        .alias(HOST),
        pl.when(pl.Series(rows) & pl.col(schema.SOURCE_IP).is_not_null())
        .then(pl.lit(ip))
        .otherwise(pl.col(schema.SOURCE_IP))
        .alias(schema.SOURCE_IP),
        pl.when(pl.Series(rows)).then(False).otherwise(pl.col(WWW)).alias(WWW),
        pl.when(pl.Series(rows)).then(False).otherwise(pl.col(HTTP)).alias(HTTP),
    )


def stack_groups(
    *parts: tuple[sampling.Groups, pl.DataFrame],
) -> tuple[sampling.Groups, pl.DataFrame]:
    """Concatenate several (groups, domains) pairs into one, renumbering domains."""
    links: list[np.ndarray] = []
    sites: list[np.ndarray] = []
    offset = 0
    for groups, _ in parts:
        links.append(groups.link_domain + offset)
        sites.append(groups.domain_site)
        offset += groups.n_domains
    columns = parts[0][1].columns
    stacked = pl.concat([f.select(columns) for _, f in parts], how="vertical_relaxed")
    return sampling.Groups(np.concatenate(links), np.concatenate(sites)), stacked


_WIRE_AUTHORITY = Beta(40, 78, a=2, b=2)
_WIRE_TRAFFIC = LogNormal(40_000, sigma=1.0)


def press_wires(rng_seed: int, n_sites: int) -> pl.DataFrame:
    """Press-release wires: fixed hosts whose attributes are the same in every profile."""
    fixed = np.random.default_rng(rng_seed)  # a constant seed: wires are part of the world's map
    k = len(vocab.PRESS_HOSTS)
    da = sampling.beta(fixed, k, _WIRE_AUTHORITY)
    traffic = sampling.lognormal(fixed, k, _WIRE_TRAFFIC)
    ip = sampling.ip_strings(sampling.ipv4(fixed, k, 0.5))
    tld = sampling.pick(fixed, ("com", "net", "com", "org"), k)
    host = join_host(pl.Series(list(vocab.PRESS_HOSTS)), tld)
    one = pl.DataFrame(
        {
            HOST: host,
            "_name": pl.Series(list(vocab.PRESS_HOSTS)).str.to_titlecase(),
            schema.DOMAIN_AUTHORITY: da,
            schema.DOMAIN_TRAFFIC: traffic,
            schema.SOURCE_IP: ip,
            schema.SOURCE_COUNTRY: ["US"] * k,
            LANG: np.full(k, ENGLISH, dtype=np.int64),
            WWW: np.ones(k, dtype=bool),
            HTTP: np.zeros(k, dtype=bool),
            schema.SITEWIDE: np.zeros(k, dtype=bool),
            SHARED: np.ones(k, dtype=bool),
        }
    )
    return pl.concat([one] * n_sites)


# --- Networks and the hosts toxic tactics use -------------------------------------------------


def subnet_octets(
    rng: np.random.Generator, group: np.ndarray, single_ip: float, spread: float
) -> np.ndarray:
    """IPs for domains in groups (networks, farms): each group shares one /24, or even one IP.

    A ``spread`` share of groups sits on two or three neighbouring /24s of one provider instead.
    """
    n_groups = int(group.max()) + 1 if len(group) else 0
    base = sampling.ipv4(rng, n_groups)
    octets = base[group].copy()
    one_ip = sampling.mask(rng, n_groups, single_ip)[group]
    spread_rows = sampling.mask(rng, n_groups, spread)[group]
    octets[:, 3] = np.where(one_ip, octets[:, 3], rng.integers(2, 254, len(group)))
    octets[:, 2] = np.where(
        spread_rows & ~one_ip, (octets[:, 2] + rng.integers(0, 3, len(group))) % 256, octets[:, 2]
    )
    return octets


def per_site_groups(
    rng: np.random.Generator, domain_site: np.ndarray, members: UniformInt
) -> np.ndarray:
    """Group each site's domains into networks of ``members`` domains; ids unique across sites."""
    group = np.zeros(len(domain_site), dtype=np.int64)
    offset = 0
    for site in np.unique(domain_site).tolist():
        rows = np.flatnonzero(domain_site == site)
        local = sampling.split_groups(rng, len(rows), members)
        group[rows] = local + offset
        offset += int(local.max()) + 1 if len(local) else 0
    return group


_HACKED_TLDS: Categorical[str] = Categorical(
    {
        "com": 0.45,
        "org": 0.25,
        "net": 0.08,
        "co.uk": 0.07,
        "org.uk": 0.05,
        "us": 0.04,
        "ca": 0.03,
        "com.au": 0.03,
    }
)


def hacked_domains(
    tab: SiteTable, rng: np.random.Generator, site: np.ndarray, spec: DomainSpec
) -> pl.DataFrame:
    """Ordinary small organisations (restaurants, churches, university departments)."""
    n = len(site)
    words = draw_words(tab, rng, site)
    names = draw_names(words, rng, HACKED_NAMES)
    tld = sampling.pick(rng, _HACKED_TLDS, n)
    host = join_host(names["label"], tld)
    # University departments: an ordinary subdomain of a trusted domain.
    uni = sampling.mask(rng, n, 0.15)
    uni_host = pl.select(
        pl.concat_str(
            [
                words["dept"],
                pl.lit("."),
                words["town"],
                pl.lit(sampling.pick(rng, ("state.edu", "college.edu", "uni.ac.uk"), n)),
            ]
        )
    ).to_series()
    host = pl.select(
        pl.when(pl.Series(uni)).then(pl.lit(uni_host)).otherwise(pl.lit(host))
    ).to_series()
    name = pl.select(
        pl.when(pl.Series(uni))
        .then(pl.concat_str([words["Dept"], pl.lit(" | "), words["Town"], pl.lit(" University")]))
        .otherwise(pl.lit(names["name"]))
    ).to_series()
    www = sampling.mask(rng, n, spec.www) & ~uni
    return domain_frame(
        rng,
        spec,
        host,
        name,
        english_country(tld, rng),
        np.full(n, ENGLISH, dtype=np.int64),
        www=www,
    )


def comment_hosts(
    tab: SiteTable, rng: np.random.Generator, site: np.ndarray, spec: DomainSpec
) -> pl.DataFrame:
    """Blogs and forums of any topic whose comment sections and profiles get spammed."""
    blogs = english_domains(tab, rng, site, spec, UNRELATED_BLOG_NAMES + BLOG_NAMES)
    forums = english_domains(tab, rng, site, spec, UNRELATED_FORUM_NAMES + FORUM_NAMES)
    return mix_rows(sampling.mask(rng, len(site), 0.6), blogs, forums)


_FOREIGN_SHARES = {"ru": 0.25, "zh": 0.2, "pl": 0.15, "id": 0.15, "de": 0.1, "es": 0.1, "fr": 0.05}
# In vocab.LANGUAGES order, so that a drawn index is a language index.
FOREIGN_LANGUAGES = Categorical({code: _FOREIGN_SHARES[code] for code in vocab.LANGUAGES})


def foreign_domains(rng: np.random.Generator, n: int, spec: DomainSpec) -> pl.DataFrame:
    """Domains in other languages (Russian, Chinese, Polish... by FOREIGN_LANGUAGES)."""
    lang = sampling.choice(rng, n, FOREIGN_LANGUAGES)
    names = foreign_names(rng, lang)
    return domain_frame(
        rng, spec, join_host(names["label"], names["tld"]), names["name"], names["country"], lang
    )
