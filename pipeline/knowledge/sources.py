"""Reading the public sources from local copies: which file holds which category, in which format.

Every reader returns raw ``(source, category, host)`` rows; normalising hosts to registrable
domains and deciding what counts happens in :mod:`pipeline.knowledge.build`. Layouts are those of
the upstream repositories (see ``data/knowledge/README.md`` for the commits used):

- ``olbat/ut1-blacklists``: ``blacklists/<category>/domains`` (one host a line; big categories are
  split into ``domains.0``, ``domains.1`` ... or gzip-compressed as ``domains.gz``);
- ``blocklistproject/Lists``: ``<list>.txt`` in hosts format (``0.0.0.0 host``), or the
  domains-only ``alt-version/<list>-nl.txt`` when the main file is absent;
- ``matomo-org/referrer-spam-list``: ``spammers.txt``;
- ``Stevie-Ray/referrer-spam-blocker``: ``src/domains.txt``;
- the Majestic Million (top rows): a CSV with ``GlobalRank`` and ``Domain`` columns.
"""

from __future__ import annotations

import gzip
import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from pipeline.errors import InputError

logger = logging.getLogger(__name__)

UT1 = "ut1"
BLOCKLIST = "blocklistproject"
MATOMO = "matomo"
REFERRER_SPAM_BLOCKER = "referrer-spam-blocker"
MAJESTIC = "majestic"

# Raw rows.
SOURCE = "source"
CATEGORY = "category"
HOST = "host"
RANK = "rank"

# Which source category feeds which group (features.knowledge.GROUPS). Categories not named here
# are not read: ads, games, jobsearch (many job-scam names), proxies under other names, ...
UT1_GROUPS: dict[str, str] = {
    "gambling": "gambling",
    "arjel": "gambling",  # gambling operators licensed in France: still gambling links
    "adult": "adult_dating",
    "dating": "adult_dating",
    "drogue": "drugs",
    "warez": "piracy",
    "phishing": "malicious",
    "malware": "malicious",
    "ddos": "malicious",
    "stalkerware": "malicious",
    "redirector": "redirector",
    "shortener": "redirector",
    "bitcoin": "crypto",
    "cryptojacking": "crypto",
    "press": "press",
    "bank": "bank",
    "liste_bu": "education",
    "educational_games": "education",
    "child": "education",
    "blog": "blog",
    "forums": "forums",
    "shopping": "shopping",
    "sports": "sports",
}
BLOCKLIST_GROUPS: dict[str, str] = {
    "phishing": "malicious",
    "malware": "malicious",
    "scam": "malicious",
    "fraud": "malicious",
    "ransomware": "malicious",
    "gambling": "gambling",
    "porn": "adult_dating",
    "drugs": "drugs",
    "piracy": "piracy",
    "torrent": "piracy",
    "redirect": "redirector",
    "crypto": "crypto",
}
REFERRER_SPAM_GROUP = "referrer_spam"

_SINK_ADDRESSES = frozenset({"0.0.0.0", "127.0.0.1", "::", "::1"})


@dataclass(frozen=True)
class KnowledgeSources:
    """Local copies of the sources; ``None`` leaves a source out (tests use a few)."""

    ut1: Path | None = None  # checkout of olbat/ut1-blacklists
    blocklist: Path | None = None  # checkout of blocklistproject/Lists
    matomo: Path | None = None  # checkout of matomo-org/referrer-spam-list
    referrer_spam_blocker: Path | None = None  # checkout of Stevie-Ray/referrer-spam-blocker
    majestic: Path | None = None  # majestic_million.csv (GlobalRank, Domain, ...)


def list_hosts(lines: Iterable[str]) -> Iterator[str]:
    """Hosts of a list file: plain ``host`` lines or hosts-file ``0.0.0.0 host`` lines.

    Comments (``#`` ...) and blank lines are skipped; the host is lower-cased, without a trailing
    dot. Anything else on the line (a second host, an inline comment) is ignored.
    """
    for line in lines:
        words = line.split("#", 1)[0].split()
        if not words:
            continue
        host = words[1] if len(words) > 1 and words[0] in _SINK_ADDRESSES else words[0]
        host = host.strip().strip(".").lower()
        if host:
            yield host


def _read_lines(path: Path) -> list[str]:
    data = path.read_bytes()
    if path.suffix == ".gz":
        data = gzip.decompress(data)
    return data.decode("utf-8", errors="replace").splitlines()


def _rows(source: str, category: str, hosts: Iterable[str]) -> pl.DataFrame:
    hosts = list(hosts)
    return pl.DataFrame(
        {
            SOURCE: pl.Series([source] * len(hosts), dtype=pl.String),
            CATEGORY: pl.Series([category] * len(hosts), dtype=pl.String),
            HOST: pl.Series(hosts, dtype=pl.String),
        }
    )


def _require_dir(path: Path, what: str) -> Path:
    if not path.is_dir():
        raise InputError(f"{path}: not a directory (expected a local copy of {what})")
    return path


def read_ut1(root: Path) -> pl.DataFrame:
    """Rows of the UT1 categories named in :data:`UT1_GROUPS` (``domains*`` files only: the
    ``urls`` files list single pages, which say nothing about a whole domain)."""
    base = _require_dir(root, "olbat/ut1-blacklists") / "blacklists"
    frames, missing = [], []
    for category in sorted(UT1_GROUPS):
        folder = base / category
        files = sorted(folder.glob("domains*")) if folder.is_dir() else []
        files = [f for f in files if f.name == "domains" or f.name.startswith("domains.")]
        if not files:
            missing.append(category)
            continue
        hosts = [host for file in files for host in list_hosts(_read_lines(file))]
        frames.append(_rows(UT1, category, hosts))
    if missing:
        logger.warning("ut1: no domains file for %s (skipped)", ", ".join(missing))
    return _concat(frames)


def read_blocklist(root: Path) -> pl.DataFrame:
    """Rows of the Block List Project lists named in :data:`BLOCKLIST_GROUPS`."""
    base = _require_dir(root, "blocklistproject/Lists")
    frames, missing = [], []
    for name in sorted(BLOCKLIST_GROUPS):
        candidates = [base / f"{name}.txt", base / "alt-version" / f"{name}-nl.txt"]
        found = next((path for path in candidates if path.is_file()), None)
        if found is None:
            missing.append(name)
            continue
        frames.append(_rows(BLOCKLIST, name, list_hosts(_read_lines(found))))
    if missing:
        logger.warning("blocklistproject: no file for %s (skipped)", ", ".join(missing))
    return _concat(frames)


def read_matomo(root: Path) -> pl.DataFrame:
    """Rows of Matomo's referrer spam list (``spammers.txt``)."""
    path = _require_dir(root, "matomo-org/referrer-spam-list") / "spammers.txt"
    if not path.is_file():
        raise InputError(f"{path}: missing (expected Matomo's referrer spam list)")
    return _rows(MATOMO, REFERRER_SPAM_GROUP, list_hosts(_read_lines(path)))


def read_referrer_spam_blocker(root: Path) -> pl.DataFrame:
    """Rows of referrer-spam-blocker's source list (``src/domains.txt``)."""
    base = _require_dir(root, "Stevie-Ray/referrer-spam-blocker")
    path = base / "src" / "domains.txt"
    if not path.is_file():
        raise InputError(f"{path}: missing (expected referrer-spam-blocker's domain list)")
    return _rows(REFERRER_SPAM_BLOCKER, REFERRER_SPAM_GROUP, list_hosts(_read_lines(path)))


def read_majestic(path: Path) -> pl.DataFrame:
    """(host, rank) rows of a Majestic Million CSV (``GlobalRank``, ``Domain``)."""
    if not path.is_file():
        raise InputError(f"{path}: missing (expected the Majestic Million CSV)")
    try:
        frame = pl.read_csv(path, columns=["GlobalRank", "Domain"], infer_schema=False)
    except (pl.exceptions.PolarsError, ValueError) as exc:
        raise InputError(
            f"{path}: not a Majestic Million CSV with GlobalRank, Domain ({exc})"
        ) from None
    frame = frame.select(
        pl.col("Domain").str.strip_chars().str.strip_chars(".").str.to_lowercase().alias(HOST),
        pl.col("GlobalRank").str.strip_chars().cast(pl.Int32, strict=False).alias(RANK),
    )
    bad = frame.filter(pl.col(RANK).is_null() | pl.col(HOST).is_null())
    if bad.height:
        raise InputError(f"{path}: {bad.height} rows without a numeric GlobalRank or a Domain")
    return frame


def read_lists(sources: KnowledgeSources) -> pl.DataFrame:
    """All category-list rows of the given sources (``source``, ``category``, ``host``)."""
    frames = []
    if sources.ut1 is not None:
        frames.append(read_ut1(sources.ut1))
    if sources.blocklist is not None:
        frames.append(read_blocklist(sources.blocklist))
    if sources.matomo is not None:
        frames.append(read_matomo(sources.matomo))
    if sources.referrer_spam_blocker is not None:
        frames.append(read_referrer_spam_blocker(sources.referrer_spam_blocker))
    return _concat(frames)


def group_table() -> pl.DataFrame:
    """(source, category, group): which group each source category feeds."""
    rows = [(UT1, category, group) for category, group in UT1_GROUPS.items()]
    rows += [(BLOCKLIST, category, group) for category, group in BLOCKLIST_GROUPS.items()]
    rows += [
        (source, REFERRER_SPAM_GROUP, REFERRER_SPAM_GROUP)
        for source in (MATOMO, REFERRER_SPAM_BLOCKER)
    ]
    return pl.DataFrame(rows, schema=[SOURCE, CATEGORY, "group"], orient="row")


def git_commit(path: Path | None) -> str | None:
    """The commit checked out in the git work tree holding ``path`` (read from ``.git``), if any.

    Read from the files, not by running git, so that the build needs nothing but the copies.
    """
    if path is None:
        return None
    here = Path(path).resolve()
    for folder in [here, *here.parents]:
        git = folder / ".git"
        if not git.is_dir():
            continue
        head = (git / "HEAD").read_text(encoding="utf-8").strip()
        if not head.startswith("ref: "):
            return head
        ref = head[5:]
        loose = git / ref
        if loose.is_file():
            return loose.read_text(encoding="utf-8").strip()
        packed = git / "packed-refs"
        if packed.is_file():
            for line in packed.read_text(encoding="utf-8").splitlines():
                if line.endswith(" " + ref):
                    return line.split(" ", 1)[0]
        return None
    return None


def _concat(frames: list[pl.DataFrame]) -> pl.DataFrame:
    if not frames:
        return pl.DataFrame(schema={SOURCE: pl.String, CATEGORY: pl.String, HOST: pl.String})
    return pl.concat(frames)
