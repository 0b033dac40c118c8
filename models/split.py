"""Leak-free splits: grouped by referring domain, stratified on the label, seeded.

A referring domain's links never sit on both sides of a split, since its links share most
features and would let the model grade its own homework. A whole target site is held out as a
second test set: the model never trains on links to it.
"""

from __future__ import annotations

import numpy as np
from sklearn.model_selection import StratifiedGroupKFold

TRAIN = "train"
VALID = "valid"
TEST = "test"
UNSEEN_SITE = "unseen_site"
SPLITS: tuple[str, ...] = (TRAIN, VALID, TEST, UNSEEN_SITE)


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
