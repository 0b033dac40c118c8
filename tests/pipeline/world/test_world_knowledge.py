"""Real names in the world: a share of domains renamed, consistently, from the training lists."""

from __future__ import annotations

import polars as pl

from features import schema
from features.urls import UrlParts, parse_urls
from pipeline import paths
from pipeline.knowledge.load import load_heldout, load_knowledge
from pipeline.world import TOXIC_TACTICS, generate_world
from pipeline.world.knowledge import POOLS, SPAM, SPAM_LOOKALIKE, name_pools, with_real_names


def _domains(frame: pl.DataFrame) -> pl.Series:
    parts = UrlParts("_t")
    parsed = parse_urls(frame.lazy(), schema.SOURCE_URL, parts).collect()
    return parsed[parts.site]


def test_real_names_keep_rows_labels_and_never_use_held_out_names() -> None:
    knowledge = load_knowledge(paths.at_root(paths.KNOWLEDGE))
    held = set(load_heldout(paths.at_root(paths.KNOWLEDGE))["domain"].to_list())
    pools = name_pools(knowledge, held)
    for pool in POOLS:
        assert pools[pool] and not held & set(pools[pool]), pool
    # Look-alike names are on no table: the model meets them only through the name model.
    tables = set(knowledge.domains.collect()["domain"]) | set(
        knowledge.popularity.collect()["domain"]
    )
    assert not tables & set(pools[SPAM_LOOKALIKE])
    world = generate_world(8_000, 5)
    renamed = with_real_names(world, pools, 5)
    assert renamed.drop(schema.SOURCE_URL).equals(world.drop(schema.SOURCE_URL))
    assert renamed.equals(with_real_names(world, pools, 5))  # deterministic
    changed = renamed[schema.SOURCE_URL] != world[schema.SOURCE_URL]
    assert 0.1 < changed.mean() < 0.8
    # Paths are kept; only the host changes.
    path = r"^[a-z]+://[^/]+"
    kept = world[schema.SOURCE_URL].str.replace(path, "") == renamed[schema.SOURCE_URL].str.replace(
        path, ""
    )
    assert kept.all()
    # One new name per old domain: a domain's links stay together.
    pairs = pl.DataFrame({"old": _domains(world), "new": _domains(renamed)}).filter(changed)
    assert pairs.group_by("old").agg(pl.col("new").n_unique())["new"].max() == 1
    # Toxic domains draw spam-list names far more often than legitimate ones.
    spam = set(pools[SPAM]) | set(pools[SPAM_LOOKALIKE])
    on_list = _domains(renamed).is_in(list(spam))
    toxic = renamed[schema.TACTIC].is_in(list(TOXIC_TACTICS))
    assert on_list.filter(toxic).mean() > 5 * on_list.filter(~toxic).mean()
