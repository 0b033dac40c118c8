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
from pipeline.config import DEFAULT_PARAMS, FeaturizeConfig, load_params
from pipeline.errors import InputError
from pipeline.generate import write_parquet

log = logging.getLogger(__name__)

REVIEWED_TACTIC = "reviewed"


def feature_params(cfg: FeaturizeConfig) -> FeatureParams:
    return FeatureParams(burst_window_days=cfg.burst_window_days)


def read_parquet(path: Path) -> pl.DataFrame:
    if not path.is_file():
        raise InputError(f"{path}: file not found (run the previous DVC stage first)")
    return pl.read_parquet(path)


def featurize_frame(links: pl.DataFrame, params: FeatureParams) -> pl.DataFrame:
    return build_features(links.lazy(), params).collect()


def reviewed_links(store: Path) -> pl.DataFrame:
    """Resolved reviewed labels as canonical links with truth columns (possibly empty)."""
    from pipeline.labelstore import resolve_labels

    resolved = resolve_labels(store)
    canonical = schema.conform(resolved.lazy()).collect()
    return canonical.select(
        *schema.CANONICAL,
        pl.col(schema.LABEL).cast(pl.Int8),
        pl.lit(REVIEWED_TACTIC).alias(schema.TACTIC),
    )


def featurize(
    world: Annotated[Path, typer.Option(help="Labeled world (Parquet).")] = Path(
        "data/raw/world.parquet"
    ),
    holdout: Annotated[Path, typer.Option(help="Held-out world (Parquet).")] = Path(
        "data/raw/world_holdout.parquet"
    ),
    labels: Annotated[Path, typer.Option(help="Reviewed-label store folder.")] = Path(
        "data/labels"
    ),
    out: Annotated[Path, typer.Option(help="Folder for the feature tables.")] = Path(
        "data/features"
    ),
    params: Annotated[Path, typer.Option(help="Parameters file.")] = DEFAULT_PARAMS,
) -> None:
    """Featurize the world, the held-out world and the reviewed links."""
    fp = feature_params(load_params(params).featurize)
    for name, path in (("world", world), ("world_holdout", holdout)):
        feats = featurize_frame(read_parquet(path), fp)
        write_parquet(feats, out / f"{name}.parquet")
        log.info("%s: %d links, %d columns", name, feats.height, feats.width)
    reviewed = reviewed_links(labels)
    feats = featurize_frame(reviewed, fp)
    feats = feats.with_columns(pl.col(TARGET_DOMAIN).alias(schema.SITE))
    write_parquet(feats, out / "reviewed.parquet")
    log.info("reviewed: %d links", feats.height)


if __name__ == "__main__":
    typer.run(featurize)
