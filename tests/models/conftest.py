"""Seeded synthetic feature data for model tests: no world, no features package needed."""

from __future__ import annotations

import numpy as np
import pytest

FEATURES = ("f_subnet", "f_money", "f_noise", "f_authority")


def make_data(n: int, seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A learnable problem with noise: toxic links share a subnet and use money anchors."""
    rng = np.random.default_rng(seed)
    y = (rng.random(n) < 0.25).astype(int)
    subnet = rng.poisson(np.where(y == 1, 6, 0.5)).astype(float)
    money = (rng.random(n) < np.where(y == 1, 0.7, 0.1)).astype(float)
    noise = rng.normal(size=n)
    authority = rng.uniform(0, 100, n)  # the same distribution for both classes
    X = np.column_stack([subnet, money, noise, authority])
    domains = rng.integers(0, n // 5, n).astype(str)
    return X, y, domains


@pytest.fixture(scope="session")
def data() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    return make_data(6000, seed=7)


@pytest.fixture(scope="session")
def lgbm_params() -> dict:
    return {
        "objective": "binary",
        "learning_rate": 0.1,
        "num_iterations": 80,
        "num_leaves": 15,
        "min_data_in_leaf": 20,
        "num_threads": 2,
        "seed": 3,
        "deterministic": True,
        "force_row_wise": True,
        "verbosity": -1,
        "metric": ["average_precision"],
    }
