"""DVC stage ``featurize``: the same feature code for the world, the held-out world and the
reviewed links from the label store.

Each profile (target domain) is featurized from the links in hand, exactly as ``score`` does.
Reviewed links are featurized as their own profiles, since the store keeps the reviewed links, not
the whole export they came from.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Annotated

import polars as pl
import typer

from features import schema
from features.build import TARGET_DOMAIN, FeatureParams, build_features
from pipeline import io, paths
from pipeline.config import load_params
from pipeline.knowledge.load import load_knowledge
from pipeline.labels import resolve_labels
from pipeline.options import ParamsOption

log = logging.getLogger(__name__)

REVIEWED_TACTIC = "reviewed"


def reviewed_links(store: Path) -> pl.DataFrame:
    """Resolved reviewed labels as canonical links with truth columns (possibly empty)."""
    canonical = schema.conform(resolve_labels(store).lazy()).collect()
    return canonical.select(
        *schema.CANONICAL,
        pl.col(schema.LABEL).cast(pl.Int8),
        pl.lit(REVIEWED_TACTIC).alias(schema.TACTIC),
    )


def featurize(
    world: Annotated[Path, typer.Option(help="Labeled world (Parquet).")],
    holdout: Annotated[Path, typer.Option(help="Held-out world (Parquet).")],
    labels: Annotated[Path, typer.Option(help="Reviewed-label store folder.")],
    knowledge: Annotated[Path, typer.Option(help="Open domain knowledge tables.")],
    out: Annotated[Path, typer.Option(help="Folder for the feature tables.")],
    params: ParamsOption = None,
) -> None:
    """Featurize the world, the held-out world and the reviewed links."""
    every = load_params(params)
    cfg, seed = every.featurize, every.base.seed
    full = load_knowledge(knowledge)
    fp = FeatureParams(burst_window_days=cfg.burst_window_days, knowledge=full)
    # The worlds' real names come from the lookups themselves: leave a share of them unlisted.
    world_fp = FeatureParams(
        burst_window_days=cfg.burst_window_days,
        knowledge=full.unlisting(cfg.unlisted_share, seed),
    )
    for path, name in ((world, paths.WORLD_FILE), (holdout, paths.HOLDOUT_FILE)):
        links = io.read_parquet(path)
        feats = build_features(links.lazy(), world_fp).collect()
        feats = feats.with_columns(pl.lit(schema.FULL_VIEW).alias(schema.VIEW))
        if cfg.url_only_share > 0:
            # Users also bring URL-only exports (Search Console): a share of the links again,
            # as such an export gives them, featurized as profiles of their own.
            sample = links.sample(fraction=cfg.url_only_share, seed=seed, shuffle=False)
            url_only = build_features(schema.url_only(sample.lazy()), world_fp).collect()
            feats = pl.concat(
                [
                    feats,
                    url_only.with_columns(pl.lit(schema.URL_ONLY_VIEW).alias(schema.VIEW)).select(
                        feats.columns
                    ),
                ],
                how="vertical_relaxed",
            )
        io.write_parquet(feats, out / name)
        log.info("%s: %d links, %d columns", name, feats.height, feats.width)
    feats = build_features(reviewed_links(labels).lazy(), fp).collect()
    feats = feats.with_columns(
        pl.col(TARGET_DOMAIN).alias(schema.SITE), pl.lit(schema.FULL_VIEW).alias(schema.VIEW)
    )
    io.write_parquet(feats, out / paths.REVIEWED_FILE)
    log.info("reviewed: %d links", feats.height)
