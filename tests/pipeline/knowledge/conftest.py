"""A tiny fake copy of every source, in the upstream layouts, written into tmp_path."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from models.names import NameModelConfig
from pipeline.knowledge.sources import KnowledgeSources

SPAM_STEMS = ("casino", "bet", "slots", "pills", "cheap", "loan", "seo", "poker", "viagra")
LEGIT_STEMS = ("garden", "times", "library", "school", "bakery", "museum", "journal", "tribune")

# A small grid so that the build tests stay quick.
TEST_GRID = (NameModelConfig(1, 4, 1.0, 1), NameModelConfig(2, 4, 0.3, 1))


def spam_names(stem: str, n: int, tld: str) -> list[str]:
    return [f"{stem}-{i}{stem[::-1]}.{tld}" for i in range(n)]


def legit_names(stem: str, n: int, tld: str) -> list[str]:
    return [f"{stem}{word}.{tld}" for word in ("north", "south", "east", "west", "city", "old")[:n]]


def write(path: Path, lines: list[str], *, compress: bool = False) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    data = ("\n".join(lines) + "\n").encode("utf-8")
    path.write_bytes(gzip.compress(data, mtime=0) if compress else data)


# Entries with a known fate, whatever the hash says about held-out names.
SPECIAL_GAMBLING = [
    "www.luckyspin-www.net",  # the www. form of a registrable domain: kept as luckyspin-www.net
    "sub.subonly-casino.com",  # only a subdomain is listed: not kept
    "blogspot.com",  # a whole platform (public suffix): not kept
    "10.0.0.1",  # an IP: not kept
    "UPPER-Casino.COM.",  # normalised to upper-casino.com
    "inv@lid!.com",  # not a host name: invalid
    "bücher-casino.de",  # IDNA: xn--bcher-casino-...
    "both-sides.com",  # also in shopping: listed on both sides
]


def make_sources(root: Path) -> KnowledgeSources:
    ut1 = root / "ut1-blacklists"
    gambling = [h for stem in SPAM_STEMS[:3] for h in spam_names(stem, 12, "com")]
    write(ut1 / "blacklists" / "gambling" / "domains", [*gambling, *SPECIAL_GAMBLING])
    write(
        ut1 / "blacklists" / "dating" / "domains.gz",
        spam_names("date", 10, "xyz"),
        compress=True,
    )
    write(ut1 / "blacklists" / "malware" / "domains.0", spam_names("mal", 8, "top"))
    write(ut1 / "blacklists" / "malware" / "domains.1", spam_names("ware", 8, "top"))
    write(ut1 / "blacklists" / "malware" / "urls", ["pages-only.com/evil/page.html"])
    write(
        ut1 / "blacklists" / "press" / "domains",
        [h for stem in LEGIT_STEMS[:4] for h in legit_names(stem, 6, "com")],
    )
    write(
        ut1 / "blacklists" / "bank" / "domains",
        ["github.io", *legit_names("bank", 6, "co.uk"), *legit_names("credit", 6, "de")],
    )
    write(
        ut1 / "blacklists" / "shopping" / "domains",
        ["both-sides.com", *[h for stem in LEGIT_STEMS[4:] for h in legit_names(stem, 6, "fr")]],
    )
    write(ut1 / "blacklists" / "games" / "domains", ["not-a-mapped-category.com"])

    blocklist = root / "Lists"
    write(
        blocklist / "scam.txt",
        [
            "# Title: Scam Block List",
            "# Entries: 20",
            "",
            *[f"0.0.0.0 {h}" for h in spam_names("scam", 10, "info")],
            "0.0.0.0 inline-comment.biz # a comment",
        ],
    )
    write(
        blocklist / "alt-version" / "phishing-nl.txt",
        ["# Title: Phishing", *spam_names("phish", 10, "online")],
    )
    matomo = root / "referrer-spam-list"
    write(matomo / "spammers.txt", spam_names("seo", 10, "ru"))
    blocker = root / "referrer-spam-blocker"
    write(blocker / "src" / "domains.txt", [*spam_names("traffic", 10, "xyz"), "seo-0oes.ru"])

    majestic = root / "majestic_million.csv"
    popular = [
        "google.com",
        "wordpress.com",  # a platform: not kept
        "en.wikipedia.org",  # a subdomain: not kept
        *[h for stem in LEGIT_STEMS for h in legit_names(stem, 6, "org")],
        *[f"site{chr(97 + i)}{chr(97 + j)}.net" for i in range(5) for j in range(8)],
    ]
    header = "GlobalRank,TldRank,Domain,TLD,RefSubNets,RefIPs"
    rows = [f"{rank},{rank},{domain},x,1,1" for rank, domain in enumerate(popular, start=1)]
    write(majestic, [header, *rows])
    return KnowledgeSources(
        ut1=ut1,
        blocklist=blocklist,
        matomo=matomo,
        referrer_spam_blocker=blocker,
        majestic=majestic,
    )


@pytest.fixture
def sources(tmp_path: Path) -> KnowledgeSources:
    return make_sources(tmp_path / "real")
