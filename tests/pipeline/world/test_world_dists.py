"""The distribution types of the world's specs and the samplers that draw from them."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest

from pipeline.world import sampling
from pipeline.world.dists import (
    Beta,
    Categorical,
    Geometric,
    LogNormal,
    Mixture,
    Uniform,
    UniformInt,
)


def _rng(seed: int = 0) -> np.random.Generator:
    return np.random.default_rng(seed)


@pytest.mark.parametrize(
    "make",
    [
        lambda: Beta(10, 5, a=2, b=2),
        lambda: Beta(0, 10, a=0, b=2),
        lambda: LogNormal(10, sigma=-1),
        lambda: LogNormal(10, sigma=1, lo=5, hi=1),
        lambda: Uniform(1.0, 0.5),
        lambda: UniformInt(5, 4),
        lambda: Geometric(0.5),
        lambda: Mixture(share=1.5, then=Geometric(2), otherwise=Geometric(1)),
        lambda: Categorical({}),
        lambda: Categorical({"a": -1.0, "b": 2.0}),
        lambda: Categorical({"a": 0.0}),
        lambda: Categorical.uniform(["a", "b", "a"]),
    ],
)
def test_a_spec_typo_fails_when_the_spec_is_made(make: Callable[[], object]) -> None:
    with pytest.raises(ValueError):
        make()


def test_beta_and_lognormal_draw_whole_numbers_within_their_bounds() -> None:
    da = sampling.beta(_rng(), 2_000, Beta(20, 50, a=2.2, b=2))
    assert da.min() >= 20 and da.max() <= 50 and (da == np.round(da)).all()
    assert 30 < np.median(da) < 40
    links = sampling.lognormal(_rng(), 2_000, LogNormal(900, sigma=0.9, lo=150, hi=20_000))
    assert links.min() >= 150 and links.max() <= 20_000 and (links == np.round(links)).all()
    assert 700 < np.median(links) < 1_100


def test_domain_sizes_follow_their_distribution() -> None:
    few = sampling.domain_sizes(_rng(), 5_000, Geometric(1.5, cap=20))
    assert few.min() >= 1 and few.max() <= 20 and 1.3 < few.mean() < 1.7
    blogroll = Mixture(
        share=0.1, then=LogNormal(500, sigma=0.1, lo=1, hi=2_000), otherwise=Geometric(1.0)
    )
    mixed = sampling.domain_sizes(_rng(), 5_000, blogroll)
    assert set(np.unique(mixed[mixed < 100]).tolist()) == {1}
    assert 0.08 < (mixed >= 100).mean() < 0.12


def test_categorical_options_are_drawn_by_weight() -> None:
    tlds = Categorical({"com": 0.6, "net": 0.4, "never": 0.0})
    picked = sampling.pick(_rng(), tlds, 5_000).to_list()
    assert "never" not in picked
    assert 0.56 < picked.count("com") / len(picked) < 0.64
    idx = sampling.choice(_rng(), 100, tlds)
    assert idx.min() >= 0 and idx.max() < len(tlds)
    assert set(sampling.options(_rng(), 100, tlds).tolist()) <= {"com", "net"}


def test_plain_lists_and_categoricals_use_the_generator_as_documented() -> None:
    # The world's reproducibility rests on this: a plain list is drawn with rng.integers, a
    # Categorical (even with equal weights) with rng.choice.
    words = ("a", "b", "c")
    plain = sampling.pick(_rng(1), words, 50).to_list()
    assert plain == [words[i] for i in _rng(1).integers(0, 3, 50)]
    weighted = sampling.pick(_rng(1), Categorical.uniform(words), 50).to_list()
    assert weighted == [words[i] for i in _rng(1).choice(3, size=50, p=np.full(3, 1 / 3))]
