"""Anchor classes and anchor-text signals, pinned on hand-written profiles."""

from __future__ import annotations

import polars as pl

from features.build import ANCHOR_CLASS, build_features

TARGET = "https://www.acmeanalytics.com/analytics-dashboard"


def classify(anchors: list[str | None], link_types: list[str] | None = None) -> pl.DataFrame:
    frame = pl.LazyFrame(
        {
            "source_url": [f"https://site{i}.com/post" for i in range(len(anchors))],
            "target_url": [TARGET] * len(anchors),
            "anchor": anchors,
            "link_type": link_types or ["text"] * len(anchors),
        },
        schema_overrides={"anchor": pl.String},
    )
    return build_features(frame).collect()


def test_anchor_classes() -> None:
    cases = {
        "Acme Analytics": "brand",
        "acmeanalytics": "brand",
        "www.acmeanalytics.com": "url",
        "https://acmeanalytics.com/pricing": "url",
        "click here": "generic",
        "Read more »": "generic",
        "buy cheap viagra online": "money_exact",
        # CBD and cannabis are spam verticals too (a real directory's 890 alias pages carried
        # "Natural CBD Product").
        "Natural CBD Product": "money_exact",
        "best analytics software": "money_exact",
        "analytics dashboard": "money_exact",  # only the target page's own keywords
        "I found the best tool for this job on their blog": "money_partial",
        "Acme Analytics best price": "compound",
        # Sentences of more than twelve words are never money or compound.
        "Show your favourite dashboards some love and vote for them in the Acme Analytics "
        "best of contest": "brand",
        "We compared every cheap analytics tool we could find over a long and rainy "
        "weekend in March": "other",
        "»»»": "symbol",
        "a lovely afternoon in the park": "other",
        "": "empty",
    }
    out = classify(list(cases))
    assert dict(zip(cases, out[ANCHOR_CLASS].to_list(), strict=True)) == cases
    flags = out.filter(pl.col("anchor") == "buy cheap viagra online").row(0, named=True)
    assert flags["anc_money_exact"] is True
    assert flags["anc_brand"] is False
    assert flags["anc_spam_pharma"] is True
    assert flags["anc_spam_gambling"] is False
    cbd = out.filter(pl.col("anchor") == "Natural CBD Product").row(0, named=True)
    assert cbd["anc_spam_pharma"] is True


def test_image_links_without_alt_are_image_not_empty() -> None:
    out = classify(["", "", "Acme Analytics logo"], ["image", "text", "image"])
    assert out[ANCHOR_CLASS].to_list() == ["image", "empty", "brand"]
    assert out["anc_image"].to_list() == [True, False, False]


def test_no_anchor_column_means_unknown_not_empty() -> None:
    frame = pl.LazyFrame({"source_url": ["https://a.com/x"], "target_url": [TARGET]})
    row = build_features(frame).collect().row(0, named=True)
    assert row[ANCHOR_CLASS] is None
    assert row["anc_empty"] is None
    assert row["anc_length"] is None


def test_spam_verticals_and_scripts() -> None:
    out = classify(["online casino bonus", "payday loans fast", "Купить казино", "seo backlinks"])
    assert out["anc_spam_gambling"].to_list() == [True, False, True, False]
    assert out["anc_spam_loans"].to_list() == [False, True, False, False]
    assert out["anc_spam_seo"].to_list() == [False, False, False, True]
    assert out["anc_non_latin"].to_list() == [False, False, True, False]


def test_frequent_anchor_share_and_domains() -> None:
    out = classify(["cheap shoes", "cheap shoes", "cheap shoes", "acme", ""])
    assert out["anc_profile_link_share"].to_list() == [0.75, 0.75, 0.75, 0.25, None]
    assert out["anc_profile_domains"].to_list() == [2, 2, 2, 0, None]


def test_short_brand_needs_a_whole_word() -> None:
    frame = pl.LazyFrame(
        {
            "source_url": ["https://a.com/", "https://b.com/"],
            "target_url": ["https://hp.com/", "https://hp.com/"],
            "anchor": ["HP laptops", "shop now"],
        }
    )
    out = build_features(frame).collect()
    assert out["anc_brand"].to_list() == [True, False]


def test_length_words_and_symbol_share() -> None:
    out = classify(["best  price!!", ""])
    row = out.row(0, named=True)
    assert row["anc_length"] == len("best price!!")  # whitespace collapsed
    assert row["anc_words"] == 2
    assert row["anc_symbol_share"] == 2 / len("best price!!")
    assert out["anc_symbol_share"][1] is None
