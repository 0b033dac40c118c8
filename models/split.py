"""Leak-free splits: grouped by referring domain, stratified on the label, seeded.

A referring domain's links never sit on both sides of a split, since its links share most
features and would let the model grade its own homework. A whole target site is held out as a
second test set: the model never trains on links to it.

The held-out sets stay put as reviewed labels accumulate, so that versions trained months apart
can be judged on the same rows: the world is split before reviewed links are taken out of it,
and a reviewed domain's side is a seeded hash of its name (:func:`stable_share`), so a domain
held out once stays held out when more domains are reviewed.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import polars as pl
from sklearn.model_selection import StratifiedGroupKFold

from features import schema
from features.columns import REF_DOMAIN

TRAIN = "train"
VALID = "valid"
TEST = "test"
UNSEEN_SITE = "unseen_site"
REVIEWED_TEST = "reviewed_test"
SPLITS: tuple[str, ...] = (TRAIN, VALID, TEST, UNSEEN_SITE, REVIEWED_TEST)

# Columns of the split table (``data/models/split.parquet``): one row per training candidate.
SOURCE, ROW, SPLIT, WEIGHT = "source", "row", "split", "weight"
# Values of SOURCE: which feature table the row comes from.
WORLD, REVIEWED = "world", "reviewed"
LINK_KEY = (schema.SOURCE_URL, schema.TARGET_URL)


@dataclass(frozen=True)
class SplitSpec:
    """Which rows train, validate and test (``train.split`` and ``train.reviewed``).

    Attributes:
        seed: The one seed.
        test_size: Share of world links in the domain-grouped test set.
        valid_size: Share of world links for validation (early stopping, calibration, cut-offs).
        holdout_site: A target site kept out of training entirely (``unseen_site``), or None.
        reviewed_weight: Training weight of a reviewed link (a world link weighs 1).
        reviewed_min_test_domains: Reviewed referring domains needed before a test set is held out.
        reviewed_test_size: Share of reviewed links held out as ``reviewed_test``.
    """

    seed: int
    test_size: float
    valid_size: float
    holdout_site: str | None
    reviewed_weight: float
    reviewed_min_test_domains: int
    reviewed_test_size: float


def _carve(y: np.ndarray, groups: np.ndarray, share: float, seed: int) -> np.ndarray:
    """Boolean mask of one stratified, grouped fold of about ``share`` of the rows."""
    n_splits = max(2, round(1 / share))
    if len(np.unique(groups)) < n_splits:
        return np.zeros(len(y), dtype=bool)
    folds = StratifiedGroupKFold(n_splits=n_splits, shuffle=True, random_state=seed)
    _, held = next(folds.split(np.zeros(len(y)), y, groups))
    mask = np.zeros(len(y), dtype=bool)
    mask[held] = True
    return mask


def stable_share(keys: np.ndarray, seed: int) -> np.ndarray:
    """A number in [0, 1) per key, the same in every run, on every machine and for every library
    version (a seeded BLAKE2b digest; polars' and numpy's hashes promise no such thing)."""
    unique, inverse = np.unique(np.asarray(keys).astype(str), return_inverse=True)
    # One digest per distinct key (reviewed referring domains: thousands, not millions).
    values = np.array(
        [
            int.from_bytes(hashlib.blake2b(f"{seed}\0{key}".encode(), digest_size=8).digest())
            / 2.0**64
            for key in unique
        ],
        dtype=float,
    )
    return values[inverse] if len(unique) else np.empty(0)


def split_links(
    ref_domain: np.ndarray,
    y: np.ndarray,
    *,
    test_size: float,
    valid_size: float,
    seed: int,
    site: np.ndarray | None = None,
    holdout_site: str | None = None,
) -> np.ndarray:
    """Assign every link to ``train``, ``valid``, ``test`` or ``unseen_site``.

    Args:
        ref_domain: referring registrable domain per link (the grouping key).
        y: 0/1 truth per link (stratification).
        test_size: share of the (non-held-out) links for the domain-grouped test set.
        valid_size: share for validation (early stopping, calibration, cut-offs).
        seed: the one seed from ``params.yaml``.
        site: target site per link, with ``holdout_site`` the site kept out entirely.
    """
    ref_domain = np.asarray(ref_domain).astype(str)
    y = np.asarray(y).astype(int)
    out = np.full(len(y), TRAIN, dtype=object)
    pool = np.ones(len(y), dtype=bool)
    if site is not None and holdout_site is not None:
        unseen = np.asarray(site).astype(str) == holdout_site
        out[unseen] = UNSEEN_SITE
        pool &= ~unseen
    idx = np.flatnonzero(pool)
    test = _carve(y[idx], ref_domain[idx], test_size, seed)
    out[idx[test]] = TEST
    rest = idx[~test]
    valid = _carve(y[rest], ref_domain[rest], valid_size / (1 - test_size), seed + 1)
    out[rest[valid]] = VALID
    return out


def assign_splits(world: pl.DataFrame, reviewed: pl.DataFrame, spec: SplitSpec) -> pl.DataFrame:
    """One row per training candidate: where it comes from, its row there, its split, weight.

    Reviewed labels override synthetic ones: a world link that was also reviewed is dropped in
    favour of the reviewed row (after the world is split, so reviewing never moves other world
    links between sets). Reviewed links get their own domain-grouped test set once there are
    enough reviewed domains; until then they all train. A reviewed domain is held out when its
    :func:`stable_share` is below ``reviewed_test_size``: the same domain stays on the same side
    however many others are reviewed later (the share of toxic links held out is left to chance,
    not stratified).
    """
    world_split = split_links(
        world.get_column(REF_DOMAIN).to_numpy(),
        world.get_column(schema.LABEL).to_numpy(),
        test_size=spec.test_size,
        valid_size=spec.valid_size,
        seed=spec.seed,
        site=world.get_column(schema.SITE).to_numpy(),
        holdout_site=spec.holdout_site,
    )
    reviewed_keys = reviewed.select(LINK_KEY).unique()
    world_rows = (
        world.select(LINK_KEY)
        .with_row_index(ROW)
        .with_columns(pl.Series(SPLIT, world_split.astype(str)))
        .join(reviewed_keys, on=list(LINK_KEY), how="anti", nulls_equal=True)
    )
    parts = [
        pl.DataFrame(
            {
                SOURCE: WORLD,
                ROW: world_rows.get_column(ROW).cast(pl.UInt32),
                SPLIT: world_rows.get_column(SPLIT),
                WEIGHT: 1.0,
            }
        )
    ]
    if reviewed.height:
        domains = reviewed.get_column(REF_DOMAIN).to_numpy().astype(str)
        r_split = np.full(reviewed.height, TRAIN, dtype=object)
        if len(np.unique(domains)) >= spec.reviewed_min_test_domains:
            r_split[stable_share(domains, spec.seed) < spec.reviewed_test_size] = REVIEWED_TEST
        parts.append(
            pl.DataFrame(
                {
                    SOURCE: REVIEWED,
                    ROW: pl.Series(np.arange(reviewed.height), dtype=pl.UInt32),
                    SPLIT: r_split.astype(str),
                    WEIGHT: spec.reviewed_weight,
                }
            )
        )
    return pl.concat(parts)


def rows_of(
    split: pl.DataFrame,
    name: str,
    world: pl.DataFrame,
    reviewed: pl.DataFrame,
    columns: Sequence[str],
) -> pl.DataFrame:
    """``columns`` plus the label and weight of the rows assigned to split ``name``, world
    rows first (an empty frame when none are)."""
    chosen = split.filter(pl.col(SPLIT) == name)
    frames = []
    for source, frame in ((WORLD, world), (REVIEWED, reviewed)):
        rows = chosen.filter(pl.col(SOURCE) == source)
        if rows.height:
            picked = frame.with_row_index(ROW).join(
                rows, on=ROW, how="inner", maintain_order="right"
            )
            frames.append(picked.select(*columns, WEIGHT))
    return pl.concat(frames) if frames else pl.DataFrame()


def pick(frame: pl.DataFrame, split: pl.DataFrame, source: str, name: str) -> pl.DataFrame:
    """The rows of ``frame`` (a ``source`` feature table) that ``split`` assigns to ``name``."""
    rows = split.filter((pl.col(SOURCE) == source) & (pl.col(SPLIT) == name)).select(ROW)
    return frame.with_row_index(ROW).join(rows, on=ROW, how="semi").drop(ROW)
