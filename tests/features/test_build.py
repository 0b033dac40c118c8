"""The composition contract: columns, dtypes, registry, order, isolation, minimal inputs."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from features.build import (
    ANCHOR_CLASS,
    FEATURE_COLUMNS,
    REF_DOMAIN,
    SOURCE_HOST,
    TARGET_DOMAIN,
    FeatureParams,
    build_features,
)
from features.catalog import FEATURES

NUMERIC = (pl.Boolean, pl.Float32, pl.Float64, pl.Int8, pl.Int16, pl.Int32, pl.Int64, pl.UInt32)


def sample() -> pl.DataFrame:
    """Two profiles, with nulls sprinkled over every optional column."""
    return pl.DataFrame(
        {
            "source_url": [
                "https://blog.roses.co.uk/2023/pruning",
                "http://cheap-seo4u.xyz/links?p=2",
                "http://cheap-seo4u.xyz/links?p=3",
                "https://1.2.3.4/page",
                "https://news.example.com/story",
                None,
            ],
            "target_url": ["https://acmegarden.com/roses"] * 3
            + ["https://other.org/", "https://other.org/x", "https://other.org/"],
            "anchor": ["Acme Garden", "buy cheap roses", None, "", "Other", "x"],
            "source_title": ["Pruning roses", "SEO links", None, None, "News", None],
            "nofollow": [False, False, True, None, False, None],
            "link_type": ["text", "text", "image", None, "text", None],
            "sitewide": [False, True, True, None, False, None],
            "first_seen": [date(2023, 1, 1), date(2023, 5, 1), None, date(2022, 1, 1), None, None],
            "last_seen": [date(2024, 1, 1)] * 5 + [None],
            "external_links": [10, 1240, 1240, None, 3, None],
            "internal_links": [50, 2, 2, None, 40, None],
            "domain_authority": [20.0, 45.0, 45.0, None, 80.0, None],
            "domain_traffic": [900.0, 0.0, 0.0, None, 1e6, None],
            "source_ip": ["10.0.0.1", "10.0.0.2", "10.0.0.2", None, "10.9.9.9", None],
            "source_country": ["GB", "RU", "RU", None, "US", None],
            "source_language": ["en", "ru", "ru", None, "en", None],
            "left_context": ["posted by Ann", "© 2024", None, None, None, None],
            "vendor_extra": list("abcdef"),
        }
    )


def test_output_keeps_every_input_column_plus_keys_and_features() -> None:
    frame = sample()
    out = build_features(frame.lazy()).collect()
    assert out.height == frame.height
    # Input columns come back untouched (conform only gives them canonical dtypes).
    assert out.select(frame.columns).equals(frame.cast({c: out.schema[c] for c in frame.columns}))
    for key in (REF_DOMAIN, TARGET_DOMAIN, SOURCE_HOST, ANCHOR_CLASS):
        assert out.schema[key] == pl.String
    assert set(FEATURE_COLUMNS) <= set(out.columns)
    assert len(set(FEATURE_COLUMNS)) == len(FEATURE_COLUMNS)


def test_feature_columns_are_numeric() -> None:
    schema = build_features(sample().lazy()).collect_schema()
    wrong = {name: schema[name] for name in FEATURE_COLUMNS if schema[name] not in NUMERIC}
    assert wrong == {}


def test_registry_covers_every_feature_with_words() -> None:
    assert set(FEATURES) == set(FEATURE_COLUMNS)
    for name, feature in FEATURES.items():
        assert feature.name == name
        assert feature.title.strip()
        assert feature.description.strip()


def test_every_reason_evaluates_on_real_output_including_nulls() -> None:
    out = build_features(sample().lazy()).collect()
    reasons = out.select(
        [FEATURES[name].reason(pl.col(name)).alias(name) for name in FEATURE_COLUMNS]
    )
    assert reasons.height == out.height
    assert all(dtype == pl.String for dtype in reasons.schema.values())
    # Rows with information give words, not nulls, for the features they have.
    assert reasons["link_nofollow"][0] == "followed link (passes PageRank)"
    assert reasons["page_external_links"][1] == "1,240 outbound links on the page"
    assert reasons["dom_tld_spam"][1] == "spam TLD .xyz"
    assert reasons["net_subnet_domains"][0] == "1 other referring domain shares this /24 subnet"
    assert reasons["anc_money_exact"][1] == 'exact-match money anchor "buy cheap roses"'


def test_reason_wording_for_counts() -> None:
    frame = pl.DataFrame({"n": [7, 1, 1_234_567, None]})
    reason = FEATURES["net_subnet_domains"].reason(pl.col("n"))
    assert frame.select(reason).to_series().to_list() == [
        "7 other referring domains share this /24 subnet",
        "1 other referring domain shares this /24 subnet",
        "1,234,567 other referring domains share this /24 subnet",
        None,
    ]


def test_row_order_is_preserved() -> None:
    frame = sample().with_row_index("original")
    shuffled = frame.sample(fraction=1.0, shuffle=True, seed=3)
    out = build_features(shuffled.lazy()).collect()
    assert out["original"].to_list() == shuffled["original"].to_list()


def test_profile_features_ignore_other_profiles() -> None:
    frame = sample()
    alone = frame.filter(pl.col("target_url").str.contains("acmegarden"))
    stranger = frame.filter(~pl.col("target_url").str.contains("acmegarden")).with_columns(
        # Another site's links from the SAME referring domains, IPs and titles.
        pl.Series("source_url", ["http://cheap-seo4u.xyz/links?p=9"] * 3),
        pl.lit("10.0.0.1").alias("source_ip"),
        pl.lit("buy cheap roses").alias("anchor"),
    )
    only = build_features(alone.lazy()).collect()
    mixed = build_features(pl.concat([stranger, alone]).lazy()).collect().tail(alone.height)
    assert only.select(FEATURE_COLUMNS).equals(mixed.select(FEATURE_COLUMNS))


def test_only_source_and_target_urls() -> None:
    frame = pl.LazyFrame(
        {"source_url": ["https://a.com/x", "https://b.org/"], "target_url": ["https://t.com/"] * 2}
    )
    out = build_features(frame).collect()
    assert out.height == 2
    assert out[REF_DOMAIN].to_list() == ["a.com", "b.org"]
    assert out["net_subnet_domains"].to_list() == [None, None]
    assert out["link_nofollow"].to_list() == [None, None]


def test_search_console_style_export() -> None:
    # Search Console: linking page and last crawled date only (target from the property).
    frame = pl.LazyFrame(
        {
            "source_url": ["https://a.com/post", "https://spam.xyz/", "https://a.com/other"],
            "target_url": ["https://t.com/"] * 3,
            "last_seen": [date(2026, 8, 1), date(2026, 9, 15), None],
        }
    )
    out = build_features(frame).collect()
    assert out["dom_links"].to_list() == [2, 1, 2]
    assert out["dom_tld_spam"].to_list() == [False, True, False]
    assert out["link_unseen_days"].to_list() == [45, 0, None]
    assert out[ANCHOR_CLASS].to_list() == [None, None, None]


def test_lazy_output_survives_downstream_queries_and_engines() -> None:
    # The base frame is cached inside the plan: projections, filters and both engines must work
    # and agree (float features are rounded so summation order cannot change them).
    lf = build_features(sample().lazy())
    full = lf.collect()
    assert lf.select("dom_links").collect().equals(full.select("dom_links"))
    assert lf.filter(pl.col("anc_brand")).collect().height == full["anc_brand"].sum()
    assert lf.head(2).collect().equals(full.head(2))
    assert lf.collect(engine="in-memory").equals(full)


def test_bad_params_are_rejected() -> None:
    with pytest.raises(ValueError, match="burst_window_days must be >= 1"):
        build_features(sample().lazy(), FeatureParams(burst_window_days=0))


def _world_with_an_anchorless_profile() -> pl.DataFrame:
    """A seeded world of several sites, one without anchors (as a Search Console export)."""
    from pipeline.world import generate_world

    world = generate_world(3000, 11)
    site = world.get_column("site").unique().sort()[0]
    return world.with_columns(
        pl.when(pl.col("site") == site).then(None).otherwise(pl.col("anchor")).alias("anchor")
    ).drop("site", "label", "tactic")


@pytest.mark.parametrize("chunk", [401, 997, 3000])
@pytest.mark.parametrize("engine", ["in-memory", "streaming"])
def test_batches_give_the_same_features_as_the_whole_profile(chunk: int, engine: str) -> None:
    """Prepared chunk by chunk, tables computed table by table, rows batch by batch: the
    features equal the one-query computation, value for value, in the same order."""
    from polars.testing import assert_frame_equal

    from features.build import collecting, link_rows, prepare_base, profile_tables

    frame = _world_with_an_anchorless_profile()
    whole = build_features(frame.lazy()).collect()
    chunks = [
        prepare_base(frame.slice(start, chunk).lazy(), row_offset=start).collect()
        for start in range(0, frame.height, chunk)
    ]
    tables = profile_tables(pl.concat(chunks).lazy(), stage=collecting(engine))
    batched = pl.concat([link_rows(part.lazy(), tables).collect() for part in chunks])
    assert_frame_equal(batched, whole)
    # Only the anchorless profile has unknown anchors.
    assert whole.filter(pl.col(ANCHOR_CLASS).is_null()).height > 0


def test_a_batch_alone_differs_from_the_profile() -> None:
    """The tables matter: featurizing a batch on its own changes profile-level features (this
    is what the equality above protects against)."""
    frame = _world_with_an_anchorless_profile()
    whole = build_features(frame.lazy()).collect()
    alone = build_features(frame.head(500).lazy()).collect()
    assert not whole.head(500).select(FEATURE_COLUMNS).equals(alone.select(FEATURE_COLUMNS))


def test_names_scored_once_for_the_export_give_the_batches_own_scores() -> None:
    """``linktox score`` scores the referring domains' names once (``NAME_SCORES``) and each
    batch looks them up: the same features as each batch scoring its own names."""
    from polars.testing import assert_frame_equal

    from features.build import (
        NAME_SCORES,
        ProfileTables,
        collecting,
        link_rows,
        name_score_table,
        prepare_base,
        profile_tables,
    )
    from features.knowledge import KN_NAME_SPAM, Knowledge
    from features.names import INTERCEPT, KIND, NGRAM, TOKEN, WEIGHT

    weights = pl.LazyFrame(
        [(INTERCEPT, "", -0.5), (NGRAM, "in", 0.75), (NGRAM, "^s", -1.25), (NGRAM, "e$", 2.0)],
        schema={KIND: pl.String, TOKEN: pl.String, WEIGHT: pl.Float64},
        orient="row",
    )
    knowledge = Knowledge.empty()
    knowledge = Knowledge(knowledge.domains, knowledge.popularity, weights)
    params = FeatureParams(knowledge=knowledge)
    frame = _world_with_an_anchorless_profile()
    chunks = [
        prepare_base(frame.slice(start, 997).lazy(), row_offset=start).collect()
        for start in range(0, frame.height, 997)
    ]
    spilled = pl.concat(chunks).lazy()
    tables = profile_tables(spilled, params, stage=collecting("streaming"))
    named = ProfileTables(
        {**tables.frames, NAME_SCORES: name_score_table(spilled, knowledge).collect().lazy()}
    )
    own = pl.concat([link_rows(part.lazy(), tables).collect() for part in chunks])
    looked_up = pl.concat([link_rows(part.lazy(), named).collect() for part in chunks])
    assert_frame_equal(looked_up, own, check_exact=True)
    assert_frame_equal(own, build_features(frame.lazy(), params).collect(), check_exact=True)
    assert own.get_column(KN_NAME_SPAM).drop_nulls().n_unique() > 5
