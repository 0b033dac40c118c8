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


def _frames(n_world: int, n_reviewed: int, reviewed_domains: int):
    import polars as pl

    world = pl.DataFrame(
        {
            "source_url": [f"http://w{i}.test/" for i in range(n_world)],
            "target_url": "http://site.test/",
            "ref_domain": [f"d{i % 200}.test" for i in range(n_world)],
            "label": [i % 4 == 0 for i in range(n_world)],
            "site": ["shop" if i % 5 == 0 else "saas" for i in range(n_world)],
        }
    ).with_columns(pl.col("label").cast(pl.Int8))
    reviewed = pl.DataFrame(
        {
            # The first reviewed link is also a world link: the reviewed label must win.
            "source_url": [
                "http://w0.test/",
                *(f"http://r{i}.test/" for i in range(1, n_reviewed)),
            ],
            "target_url": "http://site.test/",
            "ref_domain": [f"r{i % reviewed_domains}.test" for i in range(n_reviewed)],
            "label": [i % 3 == 0 for i in range(n_reviewed)],
        }
    ).with_columns(pl.col("label").cast(pl.Int8))
    return world, reviewed


def _spec(min_test_domains: int = 20):
    from models.split import SplitSpec

    return SplitSpec(
        seed=1, test_size=0.2, valid_size=0.2, holdout_site="shop", reviewed_weight=5.0,
        reviewed_min_test_domains=min_test_domains, reviewed_test_size=0.3,
    )  # fmt: skip


def test_assign_splits_reviewed_labels_override_world_links_and_weigh_more():
    from models.split import REVIEWED, SOURCE, SPLIT, WEIGHT, WORLD, assign_splits

    world, reviewed = _frames(2000, 300, 60)
    split = assign_splits(world, reviewed, _spec())
    assert split.filter(split[SOURCE] == WORLD).height == world.height - 1  # w0 dropped
    assert split.filter(split[SOURCE] == REVIEWED).height == reviewed.height
    assert set(split.filter(split[SOURCE] == REVIEWED)[WEIGHT].unique()) == {5.0}
    assert set(split.filter(split[SOURCE] == WORLD)[WEIGHT].unique()) == {1.0}
    world_sides = set(split.filter(split[SOURCE] == WORLD)[SPLIT].unique())
    assert world_sides == {TRAIN, VALID, TEST, UNSEEN_SITE}


def test_reviewed_test_set_only_once_there_are_enough_domains():
    from models.split import REVIEWED, REVIEWED_TEST, SOURCE, SPLIT, assign_splits

    world, reviewed = _frames(2000, 300, 60)
    enough = assign_splits(world, reviewed, _spec(min_test_domains=20))
    sides = enough.filter(enough[SOURCE] == REVIEWED)[SPLIT]
    assert set(sides.unique()) == {TRAIN, REVIEWED_TEST}
    assert 0.15 < (sides == REVIEWED_TEST).mean() < 0.45
    few = assign_splits(world, reviewed, _spec(min_test_domains=61))
    assert set(few.filter(few[SOURCE] == REVIEWED)[SPLIT].unique()) == {TRAIN}


def test_rows_of_and_pick_return_the_assigned_rows():
    from models.split import REVIEWED, WORLD, assign_splits, pick, rows_of

    world, reviewed = _frames(2000, 300, 60)
    split = assign_splits(world, reviewed, _spec())
    train = rows_of(split, TRAIN, world, reviewed, ("source_url", "label"))
    picked = pick(world, split, WORLD, TRAIN)
    reviewed_train = pick(reviewed, split, REVIEWED, TRAIN)
    assert train.height == picked.height + reviewed_train.height
    assert set(train["source_url"]) == set(picked["source_url"]) | set(reviewed_train["source_url"])
    assert rows_of(split, "nothing", world, reviewed, ("label",)).is_empty()


def test_held_out_reviewed_domains_stay_held_out_as_more_are_reviewed():
    import polars as pl

    from models.split import REVIEWED, REVIEWED_TEST, SOURCE, SPLIT, assign_splits

    world, reviewed = _frames(2000, 300, 60)
    _, more = _frames(2000, 900, 180)  # the same 60 domains plus 120 reviewed later

    def held(rev: pl.DataFrame) -> set[str]:
        split = assign_splits(world, rev, _spec())
        sides = split.filter(split[SOURCE] == REVIEWED)[SPLIT]
        return set(rev.filter(sides == REVIEWED_TEST)["ref_domain"])

    before, after = held(reviewed), held(more)
    assert before and before <= after  # no held-out domain moves into training
    assert after - before  # and new domains are held out too


def test_reviewing_world_links_moves_no_other_world_link():
    import polars as pl

    from models.split import SOURCE, SPLIT, WORLD, assign_splits

    world, reviewed = _frames(2000, 300, 60)
    # 150 world links reviewed as well (a reviewer judged links the world also holds).
    overlap = pl.concat([reviewed, world.head(150).select(reviewed.columns)])

    def sides(split: pl.DataFrame) -> pl.DataFrame:
        return split.filter(pl.col(SOURCE) == WORLD).select("row", SPLIT)

    before = sides(assign_splits(world, reviewed.tail(299), _spec()))
    after = sides(assign_splits(world, overlap, _spec()))
    kept = before.join(after, on="row", suffix="_after")
    assert kept.height == world.height - 150
    assert (kept[SPLIT] == kept[f"{SPLIT}_after"]).all()


def test_stable_share_is_seeded_and_uniform():
    import numpy as np

    from models.split import stable_share

    keys = np.array([f"d{i}.test" for i in range(4000)])
    a, b = stable_share(keys, 1), stable_share(keys, 2)
    np.testing.assert_array_equal(a, stable_share(keys[::-1], 1)[::-1])  # per key, not position
    assert not np.array_equal(a, b)
    assert 0.27 < (a < 0.3).mean() < 0.33
