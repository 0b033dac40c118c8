"""Aggregate numbers of scored real links: label shares, score spread, plateaus, agreement.

A model trained on a synthetic world can fail on real exports in two visible ways without any
label: it can send everything to one band (a review share near 1), or collapse many links onto a
few score values ("plateaus": whole files scored identically because the features it relies on are
missing or constant in real data). Both are measured here, per file and overall, next to the
agreement with weak labels. Pure polars on frames with ``toxicity_score`` and ``label``.
"""

from __future__ import annotations

import polars as pl

SCORE = "toxicity_score"
LABEL = "label"
LABELS: tuple[str, ...] = ("whitelist", "review", "toxic")
QUANTILES: tuple[float, ...] = (0.1, 0.5, 0.9)
PLATEAU_TOP = 3  # a plateau share is the share of links on the N most common scores


def _label_shares() -> list[pl.Expr]:
    return [(pl.col(LABEL) == name).mean().alias(f"share_{name}") for name in LABELS]


def _spread() -> list[pl.Expr]:
    return [
        *(
            pl.col(SCORE).quantile(q, interpolation="nearest").alias(f"p{round(q * 100)}")
            for q in QUANTILES
        ),
        pl.col(SCORE).n_unique().alias("distinct_scores"),
    ]


def summary(frame: pl.DataFrame, by: str | list[str] | None = None) -> pl.DataFrame:
    """Links, label shares, score quantiles, distinct scores and plateau share, per group.

    ``by=None`` gives one row for the whole frame. Groups are sorted by their key.
    """
    keys = [] if by is None else [by] if isinstance(by, str) else list(by)
    aggs = [pl.len().alias("links"), *_label_shares(), *_spread()]
    base = frame.group_by(keys).agg(aggs) if keys else frame.select(aggs)
    plateaus = plateau_share(frame, keys)
    if keys:
        return base.join(plateaus, on=keys, how="left").sort(keys)
    return base.with_columns(plateaus)


def plateau_share(
    frame: pl.DataFrame, keys: list[str] | None = None, top: int = PLATEAU_TOP
) -> pl.DataFrame:
    """Share of links whose score is one of the ``top`` most common scores (of their group)."""
    keys = keys or []
    counted = frame.group_by([*keys, SCORE]).agg(pl.len().alias("_n"))
    if keys:
        return counted.group_by(keys).agg(
            (pl.col("_n").top_k(top).sum() / pl.col("_n").sum()).alias("plateau_share")
        )
    return counted.select(
        (pl.col("_n").top_k(top).sum() / pl.col("_n").sum()).alias("plateau_share")
    )


def top_scores(frame: pl.DataFrame, top: int = PLATEAU_TOP) -> list[dict[str, float]]:
    """The ``top`` most common scores and the share of links on each (ties: lower score first)."""
    counted = frame.group_by(SCORE).agg(pl.len().alias("links"))
    total = frame.height or 1
    return (
        counted.sort(["links", SCORE], descending=[True, False])
        .head(top)
        .select(SCORE, (pl.col("links") / total).alias("share"))
        .to_dicts()
    )


def label_shares(frame: pl.DataFrame, mask: pl.Expr) -> dict[str, float | int]:
    """Links where ``mask`` holds, their distinct source keys and their share of each label."""
    picked = frame.filter(mask)
    out: dict[str, float | int] = {
        "links": picked.height,
        "domains": picked.get_column("key").n_unique() if "key" in picked.columns else 0,
    }
    for name in LABELS:
        share = (picked.get_column(LABEL) == name).mean() if picked.height else None
        out[f"share_{name}"] = float(share) if share is not None else float("nan")
    return out


def roc_auc(frame: pl.DataFrame, positive: pl.Expr, negative: pl.Expr) -> float | None:
    """ROC-AUC of the score for ``positive`` links (1) against ``negative`` links (0).

    None when either side is empty. Links in both are left out (they cannot be both).
    """
    from sklearn.metrics import roc_auc_score

    picked = frame.select(
        pl.col(SCORE),
        positive.alias("_pos"),
        negative.alias("_neg"),
    ).filter(pl.col("_pos") ^ pl.col("_neg"))
    y = picked.get_column("_pos")
    if y.sum() == 0 or y.sum() == picked.height:
        return None
    return float(roc_auc_score(y.to_numpy(), picked.get_column(SCORE).to_numpy()))


def domain_roc_auc(
    frame: pl.DataFrame, positive: pl.Expr, negative: pl.Expr, key: str = "key"
) -> float | None:
    """ROC-AUC at the referring-domain level: each domain's mean score, within each file.

    Link-level AUC weighs a domain by its link count (one scraper with 2,000 links dominates);
    this gives each (file, domain) pair one vote.
    """
    group = ["file", key] if "file" in frame.columns else [key]
    per_domain = (
        frame.with_columns(positive.alias("_pos"), negative.alias("_neg"))
        .group_by(group)
        .agg(pl.col(SCORE).mean(), pl.col("_pos").first(), pl.col("_neg").first())
    )
    return roc_auc(per_domain, pl.col("_pos"), pl.col("_neg"))


def toxic_cutoff_rows(
    frame: pl.DataFrame,
    review: float,
    toxic_cutoffs: list[float],
    groups: dict[str, pl.Expr],
) -> list[dict[str, float | int | str]]:
    """Label shares if the toxic cut-off were each of ``toxic_cutoffs`` (the review one kept).

    Why: the toxic cut-off is chosen on synthetic validation links with a precision margin;
    this shows what each choice costs or gains on real links, per weak-label group. Only the
    toxic cut-off moves, because that is exact: the scores users see depend on the review
    cut-off (the never-alone policy) but not on the toxic one, so a link's label under another
    toxic cut-off is its score against the two cut-offs. Cut-offs below ``review`` are refused.

    One row per (cut-off, group): ``links`` and ``share_whitelist/review/toxic``; the group
    ``all`` is every link.
    """
    rows: list[dict[str, float | int | str]] = []
    for toxic in toxic_cutoffs:
        if toxic < review:
            raise ValueError(f"toxic cut-off {toxic} is under the review cut-off {review}")
        label = (
            pl.when(pl.col(SCORE) >= toxic)
            .then(pl.lit("toxic"))
            .when(pl.col(SCORE) >= review)
            .then(pl.lit("review"))
            .otherwise(pl.lit("whitelist"))
        )
        relabelled = frame.with_columns(label.alias(LABEL))
        for name, mask in {"all": pl.lit(True), **groups}.items():
            shares = label_shares(relabelled, mask)
            rows.append({"toxic_cutoff": toxic, "group": name, **shares})
    return rows
