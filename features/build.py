"""The one feature composition used for training and for scoring.

``build_features`` conforms the link table, parses both URLs, then adds the families in dependency
order: URL -> anchor -> link -> referring domain -> network -> relevance. Profile-level features
are computed within the profile (the target's registrable domain) from the frame in hand, so a
world of many target sites and a single customer export go through the same code and get the same
values for the same profile.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

import polars as pl

from features import schema
from features.anchors import (
    ANCHOR_FEATURES,
    anchor_features,
    anchor_known,
    anchor_lookups,
    anchor_table,
    apply_anchor_known,
    prepare_anchors,
)
from features.columns import (
    ANCHOR_CLASS,
    ANCHOR_NORM,
    KEY_COLUMNS,
    PROFILE,
    REF_DOMAIN,
    ROW,
    SCRATCH_PREFIX,
    SOURCE_HOST,
    SOURCE_SUFFIX,
    SOURCE_TLD,
    SRC,
    SRC_NAME,
    TARGET_DOMAIN,
    TGT,
)
from features.domains import (
    DOMAIN_FEATURES,
    domain_features,
    domain_lookups,
    domain_tables,
    prepare_domains,
)
from features.knowledge import (
    KNOWLEDGE_FEATURES,
    Knowledge,
    knowledge_keys,
    knowledge_lookups,
    knowledge_values,
    name_scores,
)
from features.links import (
    LINK_FEATURES,
    link_features,
    link_keys,
    link_lookups,
    link_tables,
    prepare_links,
)
from features.lookups import Lookup, join_lookups
from features.network import (
    NETWORK_FEATURES,
    network_lookups,
    network_tables,
    prepare_network,
)
from features.relevance import (
    RELEVANCE_FEATURES,
    prepare_relevance,
    relevance_features,
    relevance_lookups,
    relevance_tables,
)
from features.urls import URL_FEATURES, UrlParts, parse_urls, url_features

__all__ = [
    "ANCHOR_CLASS",
    "FEATURE_COLUMNS",
    "KEY_COLUMNS",
    "REF_DOMAIN",
    "SOURCE_HOST",
    "SOURCE_SUFFIX",
    "SOURCE_TLD",
    "TARGET_DOMAIN",
    "FeatureParams",
    "ProfileTables",
    "build_features",
    "knowledge_tables",
    "link_rows",
    "name_score_table",
    "prepare_base",
    "profile_tables",
    "source_hosts",
]

# What profile_tables does with each table: cache it (lazy) or compute it on the spot.
Stage = Callable[[pl.LazyFrame], pl.LazyFrame]
EngineName = Literal["auto", "in-memory", "streaming"]

FEATURE_COLUMNS: tuple[str, ...] = (
    *URL_FEATURES,
    *ANCHOR_FEATURES,
    *LINK_FEATURES,
    *DOMAIN_FEATURES,
    *NETWORK_FEATURES,
    *RELEVANCE_FEATURES,
    *KNOWLEDGE_FEATURES,
)


@dataclass(frozen=True)
class FeatureParams:
    """Feature settings (``featurize`` in params.yaml) and the open domain knowledge.

    The knowledge tables (public category lists, popularity, the domain-name model) travel with
    the model bundle, so training and scoring join the same tables; without them every knowledge
    feature is empty (False flags, no rank, no name score), which is how a model is measured
    "without the lookups".
    """

    burst_window_days: int = 7
    knowledge: Knowledge = field(default_factory=Knowledge.empty)


class ProfileTables:
    """Every profile-level lookup table, computed once from a whole profile's prepared links.

    The per-link features of any subset of those links (a batch) are their own row-wise columns
    joined with these tables, so scoring a profile in batches gives the same values as scoring it
    at once. The tables are small next to the links: one row per profile, per day, per anchor,
    per referring domain, per network key or per word.
    """

    def __init__(self, frames: dict[str, pl.LazyFrame]) -> None:
        self.frames = frames

    def __getitem__(self, name: str) -> pl.LazyFrame:
        return self.frames[name]

    def family(self, prefix: str) -> dict[str, pl.LazyFrame]:
        """The tables of one family, keyed by their names without ``prefix/``."""
        return {
            name.removeprefix(f"{prefix}/"): frame
            for name, frame in self.frames.items()
            if name.startswith(f"{prefix}/")
        }

    def collect(self, engine: EngineName = "auto") -> ProfileTables:
        """Materialise every table once (they are then joined onto each batch)."""
        names = list(self.frames)
        frames = pl.collect_all([self.frames[name] for name in names], engine=engine)
        pairs = zip(names, frames, strict=True)
        return ProfileTables({name: frame.lazy() for name, frame in pairs})


def _check(params: FeatureParams) -> None:
    if params.burst_window_days < 1:
        raise ValueError(f"burst_window_days must be >= 1, got {params.burst_window_days}")


def prepare_base(links: pl.LazyFrame, row_offset: int = 0) -> pl.LazyFrame:
    """The row-wise half of feature building: conformed input, row number, parsed URLs, key and
    scratch columns. Nothing here looks at other rows (but for the suffix join on unique hosts),
    so a large export can be prepared chunk by chunk; ``row_offset`` numbers the chunk's rows.
    """
    conformed = schema.conform(links)
    src, tgt = UrlParts(SRC), UrlParts(TGT)
    base = parse_urls(conformed.with_row_index(ROW, offset=row_offset), schema.SOURCE_URL, src)
    base = _parse_distinct(base.cache(), schema.TARGET_URL, tgt)
    base = base.with_columns(
        pl.col(src.site).alias(REF_DOMAIN),
        pl.col(tgt.site).alias(TARGET_DOMAIN),
        *_source_columns(src),
    )
    base = prepare_anchors(base, tgt)
    base = prepare_links(base)
    base = prepare_domains(base, src)
    base = prepare_network(base, src)
    return prepare_relevance(base, src)


def _parse_distinct(lf: pl.LazyFrame, url_col: str, parts: UrlParts) -> pl.LazyFrame:
    """``parse_urls(lf, url_col, parts)``, with the parsing run once per distinct URL and looked
    up by it: a profile has a few hundred target URLs for a million links, and the parse is
    row-wise, so the values are the same. ``lf`` is read twice (cache it)."""
    urls = lf.select(url_col).unique()
    table = parse_urls(urls, url_col, parts)
    return join_lookups(lf, [Lookup(table, (url_col,))])


def _source_columns(src: UrlParts) -> list[pl.Expr]:
    return [
        pl.col(src.host).alias(SOURCE_HOST),
        pl.col(src.suffix).alias(SOURCE_SUFFIX),
        pl.col(src.tld).alias(SOURCE_TLD),
    ]


def source_hosts(links: pl.LazyFrame) -> pl.LazyFrame:
    """``links`` with ``SOURCE_HOST``, ``SOURCE_SUFFIX`` and ``SOURCE_TLD`` added, parsed from
    the (conformed) source URL exactly as :func:`prepare_base` parses them, and nothing else: for
    outputs built from scored links that no longer carry the prepared columns (the rollup of
    ``linktox spark score``). Row-wise."""
    names = links.collect_schema().names()
    src = UrlParts(SRC)
    parsed = parse_urls(links, schema.SOURCE_URL, src).with_columns(*_source_columns(src))
    return parsed.select(*names, SOURCE_HOST, SOURCE_SUFFIX, SOURCE_TLD)


def knowledge_tables(knowledge: Knowledge) -> dict[str, pl.LazyFrame]:
    """The shipped knowledge tables as :func:`profile_tables` names them: not computed from the
    links (nor per profile) but passed through, to be joined by referring domain."""
    return {
        "knowledge/domains": knowledge.domains,
        "knowledge/popularity": knowledge.popularity,
        "knowledge/name_weights": knowledge.name_weights,
    }


def profile_tables(
    base: pl.LazyFrame, params: FeatureParams = FeatureParams(), stage: Stage = pl.LazyFrame.cache
) -> ProfileTables:
    """The lookup tables of every family, from the prepared links of whole profiles
    (:func:`prepare_base`).

    ``stage`` is applied to every table and to intermediate tables used more than once: by
    default it caches them within the one query that will compute the features (lazy); with
    :func:`collecting` each is computed on the spot, one at a time, so a profile too large for
    memory only ever holds one table's work and the finished tables.
    """
    _check(params)
    tgt, src = UrlParts(TGT), UrlParts(SRC)
    known = stage(anchor_known(base))
    full = apply_anchor_known(base, known)
    anchors = stage(anchor_table(full, tgt))
    others = {
        **{f"links/{k}": v for k, v in link_tables(full, params.burst_window_days).items()},
        **{
            f"domains/{k}": v
            for k, v in domain_tables(full, anchors, src, params.burst_window_days, stage).items()
        },
        **{f"network/{k}": v for k, v in network_tables(full).items()},
    }
    frames = {
        "anchors/known": known,
        "anchors/classes": anchors,
        **{name: stage(frame) for name, frame in others.items()},
        **{f"relevance/{k}": v for k, v in relevance_tables(full, tgt, stage).items()},
        # Not per profile: the shipped tables, joined by referring domain.
        **knowledge_tables(params.knowledge),
    }
    return ProfileTables(frames)


# The optional table of :func:`name_score_table` in a :class:`ProfileTables`.
NAME_SCORES = "name_scores"


def name_score_table(base: pl.LazyFrame, knowledge: Knowledge) -> pl.LazyFrame:
    """The name model's value of every referring-domain name of prepared links, for a
    :class:`ProfileTables` under :data:`NAME_SCORES`: scoring a large export in batches, the
    names are then scored once, not once per batch (:func:`link_rows` looks them up; without the
    table it scores the batch's own names: the same values, a name's depends on it alone)."""
    return name_scores(base, knowledge, REF_DOMAIN, SRC_NAME, SOURCE_SUFFIX)


def collecting(engine: EngineName = "streaming") -> Stage:
    """A ``stage`` for :func:`profile_tables` that computes each table at once, with ``engine``."""

    def stage(frame: pl.LazyFrame) -> pl.LazyFrame:
        return frame.collect(engine=engine).lazy()

    return stage


def link_rows(base: pl.LazyFrame, tables: ProfileTables) -> pl.LazyFrame:
    """The features of prepared links (all of a profile's, or a batch of them) from the tables.

    Returns the input columns (same rows, same order), the key columns and FEATURE_COLUMNS.
    """
    src, tgt = UrlParts(SRC), UrlParts(TGT)
    generated = [*KEY_COLUMNS, *FEATURE_COLUMNS]
    kept = [
        name
        for name in base.collect_schema().names()
        if not name.startswith(SCRATCH_PREFIX) and name not in generated
    ]
    # Every table is looked up at once, on frames of its key columns only (join_lookups), so the
    # wide link frame is never copied by a join. The keys come first: the anchor as the whole
    # profile knows it, the first-seen day and the knowledge keys.
    keys = apply_anchor_known(
        base.select(PROFILE, ANCHOR_NORM, schema.FIRST_SEEN, REF_DOMAIN, SRC_NAME, SOURCE_SUFFIX),
        tables["anchors/known"],
    ).with_columns(*link_keys())
    keys = knowledge_keys(keys, REF_DOMAIN, SRC_NAME, SOURCE_SUFFIX)
    added = [name for name in keys.collect_schema().names() if name not in _KEY_INPUTS]
    lf = pl.concat([base.drop(ANCHOR_NORM), keys.select(added)], how="horizontal")
    knowledge = Knowledge(**tables.family("knowledge"))
    lookups = [
        *anchor_lookups(tables["anchors/classes"]),
        *link_lookups(tables.family("links")),
        *domain_lookups(tables.family("domains")),
        *network_lookups(tables.family("network")),
        *relevance_lookups(base, tables.family("relevance")),
        # The batch's domains from its prepared links, not from the feature query built on them.
        *knowledge_lookups(
            keys, knowledge, REF_DOMAIN, domains_of=base, name_scores=tables.frames.get(NAME_SCORES)
        ),
    ]
    lf = join_lookups(lf, lookups)
    lf = url_features(lf, src, schema.SOURCE_URL)
    lf = anchor_features(lf)
    lf = link_features(lf, src, tgt)
    lf = domain_features(lf, src)
    lf = relevance_features(lf)
    lf = knowledge_values(lf)
    return lf.select(*kept, *generated)


# The base columns link_rows reads its lookup keys from (all but ANCHOR_NORM are kept as they are).
_KEY_INPUTS = (PROFILE, schema.FIRST_SEEN, REF_DOMAIN, SRC_NAME, SOURCE_SUFFIX)


def build_features(links: pl.LazyFrame, params: FeatureParams = FeatureParams()) -> pl.LazyFrame:
    """Every input column (same rows, same order) plus the key columns and FEATURE_COLUMNS.

    Input: any frame with at least ``source_url`` and ``target_url``; missing optional columns
    become typed nulls (``schema.conform``), so their features come out null rather than failing.
    An input column that has the name of an output column is replaced by the computed one;
    names starting with ``_lt_`` are reserved for scratch columns.

    Profile-level features see only the rows in ``links``: featurize a profile's links together,
    or, for a profile too large for memory, prepare it in chunks (:func:`prepare_base`), build the
    tables from all chunks (:func:`profile_tables`) and compute rows batch by batch
    (:func:`link_rows`).
    """
    _check(params)
    # The base frame is cached so that the tables do not each re-parse the URLs; every table is
    # derived from it, never from the growing frame, so the plan stays linear in the families.
    base = prepare_base(links).cache()
    return link_rows(base, profile_tables(base, params))
