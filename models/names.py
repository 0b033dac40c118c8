"""Training the domain-name model: character n-grams plus a few lexical tokens, logistic regression.

Why a linear model over tokens: it learns from hundreds of thousands of real listed names in
seconds, it is deterministic for a seed, and it exports as a plain table of token weights that
:mod:`features.names` scores in pure polars, so the model ships without any pickle.

The n-grams come from scikit-learn's ``CountVectorizer(analyzer="char", binary=True)`` over
``^name$``; the lexical tokens (suffix, TLD, length, digits, hyphens, vowels) from
:func:`features.names.lexical_tokens`, the very expressions the scorer uses. Validation splits by
*name* (the registrable domain without its suffix), so ``casino-top3.ru`` and ``casino-top3.site``
never sit on both sides; the configuration is chosen on that split, then refitted on all rows.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
import polars as pl
import scipy.sparse as sp
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score

from features.names import (
    INTERCEPT,
    KIND,
    NGRAM,
    PAD_END,
    PAD_START,
    TOKEN,
    WEIGHT,
    WEIGHTS_SCHEMA,
    lexical_tokens,
)

logger = logging.getLogger(__name__)

# Columns of the training examples.
NAME = "name"  # registrable domain without its public suffix ("cheap-seo4u")
SUFFIX = "suffix"  # its public suffix ("co.uk")
LABEL = "label"  # 1 = spam-side list, 0 = legitimate category or popular

FORMAT_VERSION = 1
VALIDATION_FOLDS = 5  # one name in five validates
_SEP = "\x1f"  # between kind and token in the lexical vocabulary (never in a name)


@dataclass(frozen=True)
class NameModelConfig:
    """One point of the search: n-gram lengths, inverse regularisation, rarest n-gram kept."""

    ngram_min: int = 2
    ngram_max: int = 5
    c: float = 0.1
    min_df: int = 3


DEFAULT_GRID: tuple[NameModelConfig, ...] = (
    NameModelConfig(2, 5, 0.03),
    NameModelConfig(2, 5, 0.1),
    NameModelConfig(2, 5, 0.3),
    NameModelConfig(1, 5, 0.1),
    NameModelConfig(2, 6, 0.1),
)


@dataclass(frozen=True)
class NameModel:
    """A fitted model: its weights table, the sklearn parts (for tests) and what was measured."""

    weights: pl.DataFrame  # kind, token, weight (features.names.WEIGHTS_SCHEMA), sorted
    metadata: dict[str, Any]
    classifier: LogisticRegression
    ngrams: CountVectorizer
    lexical: CountVectorizer

    def design(self, examples: pl.DataFrame) -> sp.csr_matrix:
        """The sparse design matrix of ``examples`` (columns NAME, SUFFIX) for the classifier."""
        return _design(examples, self.ngrams, self.lexical, fit=False)

    def decision_function(self, examples: pl.DataFrame) -> np.ndarray:
        """scikit-learn's decision values (the reference the polars scorer must equal)."""
        return self.classifier.decision_function(self.design(examples))


def validation_fold(names: pl.Series, seed: int) -> pl.Series:
    """True for the names that validate: a seeded hash of the name, so one name one side."""
    salt = f"linktox-names-validation:{seed}:"
    unique = names.unique().drop_nulls().to_list()
    chosen = {
        name
        for name in unique
        if int.from_bytes(hashlib.sha256((salt + name).encode()).digest()[:8], "big")
        % VALIDATION_FOLDS
        == 0
    }
    return names.is_in(list(chosen)).fill_null(False).alias("validation")


def _identity(tokens: list[str]) -> list[str]:
    return tokens


def _lexical_documents(examples: pl.DataFrame) -> list[list[str]]:
    tokens = lexical_tokens(pl.col(NAME), pl.col(SUFFIX))
    frame = examples.select(
        pl.concat_list(
            [pl.concat_str([pl.lit(kind + _SEP), expr]) for kind, expr in tokens.items()]
        )
        .list.drop_nulls()
        .alias("tokens")
    )
    return frame["tokens"].to_list()


def _ngram_documents(examples: pl.DataFrame) -> list[str]:
    return examples.select(pl.concat_str([pl.lit(PAD_START), pl.col(NAME), pl.lit(PAD_END)]))[
        :, 0
    ].to_list()


def _vectorizers(config: NameModelConfig) -> tuple[CountVectorizer, CountVectorizer]:
    ngrams = CountVectorizer(
        analyzer="char",
        ngram_range=(config.ngram_min, config.ngram_max),
        lowercase=False,
        binary=True,
        min_df=config.min_df,
        dtype=np.float64,
    )
    lexical = CountVectorizer(
        analyzer=_identity, lowercase=False, binary=True, min_df=config.min_df, dtype=np.float64
    )
    return ngrams, lexical


def _design(
    examples: pl.DataFrame, ngrams: CountVectorizer, lexical: CountVectorizer, *, fit: bool
) -> sp.csr_matrix:
    docs, lex = _ngram_documents(examples), _lexical_documents(examples)
    if fit:
        return sp.hstack([ngrams.fit_transform(docs), lexical.fit_transform(lex)]).tocsr()
    return sp.hstack([ngrams.transform(docs), lexical.transform(lex)]).tocsr()


def _fit(
    examples: pl.DataFrame, config: NameModelConfig, seed: int
) -> tuple[LogisticRegression, CountVectorizer, CountVectorizer]:
    ngrams, lexical = _vectorizers(config)
    x = _design(examples, ngrams, lexical, fit=True)
    # liblinear: deterministic for a random_state, and fast on sparse binary features. Balanced
    # class weights because spam-side names outnumber legitimate ones several times.
    classifier = LogisticRegression(
        C=config.c, class_weight="balanced", solver="liblinear", random_state=seed, max_iter=1000
    )
    classifier.fit(x, examples[LABEL].to_numpy())
    return classifier, ngrams, lexical


def export_weights(
    classifier: LogisticRegression, ngrams: CountVectorizer, lexical: CountVectorizer
) -> pl.DataFrame:
    """The weights table: one row per token with a non-zero weight, plus the intercept."""
    coef = classifier.coef_.ravel().astype(np.float64)
    ngram_names = ngrams.get_feature_names_out().tolist()
    lexical_names = lexical.get_feature_names_out().tolist()
    kinds = [NGRAM] * len(ngram_names) + [name.split(_SEP, 1)[0] for name in lexical_names]
    tokens = ngram_names + [name.split(_SEP, 1)[1] for name in lexical_names]
    table = pl.DataFrame({KIND: kinds, TOKEN: tokens, WEIGHT: coef}, schema=WEIGHTS_SCHEMA)
    intercept = pl.DataFrame(
        {KIND: [INTERCEPT], TOKEN: [""], WEIGHT: [float(classifier.intercept_[0])]},
        schema=WEIGHTS_SCHEMA,
    )
    return pl.concat([intercept, table.filter(pl.col(WEIGHT) != 0.0).sort(KIND, TOKEN)])


def _auc(labels: np.ndarray, scores: np.ndarray) -> float | None:
    if len(np.unique(labels)) < 2:
        return None
    return float(roc_auc_score(labels, scores))


def _counts(examples: pl.DataFrame) -> dict[str, int]:
    return {
        "examples": examples.height,
        "spam": int(examples[LABEL].sum()),
        "legit": int(examples.height - examples[LABEL].sum()),
    }


def fit_name_model(
    examples: pl.DataFrame, seed: int, grid: Sequence[NameModelConfig] = DEFAULT_GRID
) -> NameModel:
    """Choose a configuration on the validation names, then refit it on every example.

    ``examples`` has NAME, SUFFIX and LABEL (0/1). Returns the refitted model; its metadata holds
    every configuration's validation ROC-AUC, the choice, the sizes and the seed.
    """
    examples = examples.select(
        pl.col(NAME).cast(pl.String), pl.col(SUFFIX).cast(pl.String), pl.col(LABEL).cast(pl.Int8)
    ).sort(NAME, SUFFIX, LABEL)
    if examples[NAME].null_count():
        raise ValueError("name model examples must all have a name")
    fold = validation_fold(examples[NAME], seed)
    train, valid = examples.filter(~fold), examples.filter(fold)
    trials = []
    for config in grid:
        classifier, ngrams, lexical = _fit(train, config, seed)
        scores = classifier.decision_function(_design(valid, ngrams, lexical, fit=False))
        auc = _auc(valid[LABEL].to_numpy(), scores)
        logger.info("name model %s: validation ROC-AUC %s", config, auc)
        trials.append({**asdict(config), "validation_auc": auc, "ngrams": len(ngrams.vocabulary_)})
    best = max(range(len(grid)), key=lambda i: trials[i]["validation_auc"] or 0.0)
    config = grid[best]
    classifier, ngrams, lexical = _fit(examples, config, seed)
    weights = export_weights(classifier, ngrams, lexical)
    metadata: dict[str, Any] = {
        "format": FORMAT_VERSION,
        "model": "logistic regression (liblinear, L2, balanced class weights)",
        "tokens": "binary char n-grams of ^name$ + suffix, tld, length, digits, hyphens, vowels",
        "seed": seed,
        "chosen": asdict(config),
        "validation_auc": trials[best]["validation_auc"],
        "validation_split": f"sha256 of the name, 1 in {VALIDATION_FOLDS}",
        "trials": trials,
        "train": _counts(train),
        "validation": _counts(valid),
        "final_fit": _counts(examples),
        "weights": weights.height,
    }
    return NameModel(weights, metadata, classifier, ngrams, lexical)
