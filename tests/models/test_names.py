"""The name model: the polars scorer equals scikit-learn; training is seeded and splits by name."""

from __future__ import annotations

import string

import numpy as np
import polars as pl
import pytest

from features.names import name_logits, name_scores
from models.names import (
    LABEL,
    NAME,
    SUFFIX,
    NameModel,
    NameModelConfig,
    fit_name_model,
    validation_fold,
)

SPAM_WORDS = ("casino", "cheap", "pills", "bet", "loan", "seo", "viagra", "slots")
LEGIT_WORDS = ("garden", "news", "library", "times", "school", "bakery", "museum", "club")
SUFFIXES = ("com", "xyz", "co.uk", "info", "de", "blogspot.com", "xn--p1ai")


def make_examples(n: int, seed: int) -> pl.DataFrame:
    """Learnable but noisy names: spam words + digits/hyphens vs ordinary words."""
    rng = np.random.default_rng(seed)
    letters = list(string.ascii_lowercase)
    names, suffixes, labels = [], [], []
    for i in range(n):
        spam = i % 3 != 0
        words = SPAM_WORDS if spam else LEGIT_WORDS
        name = str(rng.choice(words)) + "".join(rng.choice(letters, int(rng.integers(0, 5))))
        if spam and rng.random() < 0.5:
            name = f"{name}-{rng.integers(0, 99)}"
        if rng.random() < 0.1:  # label noise
            spam = not spam
        names.append(name)
        suffixes.append(str(rng.choice(SUFFIXES)))
        labels.append(int(spam))
    edge = ["a", "1", "-", "xn--bcher-kva", "ab", "zz9-9zz", "x" * 40]
    return pl.DataFrame(
        {
            NAME: names + edge,
            SUFFIX: [*suffixes, "com", None, "xyz", "de", "unseen-suffix", "co.uk", "com"],
            LABEL: [*labels, 1, 0, 1, 0, 1, 0, 1],
        }
    )


GRID = (NameModelConfig(1, 4, 1.0, 1), NameModelConfig(2, 5, 0.3, 2))


@pytest.fixture(scope="module")
def model() -> NameModel:
    return fit_name_model(make_examples(600, seed=11), seed=5, grid=GRID)


def test_polars_scorer_equals_sklearn(model: NameModel) -> None:
    examples = make_examples(400, seed=99)  # names the model has not all seen
    reference = model.decision_function(examples)
    logits = name_logits(
        examples.lazy(), NAME, model.weights.lazy(), "z", suffix_col=SUFFIX
    ).collect()["z"]
    assert logits.null_count() == 0
    np.testing.assert_allclose(logits.to_numpy(), reference, rtol=0, atol=1e-6)
    proba = model.classifier.predict_proba(model.design(examples))[:, 1]
    scores = name_scores(examples.lazy(), NAME, model.weights.lazy(), "p", suffix_col=SUFFIX)
    np.testing.assert_allclose(scores.collect()["p"].to_numpy(), proba, rtol=0, atol=1e-6)
    # And the scores separate the classes (the test would catch a scorer summing nothing).
    assert reference[examples[LABEL].to_numpy() == 1].mean() > 0


def test_metadata_and_choice(model: NameModel) -> None:
    meta = model.metadata
    aucs = [trial["validation_auc"] for trial in meta["trials"]]
    assert len(aucs) == len(GRID)
    assert meta["validation_auc"] == max(aucs)
    best = meta["trials"][aucs.index(max(aucs))]
    assert meta["chosen"] == {key: best[key] for key in ("ngram_min", "ngram_max", "c", "min_df")}
    assert 0.7 < meta["validation_auc"] <= 1.0
    assert meta["train"]["examples"] + meta["validation"]["examples"] == 607
    assert meta["final_fit"]["examples"] == 607
    assert meta["seed"] == 5
    assert model.weights.filter(pl.col("kind") == "intercept").height == 1


def test_training_is_deterministic(model: NameModel) -> None:
    again = fit_name_model(make_examples(600, seed=11), seed=5, grid=GRID)
    assert again.weights.equals(model.weights)
    assert again.metadata == model.metadata
    # Input order does not matter either (the examples are sorted first).
    shuffled = make_examples(600, seed=11).sample(fraction=1.0, shuffle=True, seed=3)
    assert fit_name_model(shuffled, seed=5, grid=GRID).weights.equals(model.weights)


def test_validation_splits_by_name() -> None:
    names = pl.Series([f"name{i}" for i in range(500)] * 3)
    fold = validation_fold(names, seed=1)
    frame = pl.DataFrame({"name": names, "fold": fold})
    assert frame.group_by("name").agg(pl.col("fold").n_unique())["fold"].max() == 1
    assert 0.1 < fold.mean() < 0.3
    assert not validation_fold(names, seed=2).equals(fold)  # seeded


def test_rejects_nameless_examples() -> None:
    bad = pl.DataFrame({NAME: ["a", None], SUFFIX: ["com", "com"], LABEL: [0, 1]})
    with pytest.raises(ValueError, match="name"):
        fit_name_model(bad, seed=1, grid=GRID)
