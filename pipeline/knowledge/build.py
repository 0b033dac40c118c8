"""``build_knowledge``: public lists + Majestic top domains -> the shipped knowledge tables.

Rules, and why:

- **Registrable domains only.** Every host is reduced with the same Public Suffix List join the
  features use (:func:`features.urls.host_domains`: tldextract's offline snapshot with its private
  section, plus linktox's free hosts), so a lookup key is exactly a link's ``ref_domain``. An entry
  counts only when it *is* a registrable domain (or its ``www.`` form): an entry on a subdomain
  (``login.bank.example.com``, ``x.duckdns.org``) is usually a hacked site or a user of a shared
  host and says nothing about the registrable domain. Entries that are a public suffix themselves
  (``blogspot.com``, ``github.io``: whole platforms) and IP addresses are dropped too.
- **Held out by name.** The *name* is the registrable domain without its suffix. A name is held
  out when ``sha256(name) % 5 == 0`` for a listed domain, or when it is the name of one of
  ``heldout_popular`` popular domains drawn with the seed. Every domain carrying a held-out name
  (``casino-top3.ru`` and ``casino-top3.site`` alike) is kept out of the domains and popularity
  tables and out of name-model training, so no name is on both sides.
- **Deterministic.** Sorted rows, a seeded draw, a seeded deterministic solver, no timestamps: the
  same copies and seed give byte-identical files.
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl

from features.knowledge import (
    DOMAIN,
    GROUPS,
    LEGIT_GROUPS,
    RANK,
    SPAM_GROUPS,
    Knowledge,
)
from features.urls import host_domains
from models.names import DEFAULT_GRID, LABEL, NAME, SUFFIX, NameModelConfig, fit_name_model
from pipeline.errors import InputError, atomic_path, write_text_atomic
from pipeline.knowledge import sources as src
from pipeline.knowledge.evaluate import evaluate_heldout
from pipeline.knowledge.load import DOMAINS_FILE, HELDOUT_FILE, NAME_MODEL_FILE, POPULARITY_FILE

logger = logging.getLogger(__name__)

NAME_MODEL_META_FILE = "name_model.json"
REPORT_FILE = "report.json"

HELDOUT_POPULAR = 3000
HOLDOUT_FOLDS = 5

# heldout.parquet columns.
SIDE = "side"  # "spam" or "legit"
GROUP = "group"  # the domain's first group in GROUPS order, or "popular"
SPAM = "spam"
LEGIT = "legit"
POPULAR = "popular"

# Why an entry was not kept.
KEPT = "kept"
INVALID = "invalid"
IP = "ip"
PUBLIC_SUFFIX = "public_suffix"
SUBDOMAIN = "subdomain"

_HOST_RE = r"^[a-z0-9_-]+(\.[a-z0-9_-]+)*$"
_IP_RE = r"^\d{1,3}(\.\d{1,3}){3}$|:"
_STATUS = "status"
_ASCII = "_ascii"


@dataclass(frozen=True)
class KnowledgeBuild:
    """What a build wrote and measured (``report`` is also written as ``report.json``)."""

    out_dir: Path
    report: dict[str, Any]


def _idna(host: str) -> str | None:
    try:
        return host.encode("idna").decode("ascii").lower()
    except UnicodeError:
        return None


def registrable(rows: pl.DataFrame) -> pl.DataFrame:
    """Add ``domain``, ``suffix`` and ``status`` (kept or why not) to rows with a ``host``.

    Non-ASCII hosts are IDNA-encoded first (Python's codec, once per unique such host: a few at
    most), so every key is ASCII/punycode like the hosts exports and disavow files carry.
    """
    hosts = rows.select(pl.col(src.HOST).unique()).sort(src.HOST)
    foreign = hosts.filter(pl.col(src.HOST).str.contains(r"[^\x00-\x7f]"))[src.HOST].to_list()
    hosts = hosts.with_columns(
        pl.col(src.HOST).replace({h: _idna(h) for h in foreign}).alias(_ASCII)
        if foreign
        else pl.col(src.HOST).alias(_ASCII)
    )
    valid = pl.col(_ASCII).str.contains(_HOST_RE).fill_null(False)
    is_ip = pl.col(_ASCII).str.contains(_IP_RE).fill_null(False)
    ascii_hosts = hosts.filter(valid & ~is_ip)[_ASCII].unique().sort()
    found = host_domains(ascii_hosts)
    parsed = pl.DataFrame(
        {
            _ASCII: ascii_hosts,
            DOMAIN: found.struct.field("domain"),
            SUFFIX: found.struct.field("suffix"),
        }
    )
    hosts = hosts.join(parsed, on=_ASCII, how="left")
    domain, ascii_host = pl.col(DOMAIN), pl.col(_ASCII)
    status = (
        pl.when(~valid)
        .then(pl.lit(INVALID))
        .when(is_ip)
        .then(pl.lit(IP))
        .when(domain.is_null())
        .then(pl.lit(PUBLIC_SUFFIX))
        .when((ascii_host == domain) | (ascii_host == pl.concat_str([pl.lit("www."), domain])))
        .then(pl.lit(KEPT))
        .otherwise(pl.lit(SUBDOMAIN))
    )
    hosts = hosts.with_columns(status.alias(_STATUS)).select(src.HOST, DOMAIN, SUFFIX, _STATUS)
    return rows.join(hosts, on=src.HOST, how="left", maintain_order="left")


def name_of(domain: pl.Expr, suffix: pl.Expr) -> pl.Expr:
    """The registrable domain without its suffix ("cheap-seo4u.co.uk" -> "cheap-seo4u")."""
    return domain.str.slice(0, domain.str.len_chars() - suffix.str.len_chars() - 1)


def _hashed_out(names: list[str]) -> set[str]:
    """Names held out by the stable hash: sha256(name) % 5 == 0 (seed-free: the split is fixed)."""
    return {
        name
        for name in names
        if int.from_bytes(hashlib.sha256(name.encode()).digest(), "big") % HOLDOUT_FOLDS == 0
    }


def _drop_counts(rows: pl.DataFrame, keys: list[str]) -> list[dict[str, Any]]:
    counted = (
        rows.group_by(*keys, _STATUS)
        .len()
        .pivot(_STATUS, index=keys, values="len")
        .fill_null(0)
        .sort(keys)
    )
    for status in (KEPT, SUBDOMAIN, PUBLIC_SUFFIX, IP, INVALID):
        if status not in counted.columns:
            counted = counted.with_columns(pl.lit(0, dtype=pl.UInt32).alias(status))
    return counted.select(*keys, KEPT, SUBDOMAIN, PUBLIC_SUFFIX, IP, INVALID).to_dicts()


def _write_parquet(frame: pl.DataFrame, path: Path) -> None:
    with atomic_path(path) as tmp:
        frame.write_parquet(tmp, compression="zstd", compression_level=19, statistics=False)


def _write_json(data: dict[str, Any], path: Path) -> None:
    write_text_atomic(path, json.dumps(data, indent=2, sort_keys=True) + "\n")


def build_knowledge(
    sources: src.KnowledgeSources,
    out_dir: Path,
    seed: int,
    *,
    heldout_popular: int = HELDOUT_POPULAR,
    grid: tuple[NameModelConfig, ...] = DEFAULT_GRID,
) -> KnowledgeBuild:
    """Read the local copies, write the knowledge tables and the name model into ``out_dir``.

    Writes ``domains.parquet``, ``popularity.parquet``, ``heldout.parquet``,
    ``name_model.parquet``, ``name_model.json`` and ``report.json`` (counts, drops, provenance,
    validation and held-out ROC-AUCs). Each file is written atomically.
    """
    out_dir = Path(out_dir)
    lists = src.read_lists(sources)
    lists = lists.join(src.group_table(), on=[src.SOURCE, src.CATEGORY], how="left")
    lists = registrable(lists)
    if sources.majestic is not None:
        popular_rows = registrable(src.read_majestic(sources.majestic))
    else:
        popular_rows = registrable(pl.DataFrame(schema={src.HOST: pl.String, src.RANK: pl.Int32}))
    if lists.height == 0 and popular_rows.height == 0:
        raise InputError("no source given: pass at least one list or the Majestic file")

    listed = (
        lists.filter(pl.col(_STATUS) == KEPT)
        .select(DOMAIN, SUFFIX, GROUP)
        .unique()
        .sort(DOMAIN, GROUP)
    )
    popular = (
        popular_rows.filter(pl.col(_STATUS) == KEPT)
        .group_by(DOMAIN, SUFFIX)
        .agg(pl.col(src.RANK).min().cast(pl.Int32).alias(RANK))
        .sort(RANK, DOMAIN)
    )

    # --- Held-out names ------------------------------------------------------------------------
    list_names = (
        listed.select(name_of(pl.col(DOMAIN), pl.col(SUFFIX)).alias(NAME)).unique()[NAME].sort()
    )
    held = _hashed_out(list_names.to_list())
    draw = min(heldout_popular, popular.height)
    picked = np.sort(np.random.default_rng(seed).choice(popular.height, size=draw, replace=False))
    popular_names = popular.select(name_of(pl.col(DOMAIN), pl.col(SUFFIX)).alias(NAME))[NAME]
    held |= set(popular_names.gather(picked.tolist()).to_list()) if draw else set()
    held_names = pl.Series(NAME, sorted(held), dtype=pl.String)

    def is_held(frame: pl.DataFrame) -> pl.Series:
        return frame.select(name_of(pl.col(DOMAIN), pl.col(SUFFIX)).is_in(held_names.implode()))[
            :, 0
        ]

    listed = listed.with_columns(is_held(listed).alias("_held"))
    popular = popular.with_columns(is_held(popular).alias("_held"))

    # --- Per-domain groups ----------------------------------------------------------------------
    def per_domain(frame: pl.DataFrame) -> pl.DataFrame:
        return (
            frame.group_by(DOMAIN)
            .agg(pl.col(SUFFIX).first(), *((pl.col(GROUP) == g).any().alias(g) for g in GROUPS))
            .sort(DOMAIN)
        )

    train_domains = per_domain(listed.filter(~pl.col("_held")))
    train_popular = popular.filter(~pl.col("_held"))
    domains_table = train_domains.select(DOMAIN, *GROUPS)
    popularity_table = train_popular.select(DOMAIN, RANK)

    train = _with_sides(train_domains, train_popular)
    held_rows = _with_sides(
        per_domain(listed.filter(pl.col("_held"))), popular.filter(pl.col("_held"))
    )
    heldout_table = _heldout(held_rows)

    # --- Name model ----------------------------------------------------------------------------
    examples = _examples(train)
    logger.info(
        "name model: %d training names (%d spam, %d legit)",
        examples.height,
        int(examples[LABEL].sum()),
        int(examples.height - examples[LABEL].sum()),
    )
    model = fit_name_model(examples, seed, grid)

    # --- Write ---------------------------------------------------------------------------------
    _write_parquet(domains_table, out_dir / DOMAINS_FILE)
    _write_parquet(popularity_table, out_dir / POPULARITY_FILE)
    _write_parquet(heldout_table, out_dir / HELDOUT_FILE)
    _write_parquet(model.weights, out_dir / NAME_MODEL_FILE)
    _write_json(model.metadata, out_dir / NAME_MODEL_META_FILE)

    knowledge = Knowledge(
        domains=domains_table.lazy(),
        popularity=popularity_table.lazy(),
        name_weights=model.weights.lazy(),
    )
    evaluation = evaluate_heldout(knowledge, heldout_table)
    report = _report(
        sources, seed, lists, popular_rows, domains_table, popularity_table, heldout_table
    )
    report["domains"]["both_sides_with_popular"] = _both_sides(train)
    report["heldout"]["left_out_both_sides"] = _both_sides(held_rows)
    report["name_model"] = {
        "validation_auc": model.metadata["validation_auc"],
        "chosen": model.metadata["chosen"],
        "final_fit": model.metadata["final_fit"],
    }
    report["heldout_evaluation"] = evaluation
    _write_json(report, out_dir / REPORT_FILE)
    _log_report(report)
    return KnowledgeBuild(out_dir, report)


_SPAM = "_spam"
_LEGIT = "_legit"


def _with_sides(domains: pl.DataFrame, popular: pl.DataFrame) -> pl.DataFrame:
    """Per-domain groups (from the lists) and popularity together, with both side flags."""
    return (
        domains.join(
            popular.select(DOMAIN, SUFFIX, pl.lit(True).alias(POPULAR)),
            on=[DOMAIN, SUFFIX],
            how="full",
            coalesce=True,
        )
        .with_columns(
            *(pl.col(g).fill_null(False) for g in GROUPS), pl.col(POPULAR).fill_null(False)
        )
        .with_columns(
            pl.any_horizontal(pl.col(g) for g in SPAM_GROUPS).alias(_SPAM),
            (pl.any_horizontal(pl.col(g) for g in LEGIT_GROUPS) | pl.col(POPULAR)).alias(_LEGIT),
        )
        .sort(DOMAIN)
    )


def _both_sides(frame: pl.DataFrame) -> int:
    """Domains on a spam list *and* in a legitimate category or popular (neither taught nor
    evaluated: their side is unclear)."""
    return frame.filter(pl.col(_SPAM) & pl.col(_LEGIT)).height


def _heldout(held: pl.DataFrame) -> pl.DataFrame:
    """One row per held-out domain with a clear side (spam list XOR legitimate/popular)."""
    first_spam = pl.coalesce(*(pl.when(pl.col(g)).then(pl.lit(g)) for g in SPAM_GROUPS))
    first_legit = pl.coalesce(
        pl.when(pl.col(POPULAR)).then(pl.lit(POPULAR)),
        *(pl.when(pl.col(g)).then(pl.lit(g)) for g in LEGIT_GROUPS),
    )
    return (
        held.filter(pl.col(_SPAM) != pl.col(_LEGIT))
        .select(
            DOMAIN,
            pl.when(pl.col(_SPAM)).then(pl.lit(SPAM)).otherwise(pl.lit(LEGIT)).alias(SIDE),
            pl.when(pl.col(_SPAM)).then(first_spam).otherwise(first_legit).alias(GROUP),
        )
        .sort(DOMAIN)
    )


def _examples(train: pl.DataFrame) -> pl.DataFrame:
    """Name-model examples: spam-side only (1) or legitimate/popular only (0), one per domain."""
    return (
        train.filter(pl.col(_SPAM) != pl.col(_LEGIT))
        .select(
            name_of(pl.col(DOMAIN), pl.col(SUFFIX)).alias(NAME),
            pl.col(SUFFIX),
            pl.col(_SPAM).cast(pl.Int8).alias(LABEL),
        )
        .sort(NAME, SUFFIX)
    )


def _report(
    sources: src.KnowledgeSources,
    seed: int,
    lists: pl.DataFrame,
    popular_rows: pl.DataFrame,
    domains_table: pl.DataFrame,
    popularity_table: pl.DataFrame,
    heldout_table: pl.DataFrame,
) -> dict[str, Any]:
    provenance = {
        src.UT1: src.git_commit(sources.ut1),
        src.BLOCKLIST: src.git_commit(sources.blocklist),
        src.MATOMO: src.git_commit(sources.matomo),
        src.REFERRER_SPAM_BLOCKER: src.git_commit(sources.referrer_spam_blocker),
        src.MAJESTIC: src.git_commit(sources.majestic),
    }
    per_group = domains_table.select(pl.col(g).sum() for g in GROUPS).row(0, named=True)
    heldout_counts = heldout_table.group_by(SIDE, GROUP).len().sort(SIDE, GROUP).rows()
    return {
        "seed": seed,
        "source_commits": provenance,
        "entries": _drop_counts(lists, [src.SOURCE, src.CATEGORY]),
        "majestic_entries": _drop_counts(
            popular_rows.with_columns(pl.lit(src.MAJESTIC).alias(src.SOURCE)), [src.SOURCE]
        ),
        "domains": {
            "rows": domains_table.height,
            "per_group": per_group,
            "spam_side": _count_any(domains_table, SPAM_GROUPS),
            "legit_side": _count_any(domains_table, LEGIT_GROUPS),
        },
        "popularity": {"rows": popularity_table.height},
        "heldout": {
            "rows": heldout_table.height,
            "spam": int((heldout_table[SIDE] == SPAM).sum()),
            "legit": int((heldout_table[SIDE] == LEGIT).sum()),
            "per_group": {f"{side}/{group}": n for side, group, n in heldout_counts},
        },
    }


def _count_any(frame: pl.DataFrame, groups: tuple[str, ...]) -> int:
    return frame.filter(pl.any_horizontal(pl.col(g) for g in groups)).height


def _log_report(report: dict[str, Any]) -> None:
    logger.info(
        "domains.parquet: %d domains; popularity.parquet: %d; heldout.parquet: %d (%d spam, %d "
        "legit)",
        report["domains"]["rows"],
        report["popularity"]["rows"],
        report["heldout"]["rows"],
        report["heldout"]["spam"],
        report["heldout"]["legit"],
    )
    for group, n in report["domains"]["per_group"].items():
        logger.info("  %-14s %8d", group, n)
    logger.info("name model validation ROC-AUC %.4f", report["name_model"]["validation_auc"])
    evaluation = report["heldout_evaluation"]
    logger.info(
        "held-out ROC-AUC: name score %.4f, name + lookups %.4f",
        evaluation["auc_name"],
        evaluation["auc_combined"],
    )
