"""Knowledge lookups: order, height, nulls, unknown domains, the empty knowledge, reason wording."""

from __future__ import annotations

import math

import polars as pl
import pytest

from features.knowledge import (
    DOMAIN,
    DOMAINS_SCHEMA,
    GROUPS,
    KN_GROUP,
    KN_LEGIT_LIST,
    KN_NAME_SPAM,
    KN_POPULARITY_RANK,
    KN_SPAM_GROUPS,
    KN_SPAM_LIST,
    KNOWLEDGE_FEATURES,
    KNOWLEDGE_REGISTRY,
    POPULARITY_SCHEMA,
    RANK,
    UNRANKED,
    Knowledge,
    knowledge_features,
)
from features.names import INTERCEPT, NGRAM, WEIGHTS_SCHEMA


def domains_table(rows: dict[str, list[str]]) -> pl.LazyFrame:
    """A domains table from {domain: [groups]}."""
    return pl.LazyFrame(
        {
            DOMAIN: list(rows),
            **{g: [g in groups for groups in rows.values()] for g in GROUPS},
        },
        schema=DOMAINS_SCHEMA,
    )


KNOWLEDGE = Knowledge(
    domains=domains_table(
        {
            "casino-bonus.xyz": ["gambling", "redirector"],
            "cheap-pills.info": ["drugs"],
            "dailynews.com": ["press"],
            "odd.com": ["gambling", "shopping"],
        }
    ),
    popularity=pl.LazyFrame({DOMAIN: ["dailynews.com", "bigsite.org"], RANK: [120, 7]}),
    name_weights=pl.LazyFrame(
        [(INTERCEPT, "", 0.0), (NGRAM, "casino", 3.0), (NGRAM, "^daily", -2.0)],
        schema=WEIGHTS_SCHEMA,
        orient="row",
    ),
)

LINKS = pl.LazyFrame(
    {
        "row": [0, 1, 2, 3, 4, 5, 6, 7],
        "ref_domain": [
            "dailynews.com",
            None,
            "casino-bonus.xyz",
            "unknown.net",
            "CASINO-BONUS.XYZ",
            "bigsite.org",
            "casino-bonus.xyz",
            "odd.com",
        ],
        "name": [
            "dailynews",
            None,
            "casino-bonus",
            "unknown",
            "casino-bonus",
            "bigsite",
            "casino-bonus",
            "odd",
        ],
        "suffix": ["com", None, "xyz", "net", "xyz", "org", "xyz", "com"],
    }
)


def run(knowledge: Knowledge = KNOWLEDGE) -> pl.DataFrame:
    return knowledge_features(LINKS, knowledge, "ref_domain", "name", "suffix").collect()


def test_keeps_rows_order_height_and_input_columns() -> None:
    out = run()
    assert out.height == 8
    assert out["row"].to_list() == list(range(8))
    assert out.columns == [*LINKS.collect_schema().names(), *KNOWLEDGE_FEATURES]
    assert out["ref_domain"].to_list() == LINKS.collect()["ref_domain"].to_list()


def test_flags_counts_and_rank() -> None:
    out = run()
    casino = out.row(2, named=True)
    assert casino[KN_GROUP["gambling"]] and casino[KN_GROUP["redirector"]]
    assert not casino[KN_GROUP["press"]]
    assert casino[KN_SPAM_LIST] and casino[KN_SPAM_GROUPS] == 2 and not casino[KN_LEGIT_LIST]
    assert casino[KN_POPULARITY_RANK] == UNRANKED
    news = out.row(0, named=True)
    assert news[KN_LEGIT_LIST] and not news[KN_SPAM_LIST] and news[KN_SPAM_GROUPS] == 0
    assert news[KN_POPULARITY_RANK] == 120
    assert out[KN_POPULARITY_RANK].dtype == pl.Int32
    assert out[KN_SPAM_GROUPS].dtype == pl.Int8
    odd = out.row(7, named=True)
    assert odd[KN_SPAM_LIST] and odd[KN_LEGIT_LIST]  # both sides: both flags, as listed
    # Case does not matter; repeated domains get the same values.
    assert out.row(4, named=True)[KN_SPAM_LIST]
    assert out.row(6, named=True) == {**casino, "row": 6}


def test_unknown_and_null_domains() -> None:
    out = run()
    unknown = out.row(3, named=True)
    assert not unknown[KN_SPAM_LIST] and not unknown[KN_LEGIT_LIST]
    assert all(unknown[KN_GROUP[g]] is False for g in GROUPS)
    assert unknown[KN_POPULARITY_RANK] == UNRANKED
    assert unknown[KN_NAME_SPAM] == pytest.approx(0.5)  # no known token: sigmoid(intercept 0)
    missing = out.row(1, named=True)
    assert all(missing[column] is None for column in KNOWLEDGE_FEATURES)


def test_name_score_joined_by_name_and_suffix() -> None:
    out = run()
    assert out[KN_NAME_SPAM][2] == pytest.approx(1 / (1 + math.exp(-3)))
    assert out[KN_NAME_SPAM][0] < 0.5 < out[KN_NAME_SPAM][2]


def test_empty_knowledge_is_no_knowledge() -> None:
    out = run(Knowledge.empty())
    assert out.height == 8
    known = out.filter(pl.col("ref_domain").is_not_null())
    assert not known[KN_SPAM_LIST].any() and not known[KN_LEGIT_LIST].any()
    assert (known[KN_POPULARITY_RANK] == UNRANKED).all()
    assert out[KN_NAME_SPAM].null_count() == out.height


def test_registry_covers_every_feature_and_reasons_never_raise() -> None:
    assert set(KNOWLEDGE_REGISTRY) == set(KNOWLEDGE_FEATURES)
    out = run()
    reasons = out.select(
        KNOWLEDGE_REGISTRY[name].reason(pl.col(name)).alias(name) for name in KNOWLEDGE_FEATURES
    )
    assert reasons.height == out.height
    assert reasons[KN_GROUP["gambling"]][2] == "domain is on a public gambling blocklist (UT1)"
    assert reasons[KN_GROUP["gambling"]][3] is None  # absence of a flag is no reason
    assert reasons[KN_GROUP["press"]].null_count() == out.height  # legit is never a reason
    assert reasons[KN_POPULARITY_RANK].null_count() == out.height
    assert reasons[KN_SPAM_GROUPS][2] == "domain is on 2 kinds of public blocklist"
    assert reasons[KN_NAME_SPAM][2] == (
        "domain name looks like those on public spam lists (name model 0.95)"
    )
    assert reasons[KN_NAME_SPAM][0] is None


def test_tables_cut_to_the_batch_give_what_the_whole_tables_give() -> None:
    """The tables are cut to the batch's domains before their duplicates are dropped: the first
    entry of a listed domain is still the one used, as with the whole (uncut) tables."""
    doubled = Knowledge(
        domains=pl.concat(
            [KNOWLEDGE.domains, domains_table({"dailynews.com": ["gambling"], "other.org": []})]
        ),
        popularity=pl.concat(
            [KNOWLEDGE.popularity, pl.LazyFrame({DOMAIN: ["dailynews.com"], RANK: [5]})]
        ),
        name_weights=KNOWLEDGE.name_weights,
    )
    # Cut to a frame holding every domain of the tables: nothing is cut away.
    listed = pl.concat([doubled.domains.select(DOMAIN), doubled.popularity.select(DOMAIN)]).select(
        pl.col(DOMAIN).alias("ref_domain")
    )
    whole = knowledge_features(
        LINKS, doubled, "ref_domain", "name", "suffix", domains_of=listed
    ).collect()
    for domains_of in (None, LINKS.select("ref_domain")):
        cut = knowledge_features(
            LINKS, doubled, "ref_domain", "name", "suffix", domains_of=domains_of
        ).collect()
        assert cut.equals(whole)
    news = whole.row(0, named=True)
    assert news[KN_LEGIT_LIST] and not news[KN_SPAM_LIST] and news[KN_POPULARITY_RANK] == 120
    # Batch by batch: each row as its own batch gets the values of the whole frame.
    rows = [
        knowledge_features(LINKS.slice(i, 1), doubled, "ref_domain", "name", "suffix").collect()
        for i in range(whole.height)
    ]
    assert pl.concat(rows).equals(whole)


def test_unlisting_hides_a_seeded_share_of_the_lookups_but_keeps_the_name_model() -> None:
    names = [f"site{i}.com" for i in range(4_000)]
    knowledge = Knowledge(
        domains=pl.LazyFrame(
            {DOMAIN: names, **{g: [False] * len(names) for g in GROUPS}},
            schema=DOMAINS_SCHEMA,
        ),
        popularity=pl.LazyFrame(
            {DOMAIN: names, RANK: list(range(1, 4_001))}, schema=POPULARITY_SCHEMA
        ),
        name_weights=KNOWLEDGE.name_weights,
    )
    hidden = knowledge.unlisting(0.4, seed=7)
    kept = set(hidden.domains.collect()[DOMAIN])
    assert 0.55 < len(kept) / len(names) < 0.65
    # The same names leave both tables, the same way for the same seed, another way for another.
    assert kept == set(hidden.popularity.collect()[DOMAIN])
    assert kept == set(knowledge.unlisting(0.4, seed=7).domains.collect()[DOMAIN])
    assert kept != set(knowledge.unlisting(0.4, seed=8).domains.collect()[DOMAIN])
    assert hidden.name_weights is knowledge.name_weights
    assert knowledge.unlisting(0.0, seed=7).domains.collect().height == len(names)
    with pytest.raises(ValueError, match="unlisted share"):
        knowledge.unlisting(1.0, seed=7)
