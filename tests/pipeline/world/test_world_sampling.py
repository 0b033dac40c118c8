"""The vectorised sampling helpers and the link allocation."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest

from pipeline.world import sampling, tactics
from pipeline.world.build import allocate
from pipeline.world.dists import Geometric, UniformInt
from pipeline.world.sites import SITES


def test_group_links_keeps_every_link_and_site() -> None:
    rng = np.random.default_rng(0)
    counts = np.array([0, 17, 1, 300])
    groups = sampling.group_links(rng, counts, Geometric(3.0))
    assert groups.n_links == counts.sum()
    assert np.bincount(groups.link_site, minlength=4).tolist() == counts.tolist()
    sizes = np.bincount(groups.link_domain)
    assert sizes.min() >= 1
    assert groups.n_domains < groups.n_links


@pytest.mark.parametrize("n", [0, 3, 5, 41, 400])
def test_split_groups_respects_bounds(n: int) -> None:
    group = sampling.split_groups(np.random.default_rng(n), n, UniformInt(5, 40))
    assert len(group) == n
    if n:
        sizes = np.bincount(group)
        assert sizes.max() <= 40 + 5  # a short tail merges into the last group
        if len(sizes) > 1:
            assert sizes.min() >= 5


def test_pick_by_draws_from_each_rows_group() -> None:
    groups = [("a", "b"), ("c",), ("d", "e", "f")]
    which = np.array([0, 1, 2] * 50)
    picked = sampling.pick_by(np.random.default_rng(1), groups, which).to_list()
    for g, word in zip(which.tolist(), picked, strict=True):
        assert word in groups[g]
    with pytest.raises(ValueError, match="has no words"):
        sampling.pick_by(np.random.default_rng(1), [(), ("x",)], np.array([0]))


def test_templates_fill_placeholders_per_row() -> None:
    frame = pl.DataFrame({"i": [0, 1], "a": ["x", "y"], "n": [3, 4]})
    out = frame.select(sampling.templates("i", ["/{a}/{n}/", "{a}-{a}"])).to_series().to_list()
    assert out == ["/x/3/", "y-y"]


def test_subnet_ips_are_dotted_quads() -> None:
    ips = sampling.ip_strings(sampling.ipv4(np.random.default_rng(2), 200, cdn_share=0.5))
    assert ips.str.contains(r"^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$").all()
    assert ips.str.starts_with("104.").any() or ips.str.starts_with("172.").any()


def test_allocation_is_exact_and_follows_each_sites_mix() -> None:
    counts = allocate(10_007, SITES)
    assert counts.sum() == 10_007
    shop = [x.slug for x in SITES].index("shop-under-attack")
    nseo = tactics.TACTICS.index(tactics.NEGATIVE_SEO)
    assert counts[nseo, shop] == counts[nseo].max() > 0
    clean = [x.slug for x in SITES].index("clean-saas")
    assert counts[tactics.TACTICS.index(tactics.PBN), clean] == 0


def test_every_site_with_attack_links_has_an_attack_date() -> None:
    for site in SITES:
        if site.mix.get(tactics.NEGATIVE_SEO, 0) > 0:
            assert site.attacks, site.slug
        assert set(site.mix) <= set(tactics.TACTICS)
