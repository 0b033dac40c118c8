"""The never-alone policy of models.score: topic relevance alone never flags a link."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest

from features.columns import REF_DOMAIN
from features.relevance import REL_TOPIC_SCORE
from models.bundle import Bundle, BundleError
from models.cutoffs import WHITELIST, CutoffGoals, label_array, to_score
from models.score import ScoreCache, distinct_raw, feature_matrix, policy_proba, score_frame
from models.train import fit_bundle

NAMES = ("money", REL_TOPIC_SCORE, "noise")


def _data(n: int, seed: int) -> pl.DataFrame:
    """Toxic links use money anchors; off-topic pages (low topic score) are toxic more often,
    so the model learns to flag some off-topic pages on relevance alone."""
    rng = np.random.default_rng(seed)
    money = (rng.random(n) < 0.2).astype(float)
    topic = rng.uniform(0, 1, n)
    p = np.where(money == 1, 0.9, np.where(topic < 0.15, 0.6, 0.03))
    y = (rng.random(n) < p).astype(int)
    return pl.DataFrame(
        {"money": money, REL_TOPIC_SCORE: topic, "noise": rng.normal(size=n), "y": y}
    )


@pytest.fixture(scope="module")
def bundle(lgbm_params: dict) -> Bundle:
    train, valid = _data(6000, 1), _data(3000, 2)
    fitted, _ = fit_bundle(
        feature_matrix(train, NAMES),
        train["y"].to_numpy(),
        feature_matrix(valid, NAMES),
        valid["y"].to_numpy(),
        feature_names=NAMES,
        params=lgbm_params,
        early_stopping_rounds=10,
        calibration_method="isotonic",
        goals=CutoffGoals(toxic_precision=0.85, max_toxic_whitelisted=0.2,
                          use_default_bands=False, default_review=45.0, default_toxic=60.0,
                          max_review_share=1.0),
    )  # fmt: skip
    return fitted


def test_relevance_alone_never_flags(bundle: Bundle) -> None:
    frame = _data(3000, 3)
    X = feature_matrix(frame, NAMES)
    before = label_array(to_score(bundle.predict_proba(X)), bundle.cutoffs)
    scored = score_frame(frame, bundle, {}, n_reasons=2)
    off_topic_only = (frame["money"] == 0) & (frame[REL_TOPIC_SCORE] < 0.15)
    # Without the policy the model flags off-topic pages that nothing else marks...
    assert (before[off_topic_only.to_numpy()] != WHITELIST).mean() > 0.5
    # ...with it, they are whitelisted, without reasons, and money-anchor links stay flagged.
    spared = scored.filter(off_topic_only)
    assert (spared["label"] == WHITELIST).mean() > 0.95
    assert (spared.filter(pl.col("label") == WHITELIST)["reasons"] == "").all()
    money = scored.filter(pl.col("money") == 1)
    assert (money["label"] != WHITELIST).mean() > 0.9
    # The policy only ever lowers a score, and evaluation sees the same scores as users.
    assert (scored["toxicity_score"].to_numpy() <= to_score(bundle.predict_proba(X))).all()
    assert np.array_equal(to_score(policy_proba(X, bundle)), scored["toxicity_score"].to_numpy())


def test_a_search_engines_own_pages_are_whitelisted_and_nothing_else_is(bundle: Bundle) -> None:
    frame = _data(400, 4).with_columns(pl.lit(1.0).alias("money"))  # every link flagged
    sites = ["google.com.pe", "bing.net", "yandex.ru", "googlefans.xyz", "sites.google.com/view/x",
             "cheap-links.biz", None, "my-google.com"]  # fmt: skip
    frame = frame.with_columns(
        pl.Series(REF_DOMAIN, [sites[i % len(sites)] for i in range(frame.height)])
    )
    scored = score_frame(frame, bundle, {}, n_reasons=2)
    engine = pl.col(REF_DOMAIN).is_in(["google.com.pe", "bing.net", "yandex.ru"])
    mine = scored.filter(engine)
    assert (mine["label"] == WHITELIST).all() and (mine["reasons"] == "").all()
    assert (mine["toxicity_score"] < bundle.cutoffs.review).all()
    # Look-alikes, a user site on a search engine's platform and unknown sites keep their score.
    others = scored.filter(~engine.fill_null(False))
    assert (others["label"] != WHITELIST).mean() > 0.9
    without = score_frame(frame.drop(REF_DOMAIN), bundle, {}, n_reasons=2)
    kept = ~frame[REF_DOMAIN].is_in(["google.com.pe", "bing.net", "yandex.ru"]).fill_null(False)
    assert (scored.filter(kept)["toxicity_score"] == without.filter(kept)["toxicity_score"]).all()


def test_a_model_needing_features_linktox_does_not_compute_is_a_one_line_error(
    bundle: Bundle,
) -> None:
    frame = _data(10, 4).drop("noise")
    with pytest.raises(BundleError, match="needs features this linktox does not compute: noise"):
        score_frame(frame, bundle, {}, n_reasons=2)


def test_spared_links_sit_at_the_top_of_the_whitelist_band_in_the_models_order(
    bundle: Bundle,
) -> None:
    frame = _data(3000, 5)
    X = feature_matrix(frame, NAMES)
    model = to_score(bundle.predict_proba(X))
    shown = to_score(policy_proba(X, bundle))
    left = to_score(policy_proba(X, bundle, shown=False))
    spared = (model >= bundle.cutoffs.review) & (shown < bundle.cutoffs.review)
    assert spared.sum() > 20
    # Same labels either way; a spared link is never shown under the score relevance left...
    review = bundle.cutoffs.review
    assert np.array_equal(shown < review, left < review)
    assert (shown[spared] >= left[spared]).all()
    # ...sits in the top two points of the whitelist band, above every unflagged link it
    # outranked, and keeps the model's order.
    assert (shown[spared] >= review - 2.1 - 1e-9).all()
    assert (shown[spared] <= review - 0.1 + 1e-9).all()
    unflagged = model < review
    assert (shown[spared].min() >= model[unflagged & (model < review - 2.1)]).all()
    placed = spared & (shown > left)  # where the band, not the score left, sets the place
    order = np.argsort(model[placed], kind="stable")
    assert (np.diff(shown[placed][order]) >= -0.1 - 1e-9).all()  # one-decimal rounding


def _repeated(n: int, seed: int) -> pl.DataFrame:
    """Links sharing feature rows, as a domain's links do, with a null and a NaN among them."""
    frame = _data(n, seed)
    rows = frame.sample(3 * n, with_replacement=True, seed=seed)
    return rows.with_columns(
        pl.when(pl.int_range(pl.len()) % 7 == 0)
        .then(None)
        .otherwise(pl.col("noise"))
        .alias("noise"),
        pl.when(pl.int_range(pl.len()) % 11 == 0)
        .then(float("nan"))
        .otherwise(pl.col(REL_TOPIC_SCORE))
        .alias(REL_TOPIC_SCORE),
    )


def test_scoring_once_per_distinct_row_gives_lightgbms_numbers_bit_for_bit(bundle: Bundle) -> None:
    batches = [_repeated(500, seed) for seed in (6, 7, 6)]  # the third repeats the first
    cache = ScoreCache()
    for batch in batches:
        X = feature_matrix(batch, NAMES)
        full = bundle.predict_raw(X)
        for got in (distinct_raw(batch, X, bundle), distinct_raw(batch, X, bundle, cache)):
            assert got.view(np.int64).tolist() == full.view(np.int64).tolist()
    assert cache.known() is not None and cache.known().height < sum(b.height for b in batches)
    # A full cache still scores every row; a cache of another model is refused.
    small = ScoreCache(max_rows=10)
    for batch in batches:
        X = feature_matrix(batch, NAMES)
        assert np.array_equal(distinct_raw(batch, X, bundle, small), bundle.predict_raw(X))
    assert small.known() is not None and small.known().height == 10
    other = Bundle(
        model_text=bundle.model_text + "\n",
        calibrator=bundle.calibrator,
        cutoffs=bundle.cutoffs,
        feature_names=bundle.feature_names,
    )
    with pytest.raises(ValueError, match="another model"):
        distinct_raw(batches[0], feature_matrix(batches[0], NAMES), other, cache)


def test_a_score_cache_changes_no_scored_value(bundle: Bundle) -> None:
    batches = [_repeated(400, seed) for seed in (8, 9, 8)]
    cache = ScoreCache()
    for batch in batches:
        alone = score_frame(batch, bundle, {}, n_reasons=2)
        cached = score_frame(batch, bundle, {}, n_reasons=2, score_cache=cache)
        assert alone.equals(cached)
    assert distinct_raw(batches[0].head(0), np.zeros((0, len(NAMES))), bundle).shape == (0,)
