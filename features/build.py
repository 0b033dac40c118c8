"""The one feature composition used for training and for scoring.

``build_features`` conforms the link table, parses both URLs, then adds the families in dependency
order: URL -> anchor -> link -> referring domain -> network -> relevance. Profile-level features
are computed within the profile (the target's registrable domain) from the frame in hand, so a
world of many target sites and a single customer export go through the same code and get the same
values for the same profile.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from features import schema
from features.anchors import ANCHOR_FEATURES, anchor_features, anchor_table, prepare_anchors
from features.columns import (
    ANCHOR_CLASS,
    KEY_COLUMNS,
    REF_DOMAIN,
    ROW,
    SOURCE_HOST,
    SOURCE_SUFFIX,
    SOURCE_TLD,
    SRC,
    TARGET_DOMAIN,
    TGT,
)
from features.domains import DOMAIN_FEATURES, domain_features, prepare_domains
from features.links import LINK_FEATURES, link_features, prepare_links
from features.network import NETWORK_FEATURES, network_features, prepare_network
from features.relevance import RELEVANCE_FEATURES, prepare_relevance, relevance_features
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
    "build_features",
]

FEATURE_COLUMNS: tuple[str, ...] = (
    *URL_FEATURES,
    *ANCHOR_FEATURES,
    *LINK_FEATURES,
    *DOMAIN_FEATURES,
    *NETWORK_FEATURES,
    *RELEVANCE_FEATURES,
)


@dataclass(frozen=True)
class FeatureParams:
    """Feature settings (``featurize`` in params.yaml)."""

    burst_window_days: int = 7


def build_features(links: pl.LazyFrame, params: FeatureParams = FeatureParams()) -> pl.LazyFrame:
    """Every input column (same rows, same order) plus the key columns and FEATURE_COLUMNS.

    Input: any frame with at least ``source_url`` and ``target_url``; missing optional columns
    become typed nulls (``schema.conform``), so their features come out null rather than failing.
    An input column that has the name of an output column is replaced by the computed one;
    names starting with ``_lt_`` are reserved for scratch columns.

    Profile-level features see only the rows in ``links``: featurize a profile's links together
    (never split one target site across batches), or its profile features will differ.
    """
    if params.burst_window_days < 1:
        raise ValueError(f"burst_window_days must be >= 1, got {params.burst_window_days}")
    conformed = schema.conform(links)
    input_columns = conformed.collect_schema().names()
    src, tgt = UrlParts(SRC), UrlParts(TGT)

    # The base frame: parsed URLs, keys and scratch text columns, all row-wise (plus the suffix
    # join on unique hosts). Every lookup table (per anchor, per domain, per day, per word) is
    # derived from this one frame, never from the growing one, so the plan stays linear in the
    # number of families; it is cached so that those tables do not each re-parse the URLs.
    base = parse_urls(conformed.with_row_index(ROW), schema.SOURCE_URL, src)
    base = parse_urls(base, schema.TARGET_URL, tgt)
    base = base.with_columns(
        pl.col(src.site).alias(REF_DOMAIN),
        pl.col(tgt.site).alias(TARGET_DOMAIN),
        pl.col(src.host).alias(SOURCE_HOST),
        pl.col(src.suffix).alias(SOURCE_SUFFIX),
        pl.col(src.tld).alias(SOURCE_TLD),
    )
    base = prepare_anchors(base, tgt)
    base = prepare_links(base)
    base = prepare_domains(base, src)
    base = prepare_network(base, src)
    base = prepare_relevance(base, src).cache()

    anchors = anchor_table(base, tgt)
    lf = url_features(base, src, schema.SOURCE_URL)
    lf = anchor_features(lf, anchors)
    lf = link_features(lf, base, src, tgt, params.burst_window_days)
    lf = domain_features(lf, base, anchors, src, params.burst_window_days)
    lf = network_features(lf)
    lf = relevance_features(lf, base, tgt)

    generated = [*KEY_COLUMNS, *FEATURE_COLUMNS]
    kept = [name for name in input_columns if name not in generated]
    return lf.select(*kept, *generated)
