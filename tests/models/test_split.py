from __future__ import annotations

import numpy as np

from models.split import TEST, TRAIN, UNSEEN_SITE, VALID, split_links
from tests.models.conftest import make_data


def test_no_referring_domain_crosses_the_split():
    _, y, domains = make_data(5000, seed=5)
    split = split_links(domains, y, test_size=0.2, valid_size=0.2, seed=1)
    sides = {}
    for domain, side in zip(domains, split, strict=True):
        sides.setdefault(domain, set()).add(side)
    assert all(len(s) == 1 for s in sides.values())
    assert {TRAIN, VALID, TEST} <= set(split)


def test_split_sizes_and_stratification_are_close_to_asked():
    _, y, domains = make_data(8000, seed=6)
    split = split_links(domains, y, test_size=0.2, valid_size=0.2, seed=1)
    for side in (TEST, VALID):
        share = (split == side).mean()
        assert 0.15 < share < 0.25
        assert abs(y[split == side].mean() - y.mean()) < 0.03


def test_holdout_site_is_never_trained_on():
    _, y, domains = make_data(3000, seed=8)
    site = np.where(np.arange(3000) % 4 == 0, "shop", "saas")
    split = split_links(
        domains, y, test_size=0.2, valid_size=0.2, seed=1, site=site, holdout_site="shop"
    )
    assert (split[site == "shop"] == UNSEEN_SITE).all()
    assert not (split[site == "saas"] == UNSEEN_SITE).any()


def test_the_split_is_seeded():
    _, y, domains = make_data(3000, seed=9)
    a = split_links(domains, y, test_size=0.2, valid_size=0.2, seed=1)
    b = split_links(domains, y, test_size=0.2, valid_size=0.2, seed=1)
    c = split_links(domains, y, test_size=0.2, valid_size=0.2, seed=2)
    assert (a == b).all()
    assert (a != c).any()
