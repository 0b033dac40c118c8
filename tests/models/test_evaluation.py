"""Which held-out rows and which primary set versions are judged on (policy, on tiny frames)."""

from __future__ import annotations

import polars as pl
import pytest

from models.evaluation import PrimaryRule, primary_set, row_keys, shared_held_out_sets
from models.split import REVIEWED, REVIEWED_TEST, ROW, SOURCE, SPLIT, TEST, TRAIN, WORLD

RULE = PrimaryRule(min_reviewed_links=200, min_reviewed_per_class=30)


def _labelled(n: int, toxic: int, prefix: str = "r") -> pl.DataFrame:
    return pl.DataFrame(
        {
            "source_url": [f"http://{prefix}{i}.test/" for i in range(n)],
            "target_url": "https://shop.example/",
            "label": [1] * toxic + [0] * (n - toxic),
        }
    ).with_columns(pl.col("label").cast(pl.Int8))


@pytest.mark.parametrize(
    ("links", "toxic", "primary"),
    [
        (57, 20, "unseen_site"),  # too few links: the 78k-link sets decide
        (400, 10, "unseen_site"),  # enough links, too few toxic ones
        (400, 390, "unseen_site"),  # too few legitimate ones
        (400, 120, REVIEWED_TEST),
    ],
)
def test_reviewed_test_is_primary_only_once_big_enough(links, toxic, primary) -> None:
    sets = {
        TEST: _labelled(100, 30, "w"),
        "unseen_site": _labelled(100, 30, "u"),
        REVIEWED_TEST: _labelled(links, toxic),
    }
    assert primary_set(sets, RULE) == primary
    assert primary_set({TEST: sets[TEST]}, RULE) == TEST


def _split(rows: list[tuple[str, int, str]]) -> pl.DataFrame:
    return pl.DataFrame(
        {
            SOURCE: [s for s, _, _ in rows],
            ROW: pl.Series([r for _, r, _ in rows], dtype=pl.UInt32),
            SPLIT: [p for _, _, p in rows],
            "weight": 1.0,
        }
    )


def test_versions_are_judged_only_on_rows_none_of_them_trained_on() -> None:
    world, reviewed = _labelled(80, 20, "w"), _labelled(120, 40, "r")
    holdout = _labelled(40, 10, "h")
    world_split = [(WORLD, i, TEST if i < 60 else TRAIN) for i in range(80)]
    # v1 was trained before any link was reviewed; v2 trained on reviewed rows 0-39 and held
    # out 40-99; rows 100-119 were reviewed after v2 and are left out (no version had them).
    v1 = row_keys(world, reviewed.head(0), _split(world_split))
    v2_split = world_split + [(REVIEWED, i, TRAIN if i < 40 else REVIEWED_TEST) for i in range(100)]
    v2 = row_keys(world, reviewed.head(100), _split(v2_split))
    # v3 moved world rows 0-9 into training (another split): they leave the shared test set.
    v3 = row_keys(
        world,
        reviewed.head(100),
        _split([(WORLD, i, TEST if 10 <= i < 60 else TRAIN) for i in range(80)] + v2_split[80:]),
    )
    sets = shared_held_out_sets(world, holdout, reviewed, [v1, v2])
    assert sets[REVIEWED_TEST]["source_url"].to_list() == [
        f"http://r{i}.test/" for i in range(40, 100)
    ]
    assert sets[TEST].height == 60 and sets["holdout_world"].height == 40
    with_v3 = shared_held_out_sets(world, holdout, reviewed, [v1, v2, v3])
    assert with_v3[TEST]["source_url"].to_list() == [f"http://w{i}.test/" for i in range(10, 60)]
    # The rows do not depend on the order of the versions, nor on a later retrain's split.
    assert shared_held_out_sets(world, holdout, reviewed, [v2, v1])[REVIEWED_TEST].equals(
        sets[REVIEWED_TEST]
    )


def test_toxic_cutoff_table_at_the_bundles_cutoff_gives_the_bands_as_labelled() -> None:
    import numpy as np

    from models.cutoffs import Cutoffs, label_array
    from models.evaluation import toxic_cutoff_table
    from models.metrics import band_metrics

    rng = np.random.default_rng(7)
    truth = rng.integers(0, 2, 500)
    scores = np.clip(truth * 40 + rng.normal(30, 20, 500), 0, 100).round(1)
    cutoffs = Cutoffs(review=20.0, toxic=45.0, method="test")
    table = toxic_cutoff_table(scores, truth, cutoffs, [10.0, 20.0, 60.0, 50.0], truth)
    # Cut-offs at or under the review one are left out; ascending; the bundle's own is marked.
    assert table.get_column("toxic_cutoff").to_list() == [45.0, 50.0, 60.0]
    assert table.get_column("bundle").to_list() == [True, False, False]
    own = band_metrics(truth, label_array(scores, cutoffs))
    row = table.row(0, named=True)
    for key in ("share_review", "share_toxic", "toxic_precision", "toxic_recall"):
        assert row[key] == own[key]
    assert row["clean_toxic_precision"] == own["toxic_precision"]


def test_a_higher_toxic_cutoff_trades_recall_for_review_and_never_moves_the_whitelist() -> None:
    import numpy as np

    from models.cutoffs import Cutoffs
    from models.evaluation import toxic_cutoff_table

    rng = np.random.default_rng(11)
    truth = rng.integers(0, 2, 2_000)
    scores = np.clip(truth * 35 + rng.normal(30, 15, 2_000), 0, 100).round(1)
    table = toxic_cutoff_table(scores, truth, Cutoffs(20.0, 35.0, "test"), [40, 50, 60, 70])
    recall = table.get_column("toxic_recall").to_list()
    assert recall == sorted(recall, reverse=True) and recall[0] > recall[-1]
    flagged = (table.get_column("share_review") + table.get_column("share_toxic")).to_list()
    assert max(flagged) - min(flagged) < 1e-12  # only toxic and review trade places
    assert "clean_toxic_precision" not in table.columns
