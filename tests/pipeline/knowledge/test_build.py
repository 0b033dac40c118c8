"""The knowledge build on a tiny fake source tree: tables, exclusions, held-out, determinism."""

from __future__ import annotations

import hashlib
from pathlib import Path

import polars as pl
import pytest

from features.knowledge import DOMAINS_SCHEMA, GROUPS, LEGIT_GROUPS, SPAM_GROUPS
from models import names as names_module
from pipeline.knowledge import build as build_module
from pipeline.knowledge.build import build_knowledge
from pipeline.knowledge.load import load_heldout, load_knowledge
from pipeline.knowledge.sources import KnowledgeSources
from tests.pipeline.knowledge.conftest import TEST_GRID

FILES = (
    "domains.parquet",
    "popularity.parquet",
    "heldout.parquet",
    "name_model.parquet",
    "name_model.json",
    "report.json",
)


def name_of(domain: str) -> str:
    return domain.split(".", 1)[0]  # every fixture domain has a one-label name


def hashed_out(name: str) -> bool:
    return int.from_bytes(hashlib.sha256(name.encode()).digest(), "big") % 5 == 0


@pytest.fixture
def built(sources: KnowledgeSources, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict:
    seen: dict[str, pl.DataFrame] = {}
    real_fit = names_module.fit_name_model

    def spy(examples: pl.DataFrame, seed: int, grid: tuple) -> names_module.NameModel:
        seen["examples"] = examples
        return real_fit(examples, seed, grid)

    monkeypatch.setattr(build_module, "fit_name_model", spy)
    out = tmp_path / "knowledge"
    result = build_knowledge(sources, out, seed=3, heldout_popular=10, grid=TEST_GRID)
    return {
        "out": out,
        "report": result.report,
        "examples": seen["examples"],
        "domains": pl.read_parquet(out / "domains.parquet"),
        "popularity": pl.read_parquet(out / "popularity.parquet"),
        "heldout": pl.read_parquet(out / "heldout.parquet"),
    }


def test_writes_every_table_with_its_schema(built: dict) -> None:
    out: Path = built["out"]
    assert all((out / name).is_file() for name in FILES)
    assert built["domains"].schema == pl.Schema(DOMAINS_SCHEMA)
    assert built["popularity"].schema == pl.Schema({"domain": pl.String, "rank": pl.Int32})
    assert built["heldout"].schema == pl.Schema(
        {"domain": pl.String, "side": pl.String, "group": pl.String}
    )
    weights = pl.read_parquet(out / "name_model.parquet")
    assert weights.columns == ["kind", "token", "weight"]
    domains = built["domains"]["domain"]
    assert domains.is_sorted() and domains.n_unique() == domains.len()


def test_platforms_ips_subdomains_and_junk_are_not_listed(built: dict) -> None:
    everywhere = {
        *built["domains"]["domain"],
        *built["popularity"]["domain"],
        *built["heldout"]["domain"],
    }
    for absent in (
        "blogspot.com",
        "github.io",
        "wordpress.com",
        "10.0.0.1",
        "subonly-casino.com",
        "sub.subonly-casino.com",
        "wikipedia.org",
        "not-a-mapped-category.com",
        "pages-only.com",
    ):
        assert absent not in everywhere, absent
    for present in (
        "luckyspin-www.net",
        "upper-casino.com",
        "bücher-casino.de".encode("idna").decode(),
        "inline-comment.biz",
        "date-0etad.xyz",  # from the gzip-compressed file
        "ware-7eraw.top",  # from a split file
        "seo-0oes.ru",  # on both referrer spam lists
    ):
        assert present in everywhere, present
    entries = {(e["source"], e["category"]): e for e in built["report"]["entries"]}
    gambling = entries[("ut1", "gambling")]
    assert (gambling["subdomain"], gambling["public_suffix"], gambling["ip"]) == (1, 1, 1)
    assert gambling["invalid"] == 1


def test_group_flags(built: dict) -> None:
    domains = built["domains"]
    expected = {
        "casino-1onisac.com": {"gambling"},
        "date-1etad.xyz": {"adult_dating"},
        "mal-1lam.top": {"malicious"},
        "scam-1macs.info": {"malicious"},
        "phish-1hsihp.online": {"malicious"},
        "seo-1oes.ru": {"referrer_spam"},
        "gardennorth.com": {"press"},
        "banknorth.co.uk": {"bank"},
        "bakerynorth.fr": {"shopping"},
        "both-sides.com": {"gambling", "shopping"},
    }
    for domain, groups in expected.items():
        if hashed_out(name_of(domain)):
            assert domain not in domains["domain"]
            continue
        row = domains.filter(pl.col("domain") == domain).row(0, named=True)
        assert {g for g in GROUPS if row[g]} == groups, domain


def test_heldout_is_out_of_everything(built: dict) -> None:
    heldout = built["heldout"]
    domains, popularity = built["domains"], built["popularity"]
    held_names = {name_of(d) for d in heldout["domain"]}
    assert not set(heldout["domain"]) & set(domains["domain"])
    assert not set(heldout["domain"]) & set(popularity["domain"])
    assert not held_names & {name_of(d) for d in domains["domain"]}
    assert not held_names & {name_of(d) for d in popularity["domain"]}
    assert not held_names & set(built["examples"]["name"])
    # The hash rule holds for every listed name still in the tables.
    assert not any(hashed_out(name_of(d)) for d in domains["domain"])
    # Sides: a spam group, or a legitimate group / popular; never both.
    assert set(heldout["side"]) == {"spam", "legit"}
    spam = heldout.filter(pl.col("side") == "spam")
    assert set(spam["group"]) <= set(SPAM_GROUPS)
    legit = heldout.filter(pl.col("side") == "legit")
    assert set(legit["group"]) <= {*LEGIT_GROUPS, "popular"}
    assert legit.filter(pl.col("group") == "popular").height >= 10 - 1  # google.com may be first
    assert "both-sides.com" not in heldout["domain"]  # no clear side


def test_training_examples(built: dict) -> None:
    examples = built["examples"]
    assert examples.columns == ["name", "suffix", "label"]
    assert "both-sides" not in examples["name"]  # ambiguous names are not taught
    by_name = dict(zip(examples["name"], examples["label"], strict=True))
    for domain in built["domains"]["domain"]:
        row = built["domains"].filter(pl.col("domain") == domain).row(0, named=True)
        spam = any(row[g] for g in SPAM_GROUPS)
        legit = any(row[g] for g in LEGIT_GROUPS)
        if spam != legit:
            assert by_name[name_of(domain)] == int(spam)
    for domain in built["popularity"]["domain"]:
        assert by_name[name_of(domain)] == 0


def test_rebuild_is_byte_identical(built: dict, sources: KnowledgeSources, tmp_path: Path) -> None:
    again = tmp_path / "again"
    build_knowledge(sources, again, seed=3, heldout_popular=10, grid=TEST_GRID)
    for name in FILES:
        assert (again / name).read_bytes() == (built["out"] / name).read_bytes(), name


def test_another_seed_draws_other_popular_domains(
    built: dict, sources: KnowledgeSources, tmp_path: Path
) -> None:
    other = tmp_path / "other"
    build_knowledge(sources, other, seed=4, heldout_popular=10, grid=TEST_GRID)
    assert not pl.read_parquet(other / "heldout.parquet").equals(built["heldout"])


def test_report_and_loaded_knowledge(built: dict) -> None:
    report = built["report"]
    assert report["domains"]["rows"] == built["domains"].height
    assert report["heldout"]["spam"] + report["heldout"]["legit"] == built["heldout"].height
    evaluation = report["heldout_evaluation"]
    assert evaluation["lookup_hits"] == 0  # held-out names are in no table
    assert evaluation["auc_combined"] == evaluation["auc_name"]
    assert 0.0 <= evaluation["auc_name"] <= 1.0
    knowledge = load_knowledge(built["out"])
    assert knowledge.domains.collect().equals(built["domains"])
    assert load_heldout(built["out"]).equals(built["heldout"])


def test_needs_a_source(tmp_path: Path) -> None:
    from pipeline.errors import InputError

    with pytest.raises(InputError, match="no source"):
        build_knowledge(KnowledgeSources(), tmp_path / "x", seed=1, grid=TEST_GRID)
